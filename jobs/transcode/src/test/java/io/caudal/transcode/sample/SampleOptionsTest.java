package io.caudal.transcode.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import io.caudal.transcode.core.plan.FrameRate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SampleOptionsTest {
  @Test
  void readsTheDemosCommandLine() {
    SampleOptions options = SampleOptions.parse("incoming/big-buck.mp4", "--seconds", "20", "--size", "640x360",
        "--rate", "25").orElseThrow();

    assertThat(options.out()).isEqualTo(Path.of("incoming/big-buck.mp4"));
    assertThat(options.spec()).isEqualTo(SampleMaker.Spec.of(20, 640, 360).withRate(new FrameRate(25, 1)));
  }

  @Test
  void defaultsToTenSecondsOf720pAt30FramesWithSound() {
    SampleOptions options = SampleOptions.parse("out.mp4").orElseThrow();

    assertThat(options.spec()).isEqualTo(SampleMaker.Spec.of(10, 1280, 720));
    assertThat(options.spec()).extracting(SampleMaker.Spec::rate, SampleMaker.Spec::gopFrames,
        SampleMaker.Spec::videoKbps, SampleMaker.Spec::video, SampleMaker.Spec::audio)
        .containsExactly(new FrameRate(30, 1), 60, 4000, true, true);
  }

  @Test
  void readsEveryOption() {
    SampleOptions options = SampleOptions.parse("out.mp4", "--seconds", "2.5", "--size", "853x479", "--rate",
        "30000/1001", "--gop", "120", "--kbps", "800", "--rotate", "90", "--vfr", "--no-audio").orElseThrow();

    assertThat(options.spec()).isEqualTo(SampleMaker.Spec.of(2.5, 853, 479).withRate(new FrameRate(30000, 1001))
        .withGop(120).withVideoKbps(800).withRotation(90).withVariableRate().withoutAudio());
    assertThat(SampleOptions.parse("out.mp4", "--no-video").orElseThrow().spec().video()).isFalse();
  }

  @Test
  void namesAnUnknownOption() {
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--fps", "30"))
        .isInstanceOf(UsageException.class).hasMessage("unknown option --fps");
  }

  @Test
  void namesABadNumber() {
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--seconds", "ten"))
        .hasMessage("--seconds must be a number, got 'ten'");
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--gop", "0"))
        .hasMessage("--gop must be at least 1, got 0");
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--size", "720p"))
        .hasMessage("--size must be a size like 1280x720, got '720p'");
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--rate", "29.97"))
        .hasMessage("--rate must be a frame rate like 25 or 30000/1001, got '29.97'");
  }

  @Test
  void namesTheMissingOutputFile() {
    assertThatThrownBy(() -> SampleOptions.parse("--seconds", "3"))
        .isInstanceOf(UsageException.class).hasMessage("missing OUT");
  }

  @Test
  void namesAnOptionWithoutValue() {
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--size")).hasMessage("--size needs a value");
  }

  @Test
  void refusesToMakeNothing() {
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--no-audio", "--no-video"))
        .hasMessage("--no-audio and --no-video together leave nothing to make");
  }

  @Test
  void readsAudioStreamsInOrderWithLanguageChannelsAndLevel() {
    SampleOptions o = SampleOptions.parse("out.mp4", "--audio", "en:2", "--audio", "fre:6:-12.5", "--audio", "und:1")
        .orElseThrow();

    assertThat(o.spec().audioToMake()).containsExactly(SampleMaker.AudioSpec.of("en", 2),
        new SampleMaker.AudioSpec("fre", 6, -12.5), new SampleMaker.AudioSpec(null, 1, 0));
    assertThat(SampleOptions.parse("out.mp4").orElseThrow().spec().audioToMake())
        .containsExactly(SampleMaker.AudioSpec.DEFAULT);
  }

  @Test
  void refusesABadAudioStream() {
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--audio", "en:5"))
        .hasMessage("--audio must be LANG:CHANNELS[:DB] like en:2 or fr:6 (channels 1, 2 or 6), got 'en:5'");
    assertThatThrownBy(() -> SampleOptions.parse("out.mp4", "--audio", "en:2", "--no-audio"))
        .hasMessage("--no-audio and --audio contradict each other");
  }

  @Test
  void helpListsEveryOption() {
    assertThat(SampleOptions.parse("--help")).isEmpty();
    assertThat(SampleOptions.usage()).contains("OUT", "--seconds", "--size", "--rate", "--gop", "--kbps", "--rotate",
        "--vfr", "--no-audio", "--no-video", "--audio", "--help", "(default 1280x720)", "(default 30)");
  }

  @Test
  void theCommandLineSaysWhatIsWrongInOneLineAndExitsWith2() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = SampleMaker.run(new String[] {"out.mp4", "--kbps", "-5"}, print(out), print(err));

    assertThat(status).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("SampleMaker: --kbps must be at least 1, got -5 (--help lists the options)" + System.lineSeparator());
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
