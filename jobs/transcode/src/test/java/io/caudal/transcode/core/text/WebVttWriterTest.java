package io.caudal.transcode.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebVttWriterTest {
  private static final List<Cue> CUES = List.of(
      new Cue(500, 1500, "<i>first</i>"),
      new Cue(1900, 2300, "across the boundary", "line:0"),
      new Cue(2100, 3000, "overlapping"));
  /** Two segments of 60 frames at 29.97: 2.002 s each. */
  private static final long[] BOUNDARIES = {0, 2_002_000, 4_004_000};

  @Test
  void aCueAcrossASegmentBoundaryIsInBothWithItsOwnTimes() {
    List<String> segments = WebVttWriter.segments(CUES, BOUNDARIES, 0);
    assertThat(segments).hasSize(2);
    assertThat(segments.get(0)).isEqualTo("""
        WEBVTT
        X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000

        00:00:00.500 --> 00:00:01.500
        <i>first</i>

        00:00:01.900 --> 00:00:02.300 line:0
        across the boundary
        """);
    assertThat(segments.get(1)).contains("00:00:01.900 --> 00:00:02.300 line:0\nacross the boundary",
        "00:00:02.100 --> 00:00:03.000\noverlapping").doesNotContain("first");
    // Written and read back, the whole track is what went in.
    assertThat(WebVttParser.parse("full.vtt", WebVttWriter.full(CUES))).isEqualTo(CUES);
  }

  @Test
  void playlistListsEverySegmentWithTheVideosDurations() {
    assertThat(WebVttWriter.playlist(BOUNDARIES)).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:1
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXTINF:2.002000,
        seg-00001.vtt
        #EXTINF:2.002000,
        seg-00002.vtt
        #EXT-X-ENDLIST
        """);
  }

  @Test
  void textThatWouldEndACueEarlyIsMadeSafe() {
    String vtt = WebVttWriter.full(List.of(new Cue(0, 1000, "a --> b\n\nc")));
    assertThat(WebVttParser.parse("x.vtt", vtt)).containsExactly(new Cue(0, 1000, "a --&gt; b\nc"));
  }
}
