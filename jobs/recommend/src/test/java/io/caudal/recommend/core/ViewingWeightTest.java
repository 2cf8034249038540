package io.caudal.recommend.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ViewingWeightTest {
  @Test
  void aSessionThatNeverStartedSaysNothing() {
    assertThat(ViewingWeight.ofSession(false, 1.0, 60_000)).isZero();
    assertThat(ViewingWeight.ofSession(true, 0.5, 0)).isZero();
  }

  @Test
  void underTenPercentWatchedIsWeakEvidence() {
    assertThat(ViewingWeight.ofSession(true, 0.05, 60_000)).isCloseTo(0.05, within(1e-12));
  }

  @Test
  void aFinishedFeatureWeighsMost() {
    assertThat(ViewingWeight.ofSession(true, 1.0, 90 * 60_000)).isCloseTo(2.0, within(1e-12));
    assertThat(ViewingWeight.ofSession(true, 0.5, 15 * 60_000)).isCloseTo(1.25, within(1e-12));
  }

  @Test
  void fourOrFiveStarsSayMoreThanAnyViewing() {
    assertThat(ViewingWeight.ofStars(5)).isEqualTo(3.0);
    assertThat(ViewingWeight.ofStars(4)).isEqualTo(2.0);
    assertThat(ViewingWeight.ofStars(3)).isEqualTo(0.5);
    assertThat(ViewingWeight.ofStars(2)).isZero();
  }
}
