package io.caudal.transcode.core.pkg;

import io.caudal.transcode.core.plan.FrameRate;
import java.util.List;
import java.util.Locale;

/**
 * Writes a static MPEG-DASH MPD (ISO/IEC 23009-1, CMAF/live-profile style) over the same segment
 * files as HLS: SegmentTemplate with a SegmentTimeline of the measured segment durations.
 */
public final class DashWriter {
  private DashWriter() {}

  /**
   * The MPD. It names no content-steering server: the edge that serves the title inserts its own.
   *
   * @param audio the audio track, or null
   */
  public static String mpd(List<Track> video, Track audio, FrameRate rate) {
    double duration = Math.max(
        video.stream().mapToDouble(Track::durationSeconds).max().orElse(0),
        audio == null ? 0 : audio.durationSeconds());
    long maxSegment = (long) Math.ceil(video.stream().mapToDouble(Track::longestSegmentSeconds).max()
        .orElse(audio == null ? 1 : audio.longestSegmentSeconds()));
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\"")
        .append(" profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\"")
        .append(" minBufferTime=\"PT").append(maxSegment).append("S\"")
        .append(" maxSegmentDuration=\"PT").append(maxSegment).append("S\"")
        .append(" mediaPresentationDuration=\"").append(isoDuration(duration)).append("\">\n");
    x.append("  <Period id=\"0\" start=\"PT0S\">\n");
    if (!video.isEmpty()) {
      int maxW = video.stream().mapToInt(Track::width).max().orElse(0);
      int maxH = video.stream().mapToInt(Track::height).max().orElse(0);
      x.append("    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\"")
          .append(" segmentAlignment=\"true\" startWithSAP=\"1\"")
          .append(" maxWidth=\"").append(maxW).append("\" maxHeight=\"").append(maxH).append('"')
          .append(" frameRate=\"").append(rate).append("\">\n");
      for (Track v : video) {
        x.append("      <Representation id=\"").append(v.id()).append("\" codecs=\"").append(v.codecs())
            .append("\" bandwidth=\"").append(v.peakBitsPerSecond())
            .append("\" width=\"").append(v.width()).append("\" height=\"").append(v.height())
            .append("\" sar=\"1:1\">\n");
        template(x, v, "        ");
        x.append("      </Representation>\n");
      }
      x.append("    </AdaptationSet>\n");
    }
    if (audio != null) {
      x.append("    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"und\"")
          .append(" segmentAlignment=\"true\" startWithSAP=\"1\">\n")
          .append("      <Representation id=\"").append(audio.id()).append("\" codecs=\"").append(audio.codecs())
          .append("\" bandwidth=\"").append(audio.peakBitsPerSecond())
          .append("\" audioSamplingRate=\"").append(audio.timescale()).append("\">\n")
          .append("        <AudioChannelConfiguration schemeIdUri=")
          .append("\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
          .append(audio.channels()).append("\"/>\n");
      template(x, audio, "        ");
      x.append("      </Representation>\n    </AdaptationSet>\n");
    }
    return x.append("  </Period>\n</MPD>\n").toString();
  }

  private static void template(StringBuilder x, Track t, String indent) {
    x.append(indent).append("<SegmentTemplate timescale=\"").append(t.timescale())
        .append("\" initialization=\"").append(t.dir()).append("/init.mp4\"")
        .append(" media=\"").append(t.dir()).append("/seg-$Number%05d$.m4s\" startNumber=\"1\">\n")
        .append(indent).append("  <SegmentTimeline>\n");
    List<Segment> segments = t.segments();
    for (int i = 0; i < segments.size(); ) {
      Segment s = segments.get(i);
      int repeat = 0;
      while (i + repeat + 1 < segments.size() && segments.get(i + repeat + 1).duration() == s.duration()) {
        repeat++;
      }
      x.append(indent).append("    <S t=\"").append(s.start()).append("\" d=\"").append(s.duration()).append('"');
      if (repeat > 0) {
        x.append(" r=\"").append(repeat).append('"');
      }
      x.append("/>\n");
      i += repeat + 1;
    }
    x.append(indent).append("  </SegmentTimeline>\n").append(indent).append("</SegmentTemplate>\n");
  }

  static String isoDuration(double seconds) {
    return String.format(Locale.ROOT, "PT%.3fS", seconds);
  }
}
