package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.qoe.core.BitrateCapPolicy.Decision;
import io.caudal.qoe.core.BitrateCapPolicy.Observation;
import io.caudal.schemas.BitrateDecision;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class BitrateCapPolicyTest {
  /** A named instant: when the session's previous decision was taken. */
  private static final long T0 = 1_764_000_000_000L;
  private static final int[] LADDER = {400, 800, 1_600, 3_000, 6_000};
  /** Buffer between low and healthy: neither lowers a rung nor allows a raise. */
  private static final long STEADY_BUFFER_MS = 15_000;
  private static final long HEALTHY_BUFFER_MS = 25_000;
  private static final double PLENTY_KBPS = 20_000;

  private final BitrateCapPolicy policy = new BitrateCapPolicy();

  private static Observation seen(long atMs, long bufferMs, double throughputKbps) {
    return new Observation(bufferMs, throughputKbps, OptionalDouble.of(0.0), atMs);
  }

  private static Observation seenWithLoss(long atMs, long bufferMs, double throughputKbps, double loss) {
    return new Observation(bufferMs, throughputKbps, OptionalDouble.of(loss), atMs);
  }

  private static Observation seenWithoutRtcp(long atMs, long bufferMs, double throughputKbps) {
    return new Observation(bufferMs, throughputKbps, OptionalDouble.empty(), atMs);
  }

  private static Decision capped(int kbps) {
    return new Decision(kbps, "low_throughput: earlier", T0);
  }

  @Test
  void capsAtHighestRungWithinSafeShareOfThroughput() {
    Optional<Decision> d = policy.evaluate(LADDER, seen(T0, STEADY_BUFFER_MS, 2_500), null);

    // 2500 × 0.8 = 2000 kbps: 1600 fits, 3000 does not.
    assertThat(d).contains(new Decision(1_600, "low_throughput: 2500 kbps × 0.80 sustains 1600 kbps", T0));
  }

  @Test
  void decidesNothingForUncappedSessionThatSustainsTheTopRung() {
    assertThat(policy.evaluate(LADDER, seen(T0, STEADY_BUFFER_MS, 7_500), null)).isEmpty();
  }

  @Test
  void capsAtLowestRungWhenThroughputIsUnderTheWholeLadder() {
    assertThat(policy.evaluate(LADDER, seen(T0, STEADY_BUFFER_MS, 100), null))
        .map(Decision::capKbps).contains(400);
  }

  @Test
  void lowersOneMoreRungWhenBufferIsLow() {
    Optional<Decision> d = policy.evaluate(LADDER, seen(T0, 9_999, 2_500), null);

    assertThat(d).contains(new Decision(800,
        "low_buffer: buffer 9999 ms under 10000 ms, one rung under the 1600 kbps throughput allows", T0));
  }

  @Test
  void doesNotLowerBelowTheLowestRungForLowBuffer() {
    assertThat(policy.evaluate(LADDER, seen(T0, 2_000, 600), null)).map(Decision::capKbps).contains(400);
  }

  @Test
  void capsAtSecondLowestRungUnderHeavyLoss() {
    Optional<Decision> d = policy.evaluate(LADDER, seenWithLoss(T0, HEALTHY_BUFFER_MS, PLENTY_KBPS, 0.08), null);

    assertThat(d).contains(new Decision(800, "heavy_loss: loss 0.080 over 0.050 holds the cap to 800 kbps", T0));
  }

  @Test
  void keepsTheLowerThroughputCapUnderHeavyLoss() {
    assertThat(policy.evaluate(LADDER, seenWithLoss(T0, STEADY_BUFFER_MS, 600, 0.2), null))
        .map(Decision::capKbps).contains(400);
  }

  @Test
  void treatsLossAtTheThresholdAsNotHeavy() {
    assertThat(policy.evaluate(LADDER, seenWithLoss(T0, HEALTHY_BUFFER_MS, PLENTY_KBPS, 0.05), null)).isEmpty();
  }

  @Test
  void leavesTheCapToBufferAndThroughputWhenLossIsUnknown() {
    assertThat(policy.evaluate(LADDER, seenWithoutRtcp(T0, HEALTHY_BUFFER_MS, PLENTY_KBPS), null)).isEmpty();
    assertThat(policy.evaluate(LADDER, seenWithoutRtcp(T0, STEADY_BUFFER_MS, 2_500), null))
        .map(Decision::capKbps).contains(1_600);
  }

  @Test
  void blocksALowerCapWithinTenSecondsOfThePreviousDecision() {
    assertThat(policy.evaluate(LADDER, seen(T0 + 9_999, STEADY_BUFFER_MS, 600), capped(1_600))).isEmpty();
  }

  @Test
  void allowsALowerCapTenSecondsAfterThePreviousDecision() {
    assertThat(policy.evaluate(LADDER, seen(T0 + 10_000, STEADY_BUFFER_MS, 600), capped(1_600)))
        .contains(new Decision(400, "low_throughput: 600 kbps × 0.80 sustains 400 kbps", T0 + 10_000));
  }

  @Test
  void blocksLiftingWithinTenSecondsOfThePreviousDecision() {
    assertThat(policy.evaluate(LADDER, seen(T0 + 5_000, HEALTHY_BUFFER_MS, PLENTY_KBPS), capped(800))).isEmpty();
  }

  @Test
  void liftsTheCapToTheTopRungWhenTheSessionRecovers() {
    Optional<Decision> d = policy.evaluate(LADDER, seen(T0 + 10_000, HEALTHY_BUFFER_MS, PLENTY_KBPS), capped(800));

    assertThat(d).contains(new Decision(6_000,
        "lifted: buffer 25000 ms, throughput 20000 kbps sustains 6000 kbps (top rung, no cap)", T0 + 10_000));
  }

  @Test
  void liftsStraightToTheSustainableRungNotFurther() {
    // 4000 × 0.8 = 3200 kbps: from 400 up to 3000 at once, short of the top.
    assertThat(policy.evaluate(LADDER, seen(T0 + 20_000, 20_000, 4_000), capped(400)))
        .map(Decision::capKbps).contains(3_000);
  }

  @Test
  void holdsTheCapWhileBufferIsBelowHealthyEvenWithThroughputToSpare() {
    assertThat(policy.evaluate(LADDER, seen(T0 + 60_000, 19_999, PLENTY_KBPS), capped(800))).isEmpty();
  }

  @Test
  void holdsTheCapWhenTheSustainableRungIsTheCurrentOne() {
    assertThat(policy.evaluate(LADDER, seen(T0 + 60_000, HEALTHY_BUFFER_MS, 2_500), capped(1_600))).isEmpty();
  }

  @Test
  void liftsLossCapOnceLossClearsAndBufferIsHealthy() {
    Decision lossCap = policy.evaluate(LADDER, seenWithLoss(T0, HEALTHY_BUFFER_MS, PLENTY_KBPS, 0.1), null)
        .orElseThrow();

    assertThat(policy.evaluate(LADDER, seenWithLoss(T0 + 10_000, HEALTHY_BUFFER_MS, PLENTY_KBPS, 0.1), lossCap))
        .isEmpty();
    assertThat(policy.evaluate(LADDER, seenWithLoss(T0 + 10_000, HEALTHY_BUFFER_MS, PLENTY_KBPS, 0.01), lossCap))
        .map(Decision::capKbps).contains(6_000);
  }

  @Test
  void readsAPreviousCapThatIsNoLongerARungAsTheRungUnderIt() {
    // 1000 kbps is not on the ladder: the session is held at 800, which is what it sustains.
    assertThat(policy.evaluate(LADDER, seen(T0 + 60_000, STEADY_BUFFER_MS, 1_100), capped(1_000))).isEmpty();
  }

  @Test
  void honoursAConfiguredChangeInterval() {
    BitrateCapPolicy patient = new BitrateCapPolicy(new BitrateCapPolicy.Config(0.8, 10_000, 20_000, 0.05, 30_000));

    assertThat(patient.evaluate(LADDER, seen(T0 + 29_999, STEADY_BUFFER_MS, 600), capped(1_600))).isEmpty();
    assertThat(patient.evaluate(LADDER, seen(T0 + 30_000, STEADY_BUFFER_MS, 600), capped(1_600))).isPresent();
  }

  @Test
  void mapsADecisionToTheBitrateEvent() {
    BitrateDecision event = new Decision(800, "low_buffer: x", T0).toBitrateDecision("s-42");

    assertThat(event.getSessionId()).isEqualTo("s-42");
    assertThat(event.getEventTime()).isEqualTo(T0);
    assertThat(event.getMaxBitrateKbps()).isEqualTo(800);
    assertThat(event.getReason()).isEqualTo("low_buffer: x");
  }

  @Test
  void refusesAnEmptyLadder() {
    assertThatThrownBy(() -> policy.evaluate(new int[0], seen(T0, STEADY_BUFFER_MS, 2_500), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ladder is empty: a cap must be one of the title's rungs");
  }

  @Test
  void refusesALadderThatIsNotAscending() {
    assertThatThrownBy(() -> policy.evaluate(new int[] {400, 1_600, 800}, seen(T0, STEADY_BUFFER_MS, 2_500), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ladder must be strictly ascending, but rung 2 (800 kbps) follows 1600 kbps");
  }

  @Test
  void refusesLossOutsideZeroToOne() {
    assertThatThrownBy(() -> seenWithLoss(T0, STEADY_BUFFER_MS, 2_500, 12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lossFraction must be in [0, 1], got 12.0");
  }

  @Test
  void refusesAHealthyBufferBelowTheLowBuffer() {
    assertThatThrownBy(() -> new BitrateCapPolicy.Config(0.8, 10_000, 5_000, 0.05, 10_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthyBufferMs (5000) must be at least lowBufferMs (10000), or a cap could be raised while"
            + " the buffer is low");
  }
}
