package io.caudal.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import io.caudal.transcode.core.trick.ThumbnailSpec;
import io.caudal.transcode.core.plan.VideoCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TranscodeOptionsTest {
  /** The required options, so a test can name the one thing wrong with a command line. */
  private static final List<String> REQUIRED = List.of("--input", "in.mp4", "--name", "N", "--category", "C");

  @Test
  void defaultsAreFourSecondSegmentsEightPerChunkOneTaskPerChunk() {
    TranscodeOptions o = TranscodeOptions.parse("--input", "in.mp4", "--name", "N", "--category", "C").orElseThrow();

    assertThat(o.segmentSeconds()).isEqualTo(4.0);
    assertThat(o.segmentsPerChunk()).isEqualTo(8);
    assertThat(o.minChunks()).isEqualTo(2);
    assertThat(o.granularity()).isEqualTo(TranscodeOptions.Granularity.CHUNK);
    assertThat(o.ladder()).isEqualTo(TranscodeOptions.Ladder.FIXED);
    assertThat(o.root()).isEqualTo("caudal-data");
    assertThat(o.encoder().preset()).isEqualTo("veryfast");
    assertThat(o.protect()).isEqualTo(TranscodeOptions.Protect.CLEAR);
    assertThat(o.protect().scheme()).isEmpty();
    assertThat(o.keyMasterFile()).isNull();
  }

  @Test
  void readsTheProtectionSchemeAndTheMasterKeyFile() {
    TranscodeOptions cbcs = parse("--protect", "cbcs", "--key-master-file", "/etc/caudal/master.key");
    TranscodeOptions cenc = parse("--protect", "cenc");

    assertThat(cbcs.protect().scheme()).contains(io.caudal.schemas.ProtectionScheme.CBCS);
    assertThat(cbcs.keyMasterFile()).isEqualTo("/etc/caudal/master.key");
    assertThat(cenc.protect().scheme()).contains(io.caudal.schemas.ProtectionScheme.CENC);
    assertThat(parse("--protect", "cenc", "--protect", "clear").protect()).isEqualTo(TranscodeOptions.Protect.CLEAR);
  }

  @Test
  void aProtectedTitleOnASharedRootWithoutAMasterKeyExitsWithUsageBeforeSparkStarts() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("CAUDAL_KEY_MASTER") == null,
        "$CAUDAL_KEY_MASTER is set in this environment");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = TranscodeJob.run(new String[] {"--input", "in.mp4", "--name", "N", "--category", "C",
        "--root", "hdfs://127.0.0.1:1/caudal", "--protect", "cenc"}, print(out), print(err));

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("caudal-transcode: protected titles need the master"
        + " key: give --key-master-file or set $CAUDAL_KEY_MASTER (only a local root makes its own)"
        + " (--help lists the options)\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMasterKeyFileThatCannotBeReadIsNamed() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = TranscodeJob.run(new String[] {"--input", "in.mp4", "--name", "N", "--category", "C",
        "--protect", "cbcs", "--key-master-file", "/no/such/master.key"}, print(new ByteArrayOutputStream()),
        print(err));

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("caudal-transcode: --key-master-file /no/such/master.key cannot be read");
  }

  @Test
  void refusesAnUnknownProtectionScheme() {
    assertThatThrownBy(() -> parse("--protect", "cens"))
        .hasMessage("--protect must be clear, cbcs or cenc, got 'cens'");
  }

  @Test
  void readsEveryOption() {
    TranscodeOptions o = TranscodeOptions.parse("--input", "hdfs://nn/in.mp4", "--name", "N", "--category", "C",
        "--root", "hdfs://nn/caudal", "--segment-seconds", "6", "--segments-per-chunk", "4", "--min-chunks", "3", "--tasks", "chunk-rung",
        "--max-rungs", "3", "--ladder", "per-title", "--preset", "medium", "--threads", "2", "--audio-kbps", "96").orElseThrow();

    assertThat(o).extracting(TranscodeOptions::root, TranscodeOptions::segmentSeconds, TranscodeOptions::segmentsPerChunk,
        TranscodeOptions::minChunks, TranscodeOptions::granularity, TranscodeOptions::maxRungs)
        .containsExactly("hdfs://nn/caudal", 6.0, 4, 3, TranscodeOptions.Granularity.CHUNK_RUNG, 3);
    assertThat(o.encoder()).extracting("preset", "threads", "audioKbps").containsExactly("medium", 2, 96);
    assertThat(o.ladder()).isEqualTo(TranscodeOptions.Ladder.PER_TITLE);
  }

  @Test
  void namesAMissingRequiredOption() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--input", "in.mp4", "--name", "N"))
        .isInstanceOf(UsageException.class).hasMessage("missing --category");
  }

  @Test
  void namesAnUnknownOption() {
    assertThatThrownBy(() -> parse("--speed", "11")).hasMessage("unknown option --speed");
  }

  @Test
  void namesABadNumber() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--segment-seconds", "four"))
        .hasMessage("--segment-seconds must be a number, got 'four'");
    assertThatThrownBy(() -> parse("--segment-seconds", "0"))
        .hasMessage("--segment-seconds must be positive, got 0.0");
    assertThatThrownBy(() -> parse("--segments-per-chunk", "0"))
        .hasMessage("--segments-per-chunk must be at least 1, got 0");
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

  @Test
  void readsTheCodecsInOrderOfPreference() {
    assertThat(parse().codecs()).containsExactly(VideoCodec.H264);
    assertThat(parse("--codecs", "h264,av1").codecs()).containsExactly(VideoCodec.H264, VideoCodec.AV1);
    assertThat(parse("--codecs", "av1,h264").codecs()).containsExactly(VideoCodec.AV1, VideoCodec.H264);
  }

  @Test
  void refusesBadCodecLists() {
    assertThatThrownBy(() -> parse("--codecs", "h264,vp9")).isInstanceOf(UsageException.class)
        .hasMessage("--codecs must list h264 and av1 separated by commas, got 'h264,vp9'");
    assertThatThrownBy(() -> parse("--codecs", "h264,")).isInstanceOf(UsageException.class)
        .hasMessage("--codecs must list h264 and av1 separated by commas, got 'h264,'");
    assertThatThrownBy(() -> parse("--codecs", "av1,h264,av1")).isInstanceOf(UsageException.class)
        .hasMessage("--codecs names av1 twice in 'av1,h264,av1'");
    assertThatThrownBy(() -> parse("--codecs", "av1")).isInstanceOf(UsageException.class)
        .hasMessage("--codecs must include h264, which every player decodes, got 'av1'");
  }

  @Test
  void readsTheAv1PresetWithinSvtAv1sRange() {
    assertThat(parse().encoder().av1Preset()).isEqualTo(8);
    assertThat(parse("--av1-preset", "12").encoder().av1Preset()).isEqualTo(12);
    assertThatThrownBy(() -> parse("--av1-preset", "14")).isInstanceOf(UsageException.class)
        .hasMessage("--av1-preset must be between 0 and 13, got 14");
  }

  @Test
  void refusesAProtectedAv1Title() {
    assertThatThrownBy(() -> parse("--codecs", "h264,av1", "--protect", "cbcs")).isInstanceOf(UsageException.class)
        .hasMessage("--protect cbcs cannot be used with --codecs h264,av1: AV1 rungs are not encrypted yet"
            + " (protect an H.264-only title)");
  }

  @Test
  void refusesAnUnknownLadder() {
    assertThatThrownBy(() -> parse("--ladder", "smart"))
        .hasMessage("--ladder must be per-title or fixed, got 'smart'");
  }

  @Test
  void namesTheFirstMissingRequiredOption() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--root", "r"))
        .isInstanceOf(UsageException.class).hasMessage("missing --input");
  }

  @Test
  void namesAStrayArgumentAndAShortUnknownOption() {
    assertThatThrownBy(() -> parse("stray")).hasMessage("unexpected argument 'stray'");
    assertThatThrownBy(() -> parse("--max-rungs", "2", "-v")).hasMessage("unknown option -v");
  }

  @Test
  void namesAnOptionWhoseValueIsAnotherOption() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--input", "x", "--name", "--category", "C"))
        .hasMessage("--name needs a value");
  }

  @Test
  void namesABadWholeNumber() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--threads", "two"))
        .hasMessage("--threads must be a whole number, got 'two'");
    assertThatThrownBy(() -> parse("--max-rungs", "-1")).hasMessage("--max-rungs must be at least 1, got -1");
    assertThatThrownBy(() -> parse("--max-rungs", "0")).hasMessage("--max-rungs must be at least 1, got 0");
  }

  @Test
  void refusesABlankName() {
    assertThatThrownBy(() -> TranscodeOptions.parse("--input", "in.mp4", "--name", " ", "--category", "C"))
        .hasMessage("--name and --category must not be blank");
  }

  @Test
  void aRepeatedOptionTakesItsLastValueAndANegativeThreadCountLetsLibavChoose() {
    TranscodeOptions o = TranscodeOptions.parse("--input", "a.mp4", "--name", "N", "--category", "C",
        "--input", "b.mp4", "--threads", "-1").orElseThrow();

    assertThat(o.input()).isEqualTo("b.mp4");
    assertThat(o.encoder().threads()).isZero();
  }

  @Test
  void leavesContentSteeringToTheEdge() {
    assertThatThrownBy(() -> parse("--steering-uri", "https://e/s")).hasMessage("unknown option --steering-uri");
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    assertThat(TranscodeOptions.parse("--input", "in.mp4", "--help")).isEmpty();
    assertThat(TranscodeOptions.usage()).contains("--input", "--name", "--category", "--root", "--segment-seconds",
        "--segments-per-chunk", "--min-chunks", "--tasks", "--max-rungs", "--preset", "--threads", "--audio-kbps",
        "--help", "(default caudal-data)", "(default chunk)", "(default veryfast)", "(default 2)");
  }

  @Test
  void theJobSaysWhatIsWrongInOneLineAndExitsWith2() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = TranscodeJob.run(new String[] {"--input", "in.mp4", "--name", "N", "--category", "C",
        "--segments-per-chunk", "many"}, print(out), print(err));

    assertThat(status).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
        "caudal-transcode: --segments-per-chunk must be a whole number, got 'many' (--help lists the options)"
            + System.lineSeparator());
  }

  @Test
  void theJobPrintsHelpAndExitsWith0() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = TranscodeJob.run(new String[] {"--help"}, print(out), print(err));

    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(TranscodeOptions.usage());
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void thumbnailsDefaultToOneEveryTenSecondsOf320PixelsInFiveByFiveSprites() {
    assertThat(parse().thumbnails()).isEqualTo(new ThumbnailSpec(10_000, 320, 5, 5));
    assertThat(parse().thumbnails().isOff()).isFalse();
    assertThat(TranscodeOptions.usage()).contains("--thumbnails-every", "--thumbnail-width", "--thumbnail-grid",
        "(default 320)");
  }

  @Test
  void readsTheThumbnailOptionsAndZeroMeansNone() {
    TranscodeOptions o = parse("--thumbnails-every", "2.5", "--thumbnail-width", "160", "--thumbnail-grid", "4x3");

    assertThat(o.thumbnails()).isEqualTo(new ThumbnailSpec(2_500, 160, 4, 3));
    assertThat(parse("--thumbnails-every", "0").thumbnails().isOff()).isTrue();
  }

  @Test
  void namesABadThumbnailOption() {
    assertThatThrownBy(() -> parse("--thumbnails-every", "-1"))
        .hasMessage("--thumbnails-every must be 0 (none) or at least 0.001 seconds, got -1.0");
    assertThatThrownBy(() -> parse("--thumbnails-every", "often"))
        .hasMessage("--thumbnails-every must be a number, got 'often'");
    assertThatThrownBy(() -> parse("--thumbnail-width", "8")).hasMessage("--thumbnail-width must be at least 16, got 8");
    assertThatThrownBy(() -> parse("--thumbnail-width", "321")).hasMessage("--thumbnail-width must be even, got 321");
    assertThatThrownBy(() -> parse("--thumbnail-grid", "5by5"))
        .hasMessage("--thumbnail-grid must be COLUMNSxROWS, each 1 to 20, like 5x5, got '5by5'");
    assertThatThrownBy(() -> parse("--thumbnail-grid", "0x5"))
        .hasMessage("--thumbnail-grid must be COLUMNSxROWS, each 1 to 20, like 5x5, got '0x5'");
  }

  /** Parses the required options followed by {@code more}. */
  @Test
  void audioDefaultsAreLoudnessOnAtMinus24LufsAndMinus2Dbtp() {
    TranscodeOptions o = parse();

    assertThat(o.audio().languages()).isEmpty();
    assertThat(o.audio().loudness()).isEqualTo(new io.caudal.transcode.core.audio.LoudnessTarget(true, -24, -2));
  }

  @Test
  void readsTheAudioOptions() {
    TranscodeOptions o = parse("--audio-lang", "0=eng", "--audio-lang", "2=pt_BR", "--loudness", "off",
        "--loudness-lufs", "-16", "--true-peak-dbtp", "-1");

    assertThat(o.audio().languages()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(0, "en", 2, "pt-BR"));
    assertThat(o.audio().loudness()).isEqualTo(new io.caudal.transcode.core.audio.LoudnessTarget(false, -16, -1));
  }

  @Test
  void refusesBadAudioOptionsInOneLine() {
    assertThatThrownBy(() -> parse("--audio-lang", "fr")).isInstanceOf(UsageException.class)
        .hasMessage("--audio-lang must be INDEX=LANG like 1=fr, got 'fr'");
    assertThatThrownBy(() -> parse("--audio-lang", "1=French")).isInstanceOf(UsageException.class)
        .hasMessage("--audio-lang 1=French: 'French' is not a language tag (BCP 47 like fr or pt-BR, or ISO 639-2"
            + " like fre)");
    assertThatThrownBy(() -> parse("--loudness", "maybe")).isInstanceOf(UsageException.class)
        .hasMessage("--loudness must be on or off, got 'maybe'");
    assertThatThrownBy(() -> parse("--loudness-lufs", "3")).isInstanceOf(UsageException.class)
        .hasMessage("--loudness-lufs must be between -70 and -5, got 3.0");
    assertThatThrownBy(() -> parse("--true-peak-dbtp", "1")).isInstanceOf(UsageException.class)
        .hasMessage("--true-peak-dbtp must be between -9 and 0, got 1.0");
  }

  private static TranscodeOptions parse(String... more) {
    return TranscodeOptions.parse(Stream.concat(REQUIRED.stream(), Stream.of(more)).toArray(String[]::new))
        .orElseThrow();
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
