package io.caudal.transcode.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class LadderBuilderTest {
  private static final FrameRate FPS30 = new FrameRate(30, 1);

  @Test
  void fullHdSourceGetsTheWholeLadder() {
    List<RungTarget> ladder = LadderBuilder.build(1920, 1080, FPS30, 0);

    assertThat(ladder).extracting(RungTarget::id, RungTarget::width, RungTarget::height, RungTarget::targetKbps)
        .containsExactly(
            tuple("1080p", 1920, 1080, 5000), tuple("720p", 1280, 720, 3000), tuple("540p", 960, 540, 2000),
            tuple("360p", 640, 360, 1000), tuple("240p", 426, 240, 400));
    assertThat(ladder).allSatisfy(r -> {
      assertThat(r.maxKbps()).isEqualTo(r.targetKbps() * 3 / 2);
      assertThat(r.bufferKbits()).isEqualTo(r.targetKbps() * 2);
    });
  }

  @Test
  void neverUpscalesAndDropsRungsAboveTheSource() {
    assertThat(LadderBuilder.build(1280, 720, FPS30, 0)).extracting(RungTarget::id)
        .containsExactly("720p", "540p", "360p", "240p");
  }

  @Test
  void oddSourceDimensionsGiveEvenRungs() {
    List<RungTarget> ladder = LadderBuilder.build(853, 479, FPS30, 0);

    assertThat(ladder).extracting(RungTarget::id).containsExactly("360p", "240p");
    assertThat(ladder).allSatisfy(r -> {
      assertThat(r.width() % 2).isZero();
      assertThat(r.height() % 2).isZero();
    });
    assertThat(ladder.get(0).width()).isEqualTo(640);
  }

  @Test
  void portraitSourceGetsPortraitRungsNamedByTheShortSide() {
    List<RungTarget> ladder = LadderBuilder.build(1080, 1920, FPS30, 0);

    assertThat(ladder.get(0)).extracting(RungTarget::id, RungTarget::width, RungTarget::height).containsExactly("1080p", 1080, 1920);
    assertThat(ladder).allSatisfy(r -> assertThat(r.height()).isGreaterThan(r.width()));
  }

  @Test
  void sourceBelowTheLowestRungGetsOneRungAtItsOwnSize() {
    List<RungTarget> ladder = LadderBuilder.build(160, 121, FPS30, 0);

    assertThat(ladder).singleElement().extracting(RungTarget::width, RungTarget::height).containsExactly(160, 120);
  }

  @Test
  void highFrameRateGetsMoreBits() {
    assertThat(LadderBuilder.build(1280, 720, new FrameRate(60, 1), 0).get(0).targetKbps()).isEqualTo(4500);
  }

  @Test
  void maxRungsKeepsTheTopOnes() {
    assertThat(LadderBuilder.build(1920, 1080, FPS30, 2)).extracting(RungTarget::id).containsExactly("1080p", "720p");
  }
}
