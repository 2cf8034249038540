package io.caudal.maintenance.core;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one maintenance run does to a table: which hours to compact and which days to drop.
 *
 * @param compact closed hours with more than one data file, oldest first
 * @param expire days older than the retention, oldest first
 */
public record MaintenancePlan(List<Partition> compact, List<LocalDate> expire) {

  /**
   * Plans a run.
   *
   * @param dataFiles the number of data files of every hour partition of the table
   * @param now the time of the run
   * @param compactOlderThan an hour is closed (nothing writes to it any more) once its end is
   *     this much before {@code now}
   * @param retentionDays days kept before {@code now}'s day; earlier days are dropped
   */
  public static MaintenancePlan of(Map<Partition, Integer> dataFiles, Instant now, Duration compactOlderThan,
      int retentionDays) {
    if (compactOlderThan.isNegative()) {
      throw new IllegalArgumentException("the compaction age must not be negative, got " + compactOlderThan);
    }
    if (retentionDays < 1) {
      throw new IllegalArgumentException("the retention must be at least one day, got " + retentionDays);
    }
    LocalDate firstKept = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(retentionDays);
    Instant closedBy = now.minus(compactOlderThan);
    List<LocalDate> expire = dataFiles.keySet().stream().map(Partition::date)
        .filter(date -> date.isBefore(firstKept)).distinct().sorted().toList();
    Set<LocalDate> expiring = Set.copyOf(expire);
    List<Partition> compact = dataFiles.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey)
        .filter(p -> !p.end().isAfter(closedBy))
        // Compacting a day about to be dropped would be wasted work.
        .filter(p -> !expiring.contains(p.date()))
        .sorted().toList();
    return new MaintenancePlan(compact, expire);
  }

  public boolean isEmpty() {
    return compact.isEmpty() && expire.isEmpty();
  }
}
