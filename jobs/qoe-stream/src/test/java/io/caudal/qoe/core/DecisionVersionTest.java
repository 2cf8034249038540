package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecisionVersionTest {
  @Test
  void ordersByEventTimeThenByPlaceWithinTheMillisecond() {
    assertThat(DecisionVersion.of(1_000, 0)).isLessThan(DecisionVersion.of(1_000, 1));
    assertThat(DecisionVersion.of(1_000, 999)).isLessThan(DecisionVersion.of(1_001, 0));
    assertThat(DecisionVersion.of(1_800_000_000_000L, 2)).isEqualTo(1_800_000_000_000_002L);
  }

  @Test
  void refusesAPlaceOutsideTheMillisecondsRange() {
    assertThatThrownBy(() -> DecisionVersion.of(1_000, 1000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ordinal must be in [0, 1000), got 1000");
  }
}
