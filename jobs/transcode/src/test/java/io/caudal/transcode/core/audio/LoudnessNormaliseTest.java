package io.caudal.transcode.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.caudal.testing.IntegrationTest;
import io.caudal.transcode.core.media.AudioEncoder;
import io.caudal.transcode.core.media.AudioTranscoder;
import io.caudal.transcode.core.media.EncoderSettings;
import io.caudal.transcode.core.media.FilterGraphSource;
import io.caudal.transcode.core.media.Mp4Muxer;
import java.io.File;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ways to the target, through the encoder and back, measured with ebur128. */
@IntegrationTest
class LoudnessNormaliseTest {
  private static final LoudnessTarget TARGET = LoudnessTarget.defaults();

  @TempDir
  Path dir;

  @Test
  void aQuietStreamWithLoudPeaksReachesTheTargetUnderTheCeilingThroughTheLimiter() {
    // A quiet tone (about -31 LUFS) with a 1 ms burst at -6 dBFS every second: the tone carries
    // the loudness, the bursts the peaks, and the gain to -24 LUFS would lift them over the
    // ceiling. (Short bursts, not clicks: a click's energy lies above what AAC keeps.)
    File source = make("peaky", "aevalsrc=exprs='0.5*sin(2*PI*2000*t)*lt(mod(t,1),0.001)+0.03*sin(2*PI*330*t)'"
        + ":sample_rate=48000:duration=8,pan=stereo|FL=c0|FR=c0");
    Loudness before = LoudnessMeter.ofStream(source, 0, "stereo");
    assertThat(TARGET.methodFor(before)).as("%s", before).isEqualTo(LoudnessTarget.Method.LIMITED);

    Loudness after = normalise(source, before);

    assertThat(after.integratedLufs()).as("%s from %s", after, before).isCloseTo(TARGET.lufs(), within(1.0));
    assertThat(after.truePeakDbtp()).as("%s", after).isLessThanOrEqualTo(TARGET.truePeakDbtp());
  }

  @Test
  void aSteadyStreamGetsOneGainAndLandsOnTheTarget() {
    File source = make("steady", "sine=frequency=500:sample_rate=48000:duration=6,volume=-30dB,pan=stereo|FL=c0|FR=c0");
    Loudness before = LoudnessMeter.ofStream(source, 0, "stereo");
    assertThat(TARGET.methodFor(before)).isEqualTo(LoudnessTarget.Method.GAIN);

    Loudness after = normalise(source, before);

    assertThat(after.integratedLufs()).isCloseTo(TARGET.lufs(), within(0.3));
    assertThat(after.truePeakDbtp() - before.truePeakDbtp()).isCloseTo(TARGET.gainDb(before), within(0.5));
  }

  private Loudness normalise(File source, Loudness before) {
    LoudnessNormaliser.Plan plan = LoudnessNormaliser.plan(source, 0, "stereo", TARGET);
    assertThat(plan.before()).isEqualTo(before);
    File out = dir.resolve("out.mp4").toFile();
    AudioTranscoder.encode(source, 0, "stereo", plan.filter(), 0, EncoderSettings.defaults(), out);
    return LoudnessMeter.ofPackaged(out, null);
  }

  private File make(String name, String graph) {
    File file = dir.resolve(name + ".mp4").toFile();
    try (Mp4Muxer muxer = new Mp4Muxer(file.getPath());
        FilterGraphSource audio = FilterGraphSource.audio(graph);
        AudioEncoder encoder = new AudioEncoder(muxer, file.getPath(), "stereo", EncoderSettings.defaults(), 0)) {
      muxer.startProgressive();
      AVFrame frame;
      while ((frame = audio.next()) != null) {
        encoder.encode(frame);
      }
      encoder.finish();
      muxer.finish();
    }
    return file;
  }
}
