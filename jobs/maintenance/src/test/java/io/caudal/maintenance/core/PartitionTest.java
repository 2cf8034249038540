package io.caudal.maintenance.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PartitionTest {
  @Test
  void readsHiveFolderNames() {
    assertThat(Partition.parseDate("date=2026-01-31")).contains(LocalDate.parse("2026-01-31"));
    assertThat(Partition.parseHour("hour=07")).contains(7);
  }

  @Test
  void refusesNamesThatAreNotPartitions() {
    assertThat(Partition.parseDate("date=2026-02-30")).isEmpty();
    assertThat(Partition.parseDate("2026-01-31")).isEmpty();
    assertThat(Partition.parseDate("date=2026-1-31")).isEmpty();
    assertThat(Partition.parseHour("hour=24")).isEmpty();
    assertThat(Partition.parseHour("hour=7")).isEmpty();
  }

  @Test
  void spansOneUtcHour() {
    Partition p = new Partition(LocalDate.parse("2026-01-31"), 23);
    assertThat(p.path()).isEqualTo("date=2026-01-31/hour=23");
    assertThat(p.start()).isEqualTo(Instant.parse("2026-01-31T23:00:00Z"));
    assertThat(p.end()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
  }
}
