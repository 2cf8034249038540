package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenessTest {
  private static final long NOW = 1_800_000_000_000L;

  @Test
  void aForgedFutureEventMakesNoGenuineEventLate() {
    Lateness lateness = new Lateness(5_000, 30_000);
    // Genuine events reach Kafka a little after their time, in a stream one forged event joins.
    for (long t = 0; t < 60_000; t += 100) {
      long clock = NOW + t;
      if (t == 10_000) {
        long forged = clock + 25_000;
        assertThat(lateness.isTooFarAhead(forged, clock)).isFalse();
        assertThat(lateness.lateAgainst("p0", forged, clock)).isEqualTo(Long.MIN_VALUE);
      }
      long genuine = clock - 1_500;
      assertThat(lateness.isTooFarAhead(genuine, clock)).isFalse();
      assertThat(lateness.lateAgainst("p0", genuine, clock)).as("genuine event at %d", t).isEqualTo(Long.MIN_VALUE);
    }
  }

  @Test
  void refusesEventsStampedFurtherAheadOfTheirClockThanAllowed() {
    Lateness lateness = new Lateness(5_000, 30_000);
    assertThat(lateness.isTooFarAhead(NOW + 30_000, NOW)).isFalse();
    assertThat(lateness.isTooFarAhead(NOW + 30_001, NOW)).isTrue();
    assertThat(lateness.isTooFarAhead(NOW - 3_600_000, NOW)).isFalse();
  }

  @Test
  void stillRefusesAnEventBehindItsPartitionsWatermark() {
    Lateness lateness = new Lateness(5_000, 30_000);
    assertThat(lateness.lateAgainst("p0", NOW, NOW)).isEqualTo(Long.MIN_VALUE);
    assertThat(lateness.lateAgainst("p0", NOW - 6_000, NOW)).isEqualTo(Lateness.watermark(NOW, 5_000));
    // Another partition keeps its own time.
    assertThat(lateness.lateAgainst("p1", NOW - 6_000, NOW)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void judgesABacklogByWhenItsRecordsReachedKafkaNotByWhenTheyAreRead() {
    Lateness lateness = new Lateness(5_000, 30_000);
    long hourAgo = NOW - 3_600_000;
    assertThat(lateness.lateAgainst("p0", hourAgo + 20_000, hourAgo)).isEqualTo(Long.MIN_VALUE);
    assertThat(lateness.lateAgainst("p0", hourAgo + 1_000, hourAgo + 1_200)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void refusesNegativeBounds() {
    assertThatThrownBy(() -> new Lateness(-1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bounds must not be negative, got -1 and 0");
  }
}
