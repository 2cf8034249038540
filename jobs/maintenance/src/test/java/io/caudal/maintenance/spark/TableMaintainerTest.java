package io.caudal.maintenance.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.maintenance.core.Partition;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.Table;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintainer on Spark local[2] over Parquet files written the way qoe-stream writes them;
 * rows are read back as the schemas' classes, so a compacted file must still be one of the table's.
 */
@IntegrationTest
class TableMaintainerTest {
  private static final Instant NOW = Instant.parse("2026-03-10T12:30:00Z");
  private static final LocalDate TODAY = LocalDate.parse("2026-03-10");
  private static final Duration TWO_HOURS = Duration.ofHours(2);

  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-maintenance-test");

  @TempDir
  Path root;

  private Path table(String name) {
    return root.resolve("tables").resolve(name);
  }

  private static QoeMinute minute(long minute, String key, long attempts) {
    return QoeMinute.newBuilder().setMinute(minute).setDimension("server").setKey(key).setAttempts(attempts)
        .setPlays(attempts - 1).setErrors(0).setConcurrentSessions(attempts * 2).setVsfPct(attempts > 3 ? 1.5 : null)
        .build();
  }

  private static QoeSession session(String id, long end) {
    return QoeSession.newBuilder().setSessionId(id).setUserId("u-" + id).setTitleId("t1").setServerId("s1")
        .setRegion("eu").setIsp("isp").setDevice("tv").setStartTime(end - 60_000).setEndTime(end)
        .setStartupTimeMs(700L).setVideoStartFailure(false).setExitBeforeVideoStart(false).setPlaybackFailure(false)
        .setStallCount(0).setStalledMs(0).setPlayingMs(59_000).setBitrateSwitches(1).setCompletion(0.5)
        .setEndReason("ENDED").build();
  }

  /** Writes {@code files} Parquet files of {@code rowsPerFile} rows each into one hour partition. */
  private void writeMinutes(Partition partition, int files, int rowsPerFile) throws IOException {
    Path dir = table("qoe_minute").resolve(partition.path());
    for (int f = 0; f < files; f++) {
      long base = partition.start().toEpochMilli() + f * 60_000L;
      List<QoeMinute> rows = new ArrayList<>();
      for (int r = 0; r < rowsPerFile; r++) {
        rows.add(minute(base, "s" + r, r + 1));
      }
      write(dir.resolve("part-" + f + ".parquet"), rows);
    }
  }

  private static <R extends SpecificRecord> void write(Path file, List<R> rows) throws IOException {
    Files.createDirectories(file.getParent());
    try (ParquetWriter<R> writer = AvroParquetWriter.<R>builder(new LocalOutputFile(file))
        .withSchema(rows.get(0).getSchema()).withDataModel(SpecificData.get()).build()) {
      for (R row : rows) {
        writer.write(row);
      }
    }
  }

  /** Every row of the table, each with the partition it is in, sorted. */
  private List<String> rowsOf(Table<?> table) throws IOException {
    TableReader<?> reader = TableReader.of(table, root.toUri().toString(), new Configuration());
    List<String> rows = new ArrayList<>();
    for (FileStatus file : reader.dataFiles()) {
      String partition = file.getPath().getParent().getParent().getName() + "/" + file.getPath().getParent().getName();
      reader.read(file).forEach(row -> rows.add(partition + " " + row));
    }
    return rows.stream().sorted().toList();
  }

