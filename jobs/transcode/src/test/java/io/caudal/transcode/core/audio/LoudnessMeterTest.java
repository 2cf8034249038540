package io.caudal.transcode.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.caudal.testing.IntegrationTest;
import io.caudal.transcode.TestMedia;
import io.caudal.transcode.core.media.AudioStream;
import io.caudal.transcode.core.media.Prober;
import io.caudal.transcode.core.media.SourceInfo;
import io.caudal.transcode.sample.SampleMaker;
import java.io.File;
import org.junit.jupiter.api.Test;

/** ebur128 in-process on streams SampleMaker makes at known levels. */
@IntegrationTest
class LoudnessMeterTest {
  @Test
  void probesEveryAudioStreamWithItsLanguageAndLayout() {
    SourceInfo info = Prober.probe(TestMedia.englishStereoFrench51());

    assertThat(info.audioStreams()).extracting(AudioStream::index, AudioStream::language, AudioStream::channels,
            AudioStream::layout, AudioStream::sampleRate)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, "eng", 2, "stereo", 48_000),
            org.assertj.core.groups.Tuple.tuple(1, "fra", 6, "5.1", 48_000));
    assertThat(info.audioStreams()).allSatisfy(a -> assertThat(a.durationMicros()).isBetween(6_000_000L, 6_050_000L));
    assertThat(info.audioChannels()).isEqualTo(2);
    assertThat(info.videoFrames()).isEqualTo(180);
  }

  @Test
  void aGainOfTenDecibelsReadsTenLufsLouder() {
    File plain = TestMedia.get("tone-plain", SampleMaker.Spec.of(4, 160, 90).withoutVideo()
        .withAudio(SampleMaker.AudioSpec.of("en", 2)));
    File louder = TestMedia.get("tone-plus10", SampleMaker.Spec.of(4, 160, 90).withoutVideo()
        .withAudio(SampleMaker.AudioSpec.of("en", 2).withGainDb(10)));

    Loudness a = LoudnessMeter.ofStream(plain, 0, "stereo");
    Loudness b = LoudnessMeter.ofStream(louder, 0, "stereo");

    // The sine is at -18 dBFS, its beeps added on top: a steady stereo tone reads about its level
    // in LUFS, and its peaks sit above that and under full scale.
    assertThat(a.integratedLufs()).isBetween(-21.0, -15.0);
    assertThat(a.truePeakDbtp()).isGreaterThan(a.integratedLufs()).isLessThan(0);
    assertThat(b.integratedLufs() - a.integratedLufs()).isCloseTo(10, within(0.2));
    assertThat(b.truePeakDbtp() - a.truePeakDbtp()).isCloseTo(10, within(0.2));
  }

  @Test
  void aFiveOneStreamMeasuredForItsStereoDownmixReadsOtherwiseThanAsFiveOne() {
    File source = TestMedia.englishStereoFrench51();

    Loudness surround = LoudnessMeter.ofStream(source, 1, "5.1");
    Loudness downmix = LoudnessMeter.ofStream(source, 1, "stereo");

    assertThat(surround.integratedLufs()).isBetween(-16.0, 0.0);
    assertThat(Math.abs(surround.integratedLufs() - downmix.integratedLufs())).isGreaterThan(0.5);
  }
}
