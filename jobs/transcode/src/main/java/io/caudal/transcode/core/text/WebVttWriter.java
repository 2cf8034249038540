package io.caudal.transcode.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a text track as WebVTT: the whole track in one file (DASH), and segments on the video's
 * segment boundaries with their HLS media playlist. A cue that spans a boundary is written in
 * every segment it shows in, with the same times, as HLS asks; every segment carries the same
 * {@code X-TIMESTAMP-MAP}, so cue times are the title's own.
 */
public final class WebVttWriter {
  private WebVttWriter() {}

  /** The whole track. */
  public static String full(List<Cue> cues) {
    return document(cues, null);
  }

  /**
   * One WebVTT file per segment.
   *
   * @param boundariesMicros segment i runs from element i to element i+1 (so one more than the segments)
   * @param mpegTs the media time of the title's start in 90 kHz ticks, as the video's segments carry it
   */
  public static List<String> segments(List<Cue> cues, long[] boundariesMicros, long mpegTs) {
    String map = "X-TIMESTAMP-MAP=MPEGTS:" + mpegTs + ",LOCAL:00:00:00.000";
    List<String> files = new ArrayList<>();
    for (int i = 0; i + 1 < boundariesMicros.length; i++) {
      long from = boundariesMicros[i];
      long to = boundariesMicros[i + 1];
      files.add(document(cues.stream()
          .filter(c -> c.startMillis() * 1000 < to && c.endMillis() * 1000 > from).toList(), map));
    }
    return files;
  }

  /** The HLS media playlist of the segments, whose durations are the video's. */
  public static String playlist(long[] boundariesMicros) {
    long target = 1;
    for (int i = 0; i + 1 < boundariesMicros.length; i++) {
      target = Math.max(target, Math.round((boundariesMicros[i + 1] - boundariesMicros[i]) / 1e6));
    }
    StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n")
        .append("#EXT-X-TARGETDURATION:").append(target).append('\n')
        .append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n");
    for (int i = 0; i + 1 < boundariesMicros.length; i++) {
      m.append(String.format(Locale.ROOT, "#EXTINF:%.6f,\n", (boundariesMicros[i + 1] - boundariesMicros[i]) / 1e6))
          .append(segmentName(i + 1)).append('\n');
    }
    return m.append("#EXT-X-ENDLIST\n").toString();
  }

  /** {@code seg-00001.vtt} for the first segment. */
  public static String segmentName(int number) {
    return String.format("seg-%05d.vtt", number);
  }

  private static String document(List<Cue> cues, String header) {
    StringBuilder v = new StringBuilder("WEBVTT\n");
    if (header != null) {
      v.append(header).append('\n');
    }
    for (Cue cue : cues) {
      v.append('\n').append(timestamp(cue.startMillis())).append(" --> ").append(timestamp(cue.endMillis()));
      if (!cue.settings().isEmpty()) {
        v.append(' ').append(cue.settings());
      }
      v.append('\n').append(safe(cue.text())).append('\n');
    }
    return v.toString();
  }

  /** No blank line and no "-->" inside a cue's text: either would end the cue early. */
  private static String safe(String text) {
    return text.replace("-->", "--&gt;").replaceAll("\n[ \t]*(?=\n)", "").strip();
  }

  /** {@code hh:mm:ss.ttt}. */
  public static String timestamp(long millis) {
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60,
        millis / 1000 % 60, millis % 1000);
  }
}
