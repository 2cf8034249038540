package io.caudal.transcode.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResolutionTiersTest {
  @Test
  void fullHdIsTieredByWidth() {
    assertThat(ResolutionTiers.sizes(1920, 1080)).containsExactly(
        new Size(1920, 1080), new Size(1280, 720), new Size(960, 540), new Size(640, 360), new Size(480, 268));
  }

  @Test
  void scopeFilmKeepsItsWholeWidthOnEveryTier() {
    assertThat(ResolutionTiers.sizes(1920, 804)).containsExactly(
        new Size(1920, 804), new Size(1280, 536), new Size(960, 400), new Size(640, 268), new Size(480, 200));
  }

  @Test
  void sourceUnder360LinesIsNeverScaledDown() {
    assertThat(ResolutionTiers.sizes(640, 272)).containsExactly(new Size(640, 272));
    assertThat(ResolutionTiers.sizes(320, 180)).containsExactly(new Size(320, 180));
  }

  @Test
  void portraitIsTieredByHeight() {
    assertThat(ResolutionTiers.sizes(720, 1280)).containsExactly(
        new Size(720, 1280), new Size(540, 960), new Size(360, 640), new Size(268, 480));
  }

  @Test
  void sourceBetweenTiersKeepsItsOwnSizeOnTopAndSkipsATierTooCloseBelowIt() {
    assertThat(ResolutionTiers.sizes(1000, 562)).containsExactly(
        new Size(1000, 560), new Size(640, 360), new Size(480, 268));
    assertThat(ResolutionTiers.sizes(853, 479)).containsExactly(
        new Size(852, 476), new Size(640, 356), new Size(480, 268));
  }

  @Test
  void smallSourceOf360LinesReachesThreeSizesWithTheSmallTiers() {
    assertThat(ResolutionTiers.sizes(640, 360)).containsExactly(
        new Size(640, 360), new Size(480, 268), new Size(384, 216));
  }

  @Test
  void everySideIsAMultipleOfFourSoChromaPlanesAreEven() {
    for (int[] source : new int[][] {{1920, 1080}, {1920, 804}, {853, 479}, {720, 1280}, {160, 121}, {1366, 768}}) {
      assertThat(ResolutionTiers.sizes(source[0], source[1])).allSatisfy(s -> {
        assertThat(s.width() % 4).isZero();
        assertThat(s.height() % 4).isZero();
      });
    }
  }

  @Test
  void neverUpscalesAndCapsAt1920() {
    assertThat(ResolutionTiers.sizes(3840, 2160).get(0)).isEqualTo(new Size(1920, 1080));
    assertThat(ResolutionTiers.sizes(1280, 720).get(0)).isEqualTo(new Size(1280, 720));
  }

  @Test
  void refusesAnEmptyPicture() {
    assertThatThrownBy(() -> ResolutionTiers.sizes(0, 720)).hasMessage("source size must be positive, got 0x720");
  }
}
