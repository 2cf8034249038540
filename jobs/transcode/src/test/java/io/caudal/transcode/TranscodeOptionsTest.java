package io.caudal.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TranscodeOptionsTest {
  @Test
  void defaultsAreFourSecondSegmentsEightPerChunkOneTaskPerChunk() {
    TranscodeOptions o = TranscodeOptions.parse("--input", "in.mp4", "--name", "N", "--category", "C");

    assertThat(o.segmentSeconds()).isEqualTo(4.0);
    assertThat(o.segmentsPerChunk()).isEqualTo(8);
    assertThat(o.minChunks()).isEqualTo(2);
    assertThat(o.granularity()).isEqualTo(TranscodeOptions.Granularity.CHUNK);
    assertThat(o.root()).isEqualTo("caudal-data");
    assertThat(o.encoder().preset()).isEqualTo("veryfast");
  }

  @Test
  void readsEveryOption() {
    TranscodeOptions o = TranscodeOptions.parse("--input", "hdfs://nn/in.mp4", "--name", "N", "--category", "C",
        "--root", "hdfs://nn/caudal", "--segment-seconds", "6", "--segments-per-chunk", "4", "--min-chunks", "3", "--tasks", "chunk-rung",
        "--max-rungs", "3", "--preset", "medium", "--threads", "2", "--audio-kbps", "96");

    assertThat(o).extracting(TranscodeOptions::root, TranscodeOptions::segmentSeconds, TranscodeOptions::segmentsPerChunk,
        TranscodeOptions::minChunks, TranscodeOptions::granularity, TranscodeOptions::maxRungs)
        .containsExactly("hdfs://nn/caudal", 6.0, 4, 3, TranscodeOptions.Granularity.CHUNK_RUNG, 3);
    assertThat(o.encoder()).extracting("preset", "threads", "audioKbps").containsExactly("medium", 2, 96);
  }

  @Test
  void namesAMissingRequiredOption() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--input", "in.mp4", "--name", "N"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("missing --category");
  }

  @Test
  void namesAnUnknownOption() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--input", "x", "--speed", "11"))
        .hasMessage("unknown option --speed");
  }

  @Test
  void namesABadNumber() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--segment-seconds", "four"))
        .hasMessage("--segment-seconds must be a positive number, got 'four'");
    assertThatThrownBy(() -> TranscodeOptions.parse("--segments-per-chunk", "0"))
        .hasMessage("--segments-per-chunk must be positive, got 0");
  }

  @Test
  void namesAnOptionWithoutValue() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--input")).hasMessage("--input needs a value");
  }

  @Test
  void refusesAnUnknownTaskGranularity() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--tasks", "frame"))
        .hasMessage("--tasks must be chunk or chunk-rung, got 'frame'");
  }
}
