package io.caudal.transcode.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.testing.IntegrationTest;
import io.caudal.transcode.TestMedia;
import io.caudal.transcode.core.text.Cue;
import io.caudal.transcode.core.text.SubtitleFiles;
import io.caudal.transcode.core.text.WebVttWriter;
import io.caudal.transcode.sample.SampleMaker;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FFmpeg's own demuxers and subtitle decoders, in-process, as the reference for the hand-written
 * readers and writer: the same file read both ways gives the same cues.
 */
@IntegrationTest
class TextStreamReaderTest {
  private static final String SRT = """
      1
      00:00:00,480 --> 00:00:01,520
      <i>Styled</i> first

      2
      00:00:01,000 --> 00:00:02,250
      Overlapping
      on two lines

      3
      00:00:03,999 --> 00:00:05,003
      Third & last
      """;

  private static final String VTT = """
      WEBVTT

      00:00:00.480 --> 00:00:01.520
      <i>Styled</i> first

      cue-2
      00:00:01.000 --> 00:00:02.250 line:0
      Overlapping
      on two lines

      00:00:03.999 --> 00:00:05.003
      Third &amp; last
      """;

  @Test
  void srtReadsAsFfmpegReadsIt() {
    File file = TestMedia.bytes("reference.srt", SRT.getBytes(StandardCharsets.UTF_8));
    assertSameTimesAndText(SubtitleFiles.parse(file.getName(), SRT.getBytes(StandardCharsets.UTF_8)), ffmpeg(file));
  }

  @Test
  void webVttReadsAsFfmpegReadsIt() {
    File file = TestMedia.bytes("reference.vtt", VTT.getBytes(StandardCharsets.UTF_8));
    assertSameTimesAndText(SubtitleFiles.parse(file.getName(), VTT.getBytes(StandardCharsets.UTF_8)), ffmpeg(file));
  }

  @Test
  void webVttWrittenFromTtmlReadsBackInFfmpegAtTheSameTimes() {
    byte[] ttml = """
        <tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
            ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001">
          <body><div>
            <p begin="00:00:00:15" end="00:00:01:29">half a second in</p>
            <p begin="61f" dur="1.5s">frames</p>
          </div></body>
        </tt>""".getBytes(StandardCharsets.UTF_8);
    List<Cue> cues = SubtitleFiles.parse("ref.ttml", ttml);
    File written = TestMedia.bytes("from-ttml.vtt", WebVttWriter.full(cues).getBytes(StandardCharsets.UTF_8));
    List<Cue> read = ffmpeg(written);
    assertSameTimesAndText(cues, read);
    // 15 frames at 29.97 fps is 500.5 ms: within a millisecond, so within a frame.
    assertThat(read.get(0).startMillis()).isBetween(500L, 501L);
  }

  @Test
  void movTextStreamOfTheSampleIsReadWithItsLanguage() {
    File source = TestMedia.withSubtitleStream("text-stream-probe", SampleMaker.Spec.of(3, 160, 90), "fr");
    List<TextStreamReader.TextStream> streams = TextStreamReader.read(source, 0);
    assertThat(streams).hasSize(1);
    TextStreamReader.TextStream stream = streams.get(0);
    assertThat(stream.codec()).isEqualTo("mov_text");
    assertThat(stream.language()).isEqualTo("fr");
    List<Cue> cues = stream.cues().stream().filter(c -> !c.plainText().isBlank()).toList();
    assertSameTimesAndText(SampleMaker.subtitleCues(3), cues);
  }

  @Test
  void aTextStreamThatOutlastsThePictureIsNotTakenForATruncatedFile() {
    File source = TestMedia.get("late-cue", SampleMaker.Spec.of(2, 160, 90));
    File withText = TestMedia.bytes("late-cue-text.mp4", readAll(source));
    MovTextMuxer.addStream(withText, "eng", List.of(new Cue(500, 1000, "in time"), new Cue(2500, 3500, "late")));

    SourceInfo info = Prober.probe(withText);
    assertThat(info.videoDurationMicros()).isEqualTo(2_000_000);
    assertThat(TextStreamReader.read(withText, info.videoStartMicros()).get(0).cues())
        .filteredOn(c -> !c.plainText().isBlank()).extracting(Cue::endMillis).containsExactly(1000L, 3500L);
  }

  @Test
  void forcedAndHearingImpairedDispositionsAreRead() {
    File source = TestMedia.get("disposition", SampleMaker.Spec.of(2, 160, 90).withoutAudio());
    File forced = TestMedia.bytes("forced-text.mp4", readAll(source));
    MovTextMuxer.addStream(forced, "spa", org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_FORCED,
        List.of(new Cue(500, 1000, "SALIDA")));
    File sdh = TestMedia.bytes("sdh-text.mp4", readAll(source));
    MovTextMuxer.addStream(sdh, "ger", org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_HEARING_IMPAIRED,
        List.of(new Cue(500, 1000, "[Musik]")));

    TextStreamReader.TextStream forcedStream = TextStreamReader.read(forced, 0).get(0);
    assertThat(forcedStream.language()).isEqualTo("es");
    assertThat(forcedStream.forced()).isTrue();
    assertThat(forcedStream.hearingImpaired()).isFalse();
    TextStreamReader.TextStream sdhStream = TextStreamReader.read(sdh, 0).get(0);
    assertThat(sdhStream.language()).isEqualTo("de");
    assertThat(sdhStream.hearingImpaired()).isTrue();
  }

  private static byte[] readAll(File file) {
    try {
      return java.nio.file.Files.readAllBytes(file.toPath());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Cue> ffmpeg(File file) {
    List<TextStreamReader.TextStream> streams = TextStreamReader.read(file, 0);
    assertThat(streams).hasSize(1);
    return streams.get(0).cues();
  }

  private static void assertSameTimesAndText(List<Cue> ours, List<Cue> reference) {
    assertThat(ours).hasSameSizeAs(reference);
    for (int i = 0; i < ours.size(); i++) {
      assertThat(ours.get(i).startMillis()).as("start of cue %d", i).isEqualTo(reference.get(i).startMillis());
      assertThat(ours.get(i).endMillis()).as("end of cue %d", i).isEqualTo(reference.get(i).endMillis());
      assertThat(ours.get(i).text()).as("text of cue %d", i).isEqualTo(reference.get(i).text());
    }
  }
}
