package io.caudal.transcode.core.pkg;

import java.io.Serializable;
import java.util.List;

/**
 * One packaged rendition (a video rung or the audio track) with what was measured of it.
 *
 * @param id rung id ("720p") or "audio"
 * @param dir folder of its files relative to the title ("video/720p", "audio")
 * @param width 0 for audio
 * @param codecs RFC 6381 codec string read from its init segment
 * @param timescale ticks per second of its segment times
 * @param channels audio channels (0 for video)
 * @param segments in order, contiguous
 */
public record Track(String id, String dir, boolean video, int width, int height, String codecs, int timescale,
    int channels, List<Segment> segments) implements Serializable {

  public long durationTicks() {
    return segments.stream().mapToLong(Segment::duration).sum();
  }

  public double durationSeconds() {
    return (double) durationTicks() / timescale;
  }

  public long bytes() {
    return segments.stream().mapToLong(Segment::bytes).sum();
  }

  /** Highest bitrate of any one segment: what HLS BANDWIDTH must state. */
  public long peakBitsPerSecond() {
    return (long) Math.ceil(segments.stream().mapToDouble(s -> s.bitrate(timescale)).max().orElse(0));
  }

  /** Bitrate over the whole track: HLS AVERAGE-BANDWIDTH. */
  public long averageBitsPerSecond() {
    return (long) Math.ceil(bytes() * 8.0 / durationSeconds());
  }

  public double longestSegmentSeconds() {
    return segments.stream().mapToLong(Segment::duration).max().orElse(0) / (double) timescale;
  }
}
