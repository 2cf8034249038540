package io.caudal.maintenance;

import io.caudal.schemas.Tables;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Options of the maintenance job.
 *
 * @param root Caudal root; the table is {@code <root>/tables/<table>}
 * @param table {@code qoe_sessions} or {@code qoe_minute}
 * @param compactOlderThan hours whose end is at least this old are closed and get compacted
 * @param retentionDays days kept before the run's day; earlier ones are dropped
 * @param now the time the run acts as of (default: the clock), so a scheduled run is repeatable
 */
public record MaintenanceOptions(String root, String table, Duration compactOlderThan, int retentionDays,
    Instant now) {

  /** The Hive-partitioned tables this job looks after. */
  public static final Set<String> PARTITIONED_TABLES =
      Set.of(Tables.QOE_SESSIONS.name(), Tables.QOE_MINUTE.name());
  public static final int DEFAULT_COMPACT_OLDER_THAN_HOURS = 2;
  public static final int DEFAULT_RETENTION_DAYS = 90;

  static final String USAGE = """
      usage: caudal-maintenance --root URI --table qoe_sessions|qoe_minute
             [--compact-older-than-hours 2] [--retention-days 90] [--now 2026-01-31T00:00:00Z]""";

  public static MaintenanceOptions parse(String... args) {
    String root = null, table = null;
    int hours = DEFAULT_COMPACT_OLDER_THAN_HOURS, retention = DEFAULT_RETENTION_DAYS;
    Instant now = null;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (!option.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + option + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--root" -> root = value;
        case "--table" -> table = value;
        case "--compact-older-than-hours" -> hours = number(option, value, 0);
        case "--retention-days" -> retention = number(option, value, 1);
        case "--now" -> now = instant(value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("missing --root");
    }
    if (table == null) {
      throw new IllegalArgumentException("missing --table");
    }
    if (!PARTITIONED_TABLES.contains(table)) {
      throw new IllegalArgumentException("--table must be one of " + PARTITIONED_TABLES.stream().sorted().toList()
          + ", got '" + table + "'");
    }
    return new MaintenanceOptions(root, table, Duration.ofHours(hours), retention,
        now != null ? now : Instant.now());
  }

  private static int number(String option, String value, int min) {
    try {
      int n = Integer.parseInt(value);
      if (n < min) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number of at least " + min + ", got '" + value + "'");
    }
  }

  /** An ISO-8601 instant with an offset, as Airflow renders its dates. */
  private static Instant instant(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--now must be an ISO-8601 time with an offset, e.g. 2026-01-31T00:00:00Z, got '"
          + value + "'");
    }
  }
}
