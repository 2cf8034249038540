package io.caudal.maintenance.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintenancePlanTest {
  private static final Instant NOW = Instant.parse("2026-03-10T12:30:00Z");
  private static final LocalDate TODAY = LocalDate.parse("2026-03-10");

  private static Partition hour(LocalDate date, int hour) {
    return new Partition(date, hour);
  }

  @Test
  void compactsOnlyClosedHoursWithMoreThanOneFile() {
    Map<Partition, Integer> files = Map.of(
        hour(TODAY, 9), 5,   // ended 10:00, 2.5 h ago: closed
        hour(TODAY, 10), 1,  // closed but already one file
        hour(TODAY, 11), 4,  // ended 12:00, only 30 min ago: still open
        hour(TODAY, 12), 3); // the current hour
    MaintenancePlan plan = MaintenancePlan.of(files, NOW, Duration.ofHours(2), 30);
    assertThat(plan.compact()).containsExactly(hour(TODAY, 9));
    assertThat(plan.expire()).isEmpty();
  }

  @Test
  void anHourEndingExactlyAtTheCutoffIsClosed() {
    Map<Partition, Integer> files = Map.of(hour(TODAY, 10), 2);
    assertThat(MaintenancePlan.of(files, NOW.minusSeconds(30 * 60), Duration.ofHours(1), 30).compact())
        .containsExactly(hour(TODAY, 10));
    assertThat(MaintenancePlan.of(files, NOW.minusSeconds(30 * 60 + 1), Duration.ofHours(1), 30).compact()).isEmpty();
  }

  @Test
  void expiresWholeDaysBeforeTheRetentionAndDoesNotCompactThem() {
    Map<Partition, Integer> files = Map.of(
        hour(TODAY.minusDays(8), 3), 6,
        hour(TODAY.minusDays(8), 4), 1,
        hour(TODAY.minusDays(7), 0), 6,
        hour(TODAY.minusDays(9), 23), 1);
    MaintenancePlan plan = MaintenancePlan.of(files, NOW, Duration.ofHours(2), 7);
    assertThat(plan.expire()).containsExactly(TODAY.minusDays(9), TODAY.minusDays(8));
    assertThat(plan.compact()).containsExactly(hour(TODAY.minusDays(7), 0));
  }

  @Test
  void ordersCompactionsOldestFirst() {
    Map<Partition, Integer> files = Map.of(hour(TODAY, 2), 2, hour(TODAY.minusDays(1), 22), 3, hour(TODAY, 1), 2);
    assertThat(MaintenancePlan.of(files, NOW, Duration.ofHours(2), 30).compact())
        .containsExactly(hour(TODAY.minusDays(1), 22), hour(TODAY, 1), hour(TODAY, 2));
  }

  @Test
  void anEmptyTablePlansNothing() {
    assertThat(MaintenancePlan.of(Map.of(), NOW, Duration.ZERO, 1).isEmpty()).isTrue();
  }

  @Test
  void refusesARetentionUnderOneDay() {
    assertThatThrownBy(() -> MaintenancePlan.of(Map.of(), NOW, Duration.ofHours(1), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the retention must be at least one day, got 0");
  }
}
