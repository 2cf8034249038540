package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  static final LoginThrottle.Policy POLICY = new LoginThrottle.Policy(3, 10, 1_000, 60_000, 600_000);
  final MovableClock clock = new MovableClock(1_000_000);
  final LoginThrottle throttle = new LoginThrottle(POLICY, clock);

  /** Fails {@code n} allowed attempts in a row; returns how many were allowed. */
  private int fail(String user, String address, int n) {
    int allowed = 0;
    for (int i = 0; i < n; i++) {
      if (throttle.tryAttempt(user, address) == 0) {
        allowed++;
      }
    }
    return allowed;
  }

  @Test
  void aUserFailsAFewTimesFreelyThenWaitsTwiceAsLongAfterEachFailure() {
    assertThat(fail("ops", "10.0.0.1", 3)).isEqualTo(3);
    assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isZero(); // the 4th failure: a 1 s wait follows
    assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isEqualTo(1_000);
    clock.advanceMs(1_000);
    assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isZero(); // the 5th: 2 s
    clock.advanceMs(1_999);
    assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isEqualTo(1);
    clock.advanceMs(1);
    assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isZero(); // the 6th: 4 s
    assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isEqualTo(4_000);
  }

  @Test
  void theWaitStopsGrowingAtTheLockout() {
    assertThat(throttle.delayMs(3, 3)).isZero();
    assertThat(throttle.delayMs(4, 3)).isEqualTo(1_000);
    assertThat(throttle.delayMs(9, 3)).isEqualTo(32_000);
    assertThat(throttle.delayMs(10, 3)).isEqualTo(60_000);
    assertThat(throttle.delayMs(1_000_000, 3)).isEqualTo(60_000);
  }

  @Test
  void aRefusedAttemptIsNotCountedSoWaitingIsEnough() {
    fail("ops", "10.0.0.1", 4);
    for (int i = 0; i < 200; i++) {
      assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isPositive();
    }
    clock.advanceMs(1_000);
    assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isZero();
  }

  @Test
  void aSuccessClearsTheUserAndGivesTheAddressItsAttemptBack() {
    fail("ops", "10.0.0.1", 3);
    assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isZero();
    throttle.succeeded("ops", "10.0.0.1");
    assertThat(fail("ops", "10.0.0.1", 3)).isEqualTo(3);
  }

  @Test
  void oneAddressTryingManyNamesWaitsToo() {
    for (int i = 0; i < 10; i++) {
      assertThat(throttle.tryAttempt("user-" + i, "10.0.0.1")).isZero();
    }
    assertThat(throttle.tryAttempt("user-10", "10.0.0.1")).isZero(); // 11th failure from there: 1 s
    assertThat(throttle.tryAttempt("user-11", "10.0.0.1")).isEqualTo(1_000);
    assertThat(throttle.tryAttempt("user-11", "10.0.0.2")).isZero();
  }

  @Test
  void aLockedUserDoesNotHoldUpAnotherUserOnAnotherAddress() {
    fail("ops", "10.0.0.1", 20);
    assertThat(throttle.tryAttempt("ops", "10.0.0.9")).isPositive(); // the name itself waits, from anywhere
    assertThat(throttle.tryAttempt("alice", "10.0.0.9")).isZero();
  }

  @Test
  void aQuietKeyIsForgotten() {
    fail("ops", "10.0.0.1", 4);
    assertThat(throttle.size()).isEqualTo(2);
    clock.advanceMs(1_000 + 600_000);
    assertThat(throttle.tryAttempt("ops", "10.0.0.1")).isZero();
    assertThat(fail("ops", "10.0.0.1", 2)).isEqualTo(2); // counting starts again
  }
}
