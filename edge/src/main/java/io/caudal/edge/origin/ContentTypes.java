package io.caudal.edge.origin;

import java.util.Map;

/** Content types of what transcode publishes, by file extension. */
public final class ContentTypes {

  private static final Map<String, String> BY_EXTENSION = Map.of(
      "m3u8", "application/vnd.apple.mpegurl",
      "mpd", "application/dash+xml",
      "m4s", "video/iso.segment",
      "mp4", "video/mp4",
      "m4a", "audio/mp4",
      "vtt", "text/vtt",
      "json", "application/json");

  private ContentTypes() {}

  public static String of(String path) {
    int dot = path.lastIndexOf('.');
    String type = dot < 0 ? null : BY_EXTENSION.get(path.substring(dot + 1));
    return type != null ? type : "application/octet-stream";
  }

  /** Whether a file changes per request (manifests are rewritten for pathways) or never (segments). */
  public static boolean isManifest(String path) {
    return path.endsWith(".m3u8") || path.endsWith(".mpd");
  }
}