  private static List<String> dataFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.startsWith("_")).sorted().toList();
    }
  }

  private TableMaintainer.Summary maintain(String name, int retentionDays) throws IOException {
    return new TableMaintainer(SPARK.session(), root.toUri().toString(), name).run(NOW, TWO_HOURS, retentionDays);
  }

  @Test
  void compactsClosedHoursIntoOneFileKeepingEveryRow() throws IOException {
    Partition closed = new Partition(TODAY, 8);
    Partition closedSingle = new Partition(TODAY, 9);
    Partition open = new Partition(TODAY, 11);
    writeMinutes(closed, 4, 3);
    writeMinutes(closedSingle, 1, 5);
    writeMinutes(open, 3, 2);
    List<String> before = rowsOf(Tables.QOE_MINUTE);

    TableMaintainer.Summary summary = maintain("qoe_minute", 30);

    assertThat(summary.compacted()).containsExactly(closed);
    assertThat(summary.filesBefore()).isEqualTo(4);
    assertThat(dataFiles(table("qoe_minute").resolve(closed.path()))).singleElement().asString().startsWith("part-");
    assertThat(dataFiles(table("qoe_minute").resolve(closedSingle.path()))).containsExactly("part-0.parquet");
    assertThat(dataFiles(table("qoe_minute").resolve(open.path())))
        .containsExactly("part-0.parquet", "part-1.parquet", "part-2.parquet");
    assertThat(rowsOf(Tables.QOE_MINUTE)).hasSize(12 + 5 + 6).isEqualTo(before);
    assertThat(root.resolve("tables/.maintenance/qoe_minute")).satisfies(work ->
        assertThat(Files.exists(work.resolve("compact")) || Files.exists(work.resolve("retired"))).isFalse());
  }

  @Test
  void aSecondRunChangesNothing() throws IOException {
    Partition closed = new Partition(TODAY, 3);
    writeMinutes(closed, 3, 2);
    maintain("qoe_minute", 30);
    List<String> filesAfterFirst = dataFiles(table("qoe_minute").resolve(closed.path()));
    List<String> rowsAfterFirst = rowsOf(Tables.QOE_MINUTE);

    TableMaintainer.Summary again = maintain("qoe_minute", 30);

    assertThat(again.compacted()).isEmpty();
    assertThat(again.expired()).isEmpty();
    assertThat(again.recovered()).isEmpty();
    assertThat(dataFiles(table("qoe_minute").resolve(closed.path()))).isEqualTo(filesAfterFirst);
    assertThat(rowsOf(Tables.QOE_MINUTE)).isEqualTo(rowsAfterFirst);
  }

  @Test
  void dropsDaysPastTheRetentionAndLeavesOtherFoldersAlone() throws IOException {
    writeMinutes(new Partition(TODAY.minusDays(10), 5), 2, 1);
    writeMinutes(new Partition(TODAY.minusDays(10), 6), 1, 1);
    writeMinutes(new Partition(TODAY.minusDays(3), 6), 1, 2);
    Files.createDirectories(table("qoe_minute").resolve("backfill-notes"));

    TableMaintainer.Summary summary = maintain("qoe_minute", 7);

    assertThat(summary.expired()).containsExactly(TODAY.minusDays(10));
    assertThat(summary.compacted()).isEmpty();
    assertThat(summary.notPartitions()).containsExactly("backfill-notes");
    assertThat(table("qoe_minute").resolve("date=" + TODAY.minusDays(10))).doesNotExist();
    assertThat(table("qoe_minute").resolve("backfill-notes")).isDirectory();
    assertThat(rowsOf(Tables.QOE_MINUTE)).hasSize(2);
  }

  @Test
  void compactsTheSessionsTable() throws IOException {
    Partition hour = new Partition(TODAY, 1);
    Path dir = table("qoe_sessions").resolve(hour.path());
    long end = hour.start().toEpochMilli() + 1_000;
    write(dir.resolve("part-a.parquet"), List.of(session("a", end), session("b", end + 1)));
    write(dir.resolve("part-b.parquet"), List.of(session("c", end + 2)));
    List<String> before = rowsOf(Tables.QOE_SESSIONS);

    assertThat(maintain("qoe_sessions", 30).compacted()).containsExactly(hour);

    assertThat(dataFiles(dir)).hasSize(1);
    assertThat(rowsOf(Tables.QOE_SESSIONS)).isEqualTo(before);
    assertThat(SPARK.session().read().parquet(table("qoe_sessions").toString()).schema().fieldNames())
        .contains("sessionId", "startupTimeMs", "endReason", "date", "hour");
  }

  @Test
  void restoresThePartitionWhenARunDiedAfterMovingItAside() throws IOException {
    Partition hour = new Partition(TODAY, 4);
    writeMinutes(hour, 2, 3);
    List<String> before = rowsOf(Tables.QOE_MINUTE);
    // A run that died between its two renames: the originals are aside, no finished rewrite.
    Path retired = root.resolve("tables/.maintenance/qoe_minute/retired").resolve(hour.path());
    Files.createDirectories(retired.getParent());
    Files.move(table("qoe_minute").resolve(hour.path()), retired);
    Files.createDirectories(root.resolve("tables/.maintenance/qoe_minute/compact").resolve(hour.path()));

    TableMaintainer.Summary summary = maintain("qoe_minute", 30);

    assertThat(summary.recovered()).anyMatch(line -> line.contains("restored the original files"));
    assertThat(summary.compacted()).containsExactly(hour);
    assertThat(rowsOf(Tables.QOE_MINUTE)).isEqualTo(before);
    assertThat(retired).doesNotExist();
  }

  @Test
  void putsAFinishedRewriteInPlaceWhenARunDiedBeforeSwappingIt() throws IOException {
    Partition hour = new Partition(TODAY, 5);
    writeMinutes(hour, 3, 2);
    List<String> before = rowsOf(Tables.QOE_MINUTE);
    Path live = table("qoe_minute").resolve(hour.path());
    Path compacted = root.resolve("tables/.maintenance/qoe_minute/compact").resolve(hour.path());
    SPARK.session().read().parquet(live.toString()).coalesce(1).write().parquet(compacted.toString());
    Path retired = root.resolve("tables/.maintenance/qoe_minute/retired").resolve(hour.path());
    Files.createDirectories(retired.getParent());
    Files.move(live, retired);

    TableMaintainer.Summary summary = maintain("qoe_minute", 30);

    assertThat(summary.recovered()).anyMatch(line -> line.contains("put a finished compaction in place"));
    assertThat(summary.compacted()).isEmpty();
    assertThat(dataFiles(live)).hasSize(1);
    assertThat(rowsOf(Tables.QOE_MINUTE)).isEqualTo(before);
  }

  @Test
  void saysWhenTheTableIsMissing() {
    assertThatThrownBy(() -> maintain("qoe_sessions", 30))
        .isInstanceOf(IOException.class).hasMessageStartingWith("no table at ").hasMessageEndingWith("tables/qoe_sessions");
  }
}
