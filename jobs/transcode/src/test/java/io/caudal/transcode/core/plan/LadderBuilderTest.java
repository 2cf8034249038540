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
            tuple("1080p", 1920, 1080, 5000), tuple("720p", 1280, 720, 2720), tuple("540p", 960, 540, 1770),
            tuple("360p", 640, 360, 960), tuple("268p", 480, 268, 620));
    assertThat(ladder).allSatisfy(r -> {
      assertThat(r.maxKbps()).isEqualTo(r.targetKbps() * 3 / 2);
      assertThat(r.bufferKbits()).isEqualTo(r.targetKbps() * 2);
    });
  }

  @Test
  void scopeFilmRungsAreNamedByTheirOwnLinesAndGetFewerBitsThanSixteenByNine() {
    List<RungTarget> ladder = LadderBuilder.build(1920, 804, FPS30, 0);

    assertThat(ladder).extracting(RungTarget::id).containsExactly("804p", "536p", "400p", "268p", "200p");
    assertThat(ladder.get(0).targetKbps()).isLessThan(5000);
  }

  @Test
  void sourceUnder360LinesGetsThreeRungsAtItsOwnSizeWithLowerBitrates() {
    List<RungTarget> ladder = LadderBuilder.build(640, 272, FPS30, 0);

    assertThat(ladder).extracting(RungTarget::id, RungTarget::width, RungTarget::height).containsExactly(
        tuple("272p", 640, 272), tuple("272p-2", 640, 272), tuple("272p-3", 640, 272));
    assertThat(ladder).extracting(RungTarget::targetKbps).isSortedAccordingTo((a, b) -> b - a).doesNotHaveDuplicates();
    assertThat(LadderBuilder.build(320, 180, FPS30, 0)).hasSize(3)
        .allSatisfy(r -> assertThat(r.size()).isEqualTo(new Size(320, 180)));
  }

  @Test
  void portraitSourceGetsPortraitRungsNamedByTheShortSide() {
    List<RungTarget> ladder = LadderBuilder.build(720, 1280, FPS30, 0);

    assertThat(ladder).extracting(RungTarget::id, RungTarget::width, RungTarget::height).containsExactly(
        tuple("720p", 720, 1280), tuple("540p", 540, 960), tuple("360p", 360, 640), tuple("268p", 268, 480));
  }

  @Test
  void oddSourceDimensionsGiveEvenRungs() {
    List<RungTarget> ladder = LadderBuilder.build(853, 479, FPS30, 0);

    assertThat(ladder).hasSize(3).allSatisfy(r -> {
      assertThat(r.width() % 2).isZero();
      assertThat(r.height() % 2).isZero();
    });
  }

  @Test
  void highFrameRateGetsMoreBits() {
    assertThat(LadderBuilder.build(1920, 1080, new FrameRate(60, 1), 0).get(0).targetKbps()).isEqualTo(7500);
  }

  @Test
  void maxRungsKeepsTheTopOnes() {
    assertThat(LadderBuilder.build(1920, 1080, FPS30, 2)).extracting(RungTarget::id).containsExactly("1080p", "720p");
  }
}
