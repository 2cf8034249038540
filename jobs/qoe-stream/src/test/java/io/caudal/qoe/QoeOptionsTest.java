package io.caudal.qoe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QoeOptionsTest {

  @Test
  void readsTheLiveCommandLineOfBinCaudalAndTheBenchmark() {
    QoeOptions options = QoeOptions.parse("--bootstrap-servers", "localhost:9092", "--root", "/data/caudal",
        "--group-id", "caudal-bench-qoe", "--out-of-orderness-ms", "2000", "--checkpoint-interval-ms", "10000",
        "--inactivity-ms", "20000").orElseThrow();
    assertThat(options.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(options.root()).isEqualTo("/data/caudal");
    assertThat(options.replay()).isNull();
    assertThat(options.groupId()).isEqualTo("caudal-bench-qoe");
    assertThat(options.outOfOrderness()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.inactivity()).isEqualTo(Duration.ofSeconds(20));
    assertThat(options.bounded()).isFalse();
    assertThat(options.checkpoints()).isEqualTo("file:///data/caudal/checkpoints");
  }

  @Test
  void readsTheClusterTestsCommandLine() {
    QoeOptions options = QoeOptions.parse("--bootstrap-servers", "127.0.0.1:9092",
        "--root", "hdfs://127.0.0.1:9000/caudal/qoe-undisturbed", "--bounded", "--group-id", "qoe-undisturbed",
        "--checkpoint-interval-ms", "1000", "--parallelism", "2").orElseThrow();
    assertThat(options.bounded()).isTrue();
    assertThat(options.parallelism()).isEqualTo(2);
    assertThat(options.checkpoints()).isEqualTo("hdfs://127.0.0.1:9000/caudal/qoe-undisturbed/checkpoints");
  }

  @Test
  void fillsInTheDefaults() {
    QoeOptions options = QoeOptions.parse("--replay", "events.jsonl.gz", "--root", "hdfs://nn:8020/caudal/")
        .orElseThrow();
    assertThat(options.replay()).isEqualTo("events.jsonl.gz");
    assertThat(options.bootstrapServers()).isNull();
    assertThat(options.groupId()).isEqualTo(QoeOptions.DEFAULT_GROUP_ID);
    assertThat(options.outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.inactivity()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.checkpointInterval()).isEqualTo(QoeOptions.DEFAULT_CHECKPOINT_INTERVAL);
    assertThat(options.parallelism()).isEqualTo(QoeOptions.DEFAULT_PARALLELISM);
    assertThat(options.defaultLadderKbps()).containsExactly(145, 365, 730, 2000, 3000, 4500, 6000);
    assertThat(options.checkpoints()).isEqualTo("hdfs://nn:8020/caudal/checkpoints");
    assertThat(options.maxAhead()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.stateBackend()).isEqualTo("hashmap");
    assertThat(options.minStartedSessions()).isEqualTo(20);
    assertThat(options.anomalySettings()).isEqualTo(io.caudal.qoe.core.alert.AnomalyDetector.Settings.defaults());
  }

  @Test
  void theDemoJudgesAnomaliesFromAShorterHistory() {
    QoeOptions options = QoeOptions.parse("--bootstrap-servers", "localhost:9092", "--root", "/tmp/demo",
        "--anomaly-min-history", "5").orElseThrow();
    assertThat(options.anomalySettings().minHistory()).isEqualTo(5);
    assertThat(options.anomalySettings().withMinHistory(30))
        .isEqualTo(io.caudal.qoe.core.alert.AnomalyDetector.Settings.defaults());
  }

  @Test
  void takesAnExplicitLadderAndCheckpointFolder() {
    QoeOptions options = QoeOptions.parse("--bootstrap-servers", "k:9092", "--root", "r",
        "--default-ladder", "3000, 500,1000", "--checkpoints", "s3://bucket/checkpoints").orElseThrow();
    assertThat(options.defaultLadderKbps()).containsExactly(500, 1000, 3000);
    assertThat(options.checkpoints()).isEqualTo("s3://bucket/checkpoints");
    assertThat(QoeOptions.parse("--bootstrap-servers", "k:9092", "--root", "r", "--checkpoints", "cp").orElseThrow()
        .checkpoints())
        .isEqualTo(Path.of("cp").toAbsolutePath().toUri().toString());
  }

  @Test
  void helpIsNotAnErrorAndListsEveryOption() throws Exception {
    assertThat(QoeOptions.parse("--help")).isEmpty();
    assertThat(run("--help")).isEqualTo(new Run(0, QoeOptions.usage(), ""));
    assertThat(QoeOptions.usage()).contains("--bootstrap-servers", "--root", "--replay", "--group-id",
        "--out-of-orderness-ms", "--inactivity-ms", "--checkpoint-interval-ms", "--parallelism", "--default-ladder",
        "--bounded", "--checkpoints", "--help", "(default 5000)", "(default 60000)", "(default caudal-qoe-stream)");
  }

  @Test
  void refusesBadOptionsNamingThemInOneLineWithExitCode2() throws Exception {
    List<List<?>> cases = List.of(
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--frobnicate"), "unknown option --frobnicate"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--parallelism", "two"),
            "--parallelism must be a whole number, got 'two'"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--inactivity-ms", "1m"),
            "--inactivity-ms must be a whole number, got '1m'"),
        List.of(List.of("--bootstrap-servers", "k:9092"), "missing --root"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root"), "--root needs a value"),
        List.of(List.of("--root", "r", "--bootstrap-servers", "--bounded"), "--bootstrap-servers needs a value"),
        List.of(List.of("--root", "r"), "missing --bootstrap-servers (or --replay FILE to recompute from a file)"),
        List.of(List.of("--root", "r", "--replay", "f.jsonl", "--bootstrap-servers", "k:9092"),
            "--replay reads a file, not Kafka: drop --bootstrap-servers"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--checkpoint-interval-ms", "10"),
            "--checkpoint-interval-ms must be at least 100, got 10"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--inactivity-ms", "0"),
            "--inactivity-ms must be at least 1, got 0"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--out-of-orderness-ms", "-5"),
            "--out-of-orderness-ms must be at least 0, got -5"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--parallelism", "0"),
            "--parallelism must be at least 1, got 0"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--default-ladder", "145,fast"),
            "--default-ladder: a ladder is a list of positive kbit/s values, e.g. 145,365,730, not '145,fast'"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--max-ahead-ms", "-1"),
            "--max-ahead-ms must be at least 0, got -1"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--state-backend", "memory"),
            "--state-backend must be one of hashmap, rocksdb, got 'memory'"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--min-started-sessions", "0"),
            "--min-started-sessions must be at least 1, got 0"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "--anomaly-min-history", "0"),
            "--anomaly-min-history must be at least 1, got 0"),
        List.of(List.of("--bootstrap-servers", "k:9092", "--root", "r", "surplus"), "unexpected argument 'surplus'"));
    for (List<?> c : cases) {
      String[] args = ((List<?>) c.get(0)).toArray(String[]::new);
      String message = (String) c.get(1);
      assertThatThrownBy(() -> QoeOptions.parse(args))
          .as("%s", c.get(0))
          .isInstanceOf(UsageException.class)
          .hasMessage(message);
      assertThat(run(args)).as("%s: one line and exit code 2", c.get(0)).isEqualTo(
          new Run(2, "", "caudal-qoe-stream: " + message + " (--help lists the options)" + System.lineSeparator()));
    }
  }

  /** What the job did with a command line: its exit code and what it printed. */
  private record Run(int status, String out, String err) {}

  private static Run run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = QoeJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
