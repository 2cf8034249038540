package io.caudal.transcode.core.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a measured stream is brought to the target. */
class LoudnessTargetTest {
  private static final LoudnessTarget TARGET = LoudnessTarget.defaults();

  @Test
  void aQuietStreamWithLowPeaksGetsOneGain() {
    Loudness quiet = new Loudness(-35, -30);

    assertThat(TARGET.methodFor(quiet)).isEqualTo(LoudnessTarget.Method.GAIN);
    assertThat(TARGET.gainDb(quiet)).isEqualTo(11.0);
    assertThat(TARGET.filterFor(quiet)).isEqualTo("volume=volume=11.000dB:precision=double");
  }

  @Test
  void aLoudStreamIsTurnedDown() {
    assertThat(TARGET.filterFor(new Loudness(-8.5, -3))).isEqualTo("volume=volume=-15.500dB:precision=double");
  }

  @Test
  void aGainThatWouldLiftThePeaksOverTheCeilingGoesThroughLoudnormsLimiter() {
    // -35 LUFS with peaks at -10 dBTP: +11 dB would put them at +1 dBTP.
    Loudness peaky = new Loudness(-35, -10);

    assertThat(TARGET.methodFor(peaky)).isEqualTo(LoudnessTarget.Method.LIMITED);
    assertThat(TARGET.filterFor(peaky))
        .isEqualTo("loudnorm=I=-24.00:TP=-3.00:LRA=20.0:measured_I=-35.00:measured_TP=-10.00:linear=false");
  }

  @Test
  void peaksWithinTheCodecsHeadroomOfTheCeilingAlsoGoThroughTheLimiter() {
    assertThat(TARGET.methodFor(new Loudness(-24, -2.5))).isEqualTo(LoudnessTarget.Method.LIMITED);
    assertThat(TARGET.methodFor(new Loudness(-24, -3))).isEqualTo(LoudnessTarget.Method.GAIN);
  }

  @Test
  void silenceIsNotAmplifiedAndOffKeepsTheLevels() {
    assertThat(TARGET.methodFor(new Loudness(-70, Loudness.FLOOR_DBTP))).isEqualTo(LoudnessTarget.Method.SILENT);
    assertThat(TARGET.filterFor(new Loudness(-70, Loudness.FLOOR_DBTP))).isNull();
    LoudnessTarget off = new LoudnessTarget(false, -24, -2);
    assertThat(off.methodFor(new Loudness(-35, -30))).isEqualTo(LoudnessTarget.Method.OFF);
    assertThat(off.filterFor(new Loudness(-35, -30))).isNull();
  }

  @Test
  void anotherTargetMovesTheGain() {
    assertThat(new LoudnessTarget(true, -16, -1).filterFor(new Loudness(-20, -12)))
        .isEqualTo("volume=volume=4.000dB:precision=double");
  }
}
