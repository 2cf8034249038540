package io.caudal.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AbrRuleTest {
  private static final Ladder LADDER = Ladder.DEFAULT; // 145/365/730/2000/3000/4500/6000
  private static final AbrRule ABR = AbrRule.DEFAULT;
  private static final int UNCAPPED = Integer.MAX_VALUE;

  @Test
  void picksTheHighestRungUnderEightyPercentOfThroughput() {
    // 0.8 × 4000 = 3200: 3000 fits, 4500 does not.
    assertThat(ABR.firstRung(LADDER, 4000, UNCAPPED)).isEqualTo(3000);
    assertThat(ABR.nextRung(LADDER, 3000, 4000, 20_000, UNCAPPED)).isEqualTo(3000);
    // 0.8 × 3100 = 2480 picks 2000, and 3000 is over 0.95 × 3100 = 2945: down it goes.
    assertThat(ABR.nextRung(LADDER, 3000, 3100, 20_000, UNCAPPED)).isEqualTo(2000);
  }

  @Test
  void keepsItsRungWhileItStillFitsUnderTheStayFactor() {
    // 3000 is over 0.8 × 3500 = 2800 but under 0.95 × 3500 = 3325: no flapping down.
    assertThat(ABR.nextRung(LADDER, 3000, 3500, 20_000, UNCAPPED)).isEqualTo(3000);
  }

  @Test
  void takesTheLowestRungWhenEvenItDoesNotFit() {
    assertThat(ABR.firstRung(LADDER, 100, UNCAPPED)).isEqualTo(145);
  }

  @Test
  void stepsDownAtLeastOneRungWhenTheBufferRunsLow() {
    // Throughput alone would keep 4500, but 5 s of buffer is under the 8 s guard.
    assertThat(ABR.nextRung(LADDER, 4500, 10_000, 5_000, UNCAPPED)).isEqualTo(3000);
    assertThat(ABR.nextRung(LADDER, 145, 10_000, 1_000, UNCAPPED)).isEqualTo(145);
  }

  @Test
  void waitsForAComfortableBufferBeforeSteppingUp() {
    assertThat(ABR.nextRung(LADDER, 730, 20_000, 10_000, UNCAPPED)).isEqualTo(730);
    assertThat(ABR.nextRung(LADDER, 730, 20_000, 12_000, UNCAPPED)).isEqualTo(6000);
  }

  @Test
  void neverExceedsTheCap() {
    assertThat(ABR.firstRung(LADDER, 20_000, 2000)).isEqualTo(2000);
    assertThat(ABR.nextRung(LADDER, 2000, 20_000, 25_000, 2000)).isEqualTo(2000);
    // A cap between rungs holds the session to the rung under it.
    assertThat(ABR.nextRung(LADDER, 6000, 20_000, 25_000, 2500)).isEqualTo(2000);
  }

  @Test
  void refusesALadderThatDoesNotAscend() {
    assertThatThrownBy(() -> new Ladder(List.of(500, 300)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rungs must ascend");
  }
}
