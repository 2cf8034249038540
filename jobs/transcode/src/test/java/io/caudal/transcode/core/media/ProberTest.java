package io.caudal.transcode.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.testing.IntegrationTest;
import io.caudal.transcode.TestMedia;
import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.sample.SampleMaker.Spec;
import java.io.File;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@IntegrationTest
class ProberTest {
  @Test
  void readsStreamsDurationRateSizeAndKeyframes() {
    SourceInfo info = Prober.probe(TestMedia.standard());

    assertThat(info.hasVideo()).isTrue();
    assertThat(info.hasAudio()).isTrue();
    assertThat(info.width()).isEqualTo(640);
    assertThat(info.height()).isEqualTo(360);
    assertThat(info.rotation()).isZero();
    assertThat(info.nominalRate()).isEqualTo(new FrameRate(30, 1));
    assertThat(info.variableRate()).isFalse();
    assertThat(info.videoFrames()).isEqualTo(180);
    assertThat(info.videoDurationMicros()).isEqualTo(6_000_000);
    assertThat(info.keyframeMicros()).containsExactly(0, 2_000_000, 4_000_000);
    assertThat(info.audioChannels()).isEqualTo(2);
    assertThat(info.audioDurationMicros()).isBetween(6_000_000L, 6_050_000L);
  }

  @Test
  void findsSparseKeyframes() {
    SourceInfo info = Prober.probe(TestMedia.get("sparse", Spec.of(9, 320, 180).withGop(120).withoutAudio()));

    assertThat(info.keyframeMicros()).containsExactly(0, 4_000_000, 8_000_000);
  }

  @Test
  void detectsVariableFrameRateAndPicksAStandardOutputRate() {
    SourceInfo info = Prober.probe(TestMedia.get("vfr", Spec.of(4, 320, 180).withVariableRate()));

    assertThat(info.variableRate()).isTrue();
    assertThat(info.outputRate()).isEqualTo(new FrameRate(25, 1));
  }

  @Test
  void readsA90DegreeRotationFlagAndSwapsTheDisplaySize() {
    SourceInfo info = Prober.probe(TestMedia.get("rotated", Spec.of(2, 640, 360).withRotation(90)));

    assertThat(info.rotation()).isEqualTo(90);
    assertThat(info.displayWidth()).isEqualTo(360);
    assertThat(info.displayHeight()).isEqualTo(640);
  }

  @Test
  void audioOnlyAndVideoOnlyAreBothMedia() {
    SourceInfo audioOnly = Prober.probe(TestMedia.get("audio-only", Spec.of(3, 320, 180).withoutVideo()));
    SourceInfo videoOnly = Prober.probe(TestMedia.get("video-only", Spec.of(3, 320, 180).withoutAudio()));

    assertThat(audioOnly.hasVideo()).isFalse();
    assertThat(audioOnly.hasAudio()).isTrue();
    assertThat(videoOnly.hasVideo()).isTrue();
    assertThat(videoOnly.hasAudio()).isFalse();
  }

  @Test
  void refusesAMissingFile() {
    assertThatThrownBy(() -> Prober.probe(new File("/no/such/title.mp4")))
        .isInstanceOf(MediaException.class).hasMessage("/no/such/title.mp4: no such file");
  }

  @Test
  void refusesAnEmptyFile() {
    File empty = TestMedia.bytes("empty.mp4", new byte[0]);

    assertThatThrownBy(() -> Prober.probe(empty)).hasMessage(empty.getPath() + ": file is empty (0 bytes)");
  }

  @Test
  void refusesSomethingThatIsNotAVideo() {
    File text = TestMedia.bytes("notes.mp4", "these are not the frames you are looking for\n".repeat(50)
        .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> Prober.probe(text)).isInstanceOf(MediaException.class)
        .hasMessageStartingWith(text.getPath() + ": not a readable media file");
  }

  @Test
  void refusesATruncatedFileNamingWhatIsMissing() {
    File cut = TestMedia.truncated(TestMedia.standard(), 0.3);

    assertThatThrownBy(() -> Prober.probe(cut)).isInstanceOf(MediaException.class)
        .hasMessageStartingWith(cut.getPath() + ": truncated: the container declares 6.0");
  }
}
