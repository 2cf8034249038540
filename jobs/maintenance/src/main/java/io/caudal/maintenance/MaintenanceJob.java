package io.caudal.maintenance;

import io.caudal.maintenance.spark.TableMaintainer;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.io.IOException;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point: {@code spark-submit --class io.caudal.maintenance.MaintenanceJob
 * caudal-maintenance.jar --root URI --table qoe_sessions --compact-older-than-hours 2
 * --retention-days 90}. Prints one line per action and a JSON summary as its last line.
 */
public final class MaintenanceJob {
  private MaintenanceJob() {}

  public static void main(String[] args) {
    Optional<MaintenanceOptions> parsed;
    try {
      parsed = MaintenanceOptions.parse(args);
    } catch (UsageException e) {
      System.exit(CommandLines.refuse("caudal-maintenance", e, System.err));
      return;
    }
    if (parsed.isEmpty()) {
      System.out.print(MaintenanceOptions.usage());
      return;
    }
    MaintenanceOptions options = parsed.get();
    SparkSession spark = SparkSession.builder().appName("caudal-maintenance-" + options.table())
        .master(System.getProperty("spark.master", "local[*]")).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int status = 0;
    try {
      TableMaintainer.Summary summary = run(spark, options);
      summary.recovered().forEach(line -> System.err.println("[maintenance] recovered " + line));
      summary.notPartitions().forEach(name -> System.err.println("[maintenance] left alone, not a partition: " + name));
      System.out.println(toJson(summary));
    } catch (IOException e) {
      System.err.println("caudal-maintenance: " + e.getMessage());
      status = 1;
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  public static TableMaintainer.Summary run(SparkSession spark, MaintenanceOptions options) throws IOException {
    return new TableMaintainer(spark, options.root(), options.table())
        .run(options.now(), options.compactOlderThan(), options.retentionDays());
  }

  static String toJson(TableMaintainer.Summary s) {
    return "{\"table\":\"" + s.table() + "\",\"compacted_partitions\":" + s.compacted().size()
        + ",\"files_before\":" + s.filesBefore() + ",\"expired_days\":" + s.expired().size()
        + ",\"recovered\":" + s.recovered().size() + ",\"not_partitions\":" + s.notPartitions().size() + "}";
  }
}
