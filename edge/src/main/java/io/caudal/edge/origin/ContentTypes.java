package io.caudal.edge.origin;

import java.util.Map;

/**
 * Content types of what transcode publishes, by file extension: playlists and MPDs, media segments,
 * WebVTT subtitle segments and whole tracks (UTF-8, as WebVTT always is), and the thumbnails' JPEG sprites.
 */
public final class ContentTypes {

  private static final Map<String, String> BY_EXTENSION = Map.of(
      "m3u8", "application/vnd.apple.mpegurl",
      "mpd", "application/dash+xml",
      "m4s", "video/iso.segment",
      "mp4", "video/mp4",
      "m4a", "audio/mp4",
      "vtt", "text/vtt; charset=utf-8",
      "jpg", "image/jpeg",
      "jpeg", "image/jpeg",
      "json", "application/json");

  private ContentTypes() {}

  public static String of(String path) {
    int dot = path.lastIndexOf('.');
    String type = dot < 0 ? null : BY_EXTENSION.get(path.substring(dot + 1));
    return type != null ? type : "application/octet-stream";
  }

  /**
   * Whether a file may change (manifests are rewritten for pathways, and every playlist, the I-frame
   * playlists and the thumbnails' image playlist included, may be republished) or never does (media and
   * subtitle segments, whole subtitle tracks, sprites).
   */
  public static boolean isManifest(String path) {
    return path.endsWith(".m3u8") || path.endsWith(".mpd");
  }
}
