package io.caudal.maintenance;

import io.caudal.schemas.Tables;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Options of the maintenance job, read from its command line.
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

  /**
   * Parses the command line.
   *
   * @return the options, or empty when help was asked for
   * @throws UsageException naming the option and what is wrong with it
   */
  public static Optional<MaintenanceOptions> parse(String... args) {
    return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
  }

  /** The help text: every option with its default. */
  public static String usage() {
    return CommandLines.usage(new Cli());
  }

  @Command(name = "caudal-maintenance", sortOptions = false,
      customSynopsis = "caudal-maintenance --root URI --table qoe_sessions|qoe_minute [OPTIONS]",
      description = "Compacts the closed hours of a QoE table into one file each and drops the days past retention.")
  static final class Cli {
    @Option(names = "--root", paramLabel = "URI",
        description = "Caudal root; the table is <root>/tables/<table> (required)")
    String root;
    @Option(names = "--table", paramLabel = "NAME", description = "qoe_sessions or qoe_minute (required)")
    String table;
    @Option(names = "--compact-older-than-hours", paramLabel = "H",
        description = "an hour is closed, and compacted, once its end is H hours before now (default ${DEFAULT-VALUE})")
    int compactOlderThanHours = DEFAULT_COMPACT_OLDER_THAN_HOURS;
    @Option(names = "--retention-days", paramLabel = "D",
        description = "days before today (UTC) that are kept; earlier days are dropped (default ${DEFAULT-VALUE})")
    int retentionDays = DEFAULT_RETENTION_DAYS;
    @Option(names = "--now", paramLabel = "ISO-8601", converter = OffsetInstant.class,
        description = "the time the run acts as of, e.g. 2026-01-31T00:00:00Z (default: the clock)")
    Instant now;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    MaintenanceOptions toOptions() {
      if (root == null || root.isBlank()) {
        throw new UsageException("missing --root");
      }
      if (table == null) {
        throw new UsageException("missing --table");
      }
      if (!PARTITIONED_TABLES.contains(table)) {
        throw new UsageException("--table must be one of " + PARTITIONED_TABLES.stream().sorted().toList()
            + ", got '" + table + "'");
      }
      CommandLines.atLeast("--compact-older-than-hours", 0, compactOlderThanHours);
      CommandLines.atLeast("--retention-days", 1, retentionDays);
      return new MaintenanceOptions(root, table, Duration.ofHours(compactOlderThanHours), retentionDays,
          now != null ? now : Instant.now());
    }
  }

  /** An ISO-8601 time with an offset, as Airflow renders its dates. */
  static final class OffsetInstant implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("must be an ISO-8601 time with an offset, e.g. 2026-01-31T00:00:00Z");
      }
    }
  }
}
