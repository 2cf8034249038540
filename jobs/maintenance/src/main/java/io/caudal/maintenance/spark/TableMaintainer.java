package io.caudal.maintenance.spark;

import io.caudal.maintenance.core.MaintenancePlan;
import io.caudal.maintenance.core.Partition;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Compacts and expires the partitions of one Hive-partitioned table through Hadoop's
 * FileSystem, so that a reader never sees a row twice or a half-written file, and a run that
 * died half-way is finished (or undone) by the next one.
 *
 * <p>Work happens under {@code <root>/tables/.maintenance/<table>/}, beside the table and not
 * inside it, so no reader of the table's folder ever lists it:
 * <ul>
 *   <li>{@code compact/<partition>}: the partition rewritten into one file (complete once Spark's
 *       {@code _SUCCESS} marker is there);</li>
 *   <li>{@code retired/<partition>}: the original files, moved aside while the compacted folder
 *       takes their place;</li>
 *   <li>{@code expired/date=…}: a day moved out of the table, deleted next.</li>
 * </ul>
 * A compaction is two renames (partition to retired, compacted to partition); a day's expiry
 * is one rename. Deletions come after, and a crash before them leaves only leftovers that
 * {@link #recover()} clears.
 */
public final class TableMaintainer {
  private static final String SUCCESS_MARKER = "_SUCCESS";

  private final SparkSession spark;
  private final FileSystem fs;
  private final Path table;
  private final Path workDir;
  private final Path compactDir;
  private final Path retiredDir;
  private final Path expiredDir;

  /** What a run did. */
  public record Summary(String table, List<Partition> compacted, long filesBefore, List<LocalDate> expired,
      List<String> recovered, List<String> notPartitions) {}

  public TableMaintainer(SparkSession spark, String root, String tableName) throws IOException {
    this.spark = spark;
    this.table = new Path(root, "tables/" + tableName);
    this.workDir = new Path(root, "tables/.maintenance/" + tableName);
    this.compactDir = new Path(workDir, "compact");
    this.retiredDir = new Path(workDir, "retired");
    this.expiredDir = new Path(workDir, "expired");
    this.fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }

  public Summary run(Instant now, Duration compactOlderThan, int retentionDays) throws IOException {
    if (!fs.exists(table)) {
      throw new IOException("no table at " + table);
    }
    List<String> recovered = recover();
    List<String> notPartitions = new ArrayList<>();
    Map<Partition, Integer> dataFiles = scan(notPartitions);
    MaintenancePlan plan = MaintenancePlan.of(dataFiles, now, compactOlderThan, retentionDays);
    long filesBefore = 0;
    for (Partition partition : plan.compact()) {
      filesBefore += dataFiles.get(partition);
      compact(partition);
    }
    for (LocalDate date : plan.expire()) {
      expire(date);
    }
    // Every swap is finished: only empty folders are left in the work folder.
    fs.delete(workDir, true);
    return new Summary(table.getName(), plan.compact(), filesBefore, plan.expire(), recovered, notPartitions);
  }

  /**
   * Finishes or undoes what a previous run left half-done: a retired partition whose
   * replacement is in place is deleted; one whose replacement is complete but not yet in place is
   * swapped; otherwise the original goes back. Incomplete rewrites and expired days are deleted.
   */
  List<String> recover() throws IOException {
    List<String> done = new ArrayList<>();
    for (Partition partition : partitionsUnder(retiredDir)) {
      Path retired = new Path(retiredDir, partition.path());
      Path live = new Path(table, partition.path());
      Path compacted = new Path(compactDir, partition.path());
      if (fs.exists(live)) {
        done.add(partition + ": removed the files a finished compaction replaced");
      } else if (fs.exists(new Path(compacted, SUCCESS_MARKER))) {
        rename(compacted, live);
        done.add(partition + ": put a finished compaction in place");
      } else {
        rename(retired, live);
        done.add(partition + ": restored the original files of an unfinished compaction");
      }
      fs.delete(retired, true);
    }
    if (fs.exists(compactDir) && fs.listStatus(compactDir).length > 0) {
      done.add("removed unfinished rewrites under " + compactDir);
    }
    fs.delete(compactDir, true);
    if (fs.exists(expiredDir) && fs.listStatus(expiredDir).length > 0) {
      done.add("removed expired days left under " + expiredDir);
    }
    fs.delete(expiredDir, true);
    return done;
  }

  /** The number of data files of every hour partition; anything else is listed, never touched. */
  Map<Partition, Integer> scan(List<String> notPartitions) throws IOException {
    Map<Partition, Integer> files = new TreeMap<>();
    for (FileStatus day : fs.listStatus(table)) {
      String name = day.getPath().getName();
      if (isHidden(name)) {
        continue;
      }
      Optional<LocalDate> date = day.isDirectory() ? Partition.parseDate(name) : Optional.empty();
      if (date.isEmpty()) {
        notPartitions.add(name);
        continue;
      }
      for (FileStatus hourDir : fs.listStatus(day.getPath())) {
        String hourName = hourDir.getPath().getName();
        if (isHidden(hourName)) {
          continue;
        }
        Optional<Integer> hour = hourDir.isDirectory() ? Partition.parseHour(hourName) : Optional.empty();
        if (hour.isEmpty()) {
          notPartitions.add(name + "/" + hourName);
          continue;
        }
        files.put(new Partition(date.get(), hour.get()), dataFileCount(hourDir.getPath()));
      }
    }
    return files;
  }

  private int dataFileCount(Path dir) throws IOException {
    int n = 0;
    for (FileStatus f : fs.listStatus(dir)) {
      if (f.isFile() && !isHidden(f.getPath().getName())) {
        n++;
      }
    }
    return n;
  }

  /** Rewrites one partition into one file and swaps it in. */
  void compact(Partition partition) throws IOException {
    Path live = new Path(table, partition.path());
    Path compacted = new Path(compactDir, partition.path());
    Path retired = new Path(retiredDir, partition.path());
    fs.delete(compacted, true);
    // Files of one hour may come from writers of different schema versions: union their columns.
    Dataset<Row> rows = spark.read().option("mergeSchema", "true").parquet(live.toString());
    long expected = rows.count();
    rows.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(compacted.toString());
    long written = spark.read().parquet(compacted.toString()).count();
    if (written != expected) {
      fs.delete(compacted, true);
      throw new IOException("compacting " + live + " wrote " + written + " rows instead of " + expected
          + "; the partition is left as it was");
    }
    fs.mkdirs(retired.getParent());
    rename(live, retired);
    rename(compacted, live);
    fs.delete(retired, true);
  }

  /** Moves a whole day out of the table in one rename, then deletes it. */
  void expire(LocalDate date) throws IOException {
    Path live = new Path(table, Partition.dateFolder(date));
    Path expired = new Path(expiredDir, Partition.dateFolder(date));
    fs.delete(expired, true);
    fs.mkdirs(expiredDir);
    rename(live, expired);
    fs.delete(expired, true);
  }

  private List<Partition> partitionsUnder(Path dir) throws IOException {
    List<Partition> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus day : fs.listStatus(dir)) {
      Optional<LocalDate> date = Partition.parseDate(day.getPath().getName());
      if (date.isEmpty() || !day.isDirectory()) {
        continue;
      }
      for (FileStatus hour : fs.listStatus(day.getPath())) {
        Partition.parseHour(hour.getPath().getName()).ifPresent(h -> out.add(new Partition(date.get(), h)));
      }
    }
    return out;
  }

  private void rename(Path from, Path to) throws IOException {
    fs.mkdirs(to.getParent());
    if (!fs.rename(from, to)) {
      throw new IOException("cannot rename " + from + " to " + to);
    }
  }

  /** Spark and Hive skip names starting with '_' or '.': markers, checksums, temporary files. */
  private static boolean isHidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }
}
