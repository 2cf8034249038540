package io.caudal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Table;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import org.apache.avro.specific.SpecificRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded jars, unchanged, on real clusters of separate processes: {@code spark-submit} of
 * transcode to Spark standalone (a Master and two Workers) with its root on HDFS (a NameNode and a
 * DataNode), undisturbed and then with a Worker and its executor killed mid-run; {@code flink run}
 * of qoe-stream to Flink standalone (a JobManager and a TaskManager) over an in-process Kafka
 * broker, undisturbed and then with the TaskManager killed mid-run and a replacement started.
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShadedJarsOnClusterTest {
  /** In the test's JVM, on loopback, where the Flink processes read and write it. */
  @RegisterExtension
  static final KafkaBroker KAFKA = KafkaBroker.empty();

  private static final Path HOME = Path.of(System.getProperty("caudal.home", "../..")).toAbsolutePath().normalize();
  private static final Path TRANSCODE_JAR = HOME.resolve("jobs/transcode/target/caudal-transcode.jar");
  private static final Duration JOB_DEADLINE = Duration.ofMinutes(4);
  private static final Pattern PUBLISHED = Pattern.compile("Published title ([0-9a-f]+)");
  private static final Path QOE_JAR = HOME.resolve("jobs/qoe-stream/target/caudal-qoe-stream.jar");
  private static final Pattern SUBMITTED = Pattern.compile("JobID ([0-9a-f]{32})");
  /** Sessions in the fleet the qoe-stream runs read: enough that a run lasts several checkpoints. */
  private static final int SESSIONS = 20_000;
  private static final long T0 = (System.currentTimeMillis() - 3 * 3_600_000L) / 60_000 * 60_000;

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path work;
  private static LocalCluster cluster;
  private static FileSystem hdfs;
  private static String sourceUri;
  /** The undisturbed run's title: its id and every file's SHA-256 by path inside the title. */
  private static String titleId;
  private static Map<String, String> undisturbedTitle;
  private static int failedSessions;
  private static QoeOutputs undisturbedQoe;

  /** What one qoe-stream run committed: the two tables' rows and the three topics' records. */
  record QoeOutputs(List<QoeSession> sessions, List<QoeMinute> minutes, List<BitrateDecision> bitrate,
      List<SteeringDecision> steering, List<DeadLetter> deadLetters) {}

  @BeforeAll
  static void startClusterWithASourceOnHdfs() throws Exception {
    // Under target/ rather than a temporary folder, so the daemons' logs outlive a failure.
    work = Path.of("target/cluster-it").toAbsolutePath();
    deleteRecursively(work);
    Files.createDirectories(work);
    assertThat(TRANSCODE_JAR).as("transcode's shaded jar (built before this module)").isRegularFile();
    cluster = LocalCluster.up(HOME, work.resolve("state"));
    hdfs = FileSystem.newInstance(URI.create(cluster.hdfs("/")), new Configuration());

    Path sample = work.resolve("sample.mp4");
    runJava(work.resolve("sample-maker.log"), "-cp", TRANSCODE_JAR.toString(), "io.caudal.transcode.sample.SampleMaker",
        sample.toString(), "--seconds", "20", "--size", "1280x720", "--rate", "30");
    sourceUri = cluster.hdfs("/caudal/incoming/sample.mp4");
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(sample.toUri()), new org.apache.hadoop.fs.Path(sourceUri));

    // One partition per topic: each run reads the same events in the same order.
    KAFKA.createTopics(1, Topics.all().stream().map(Topic::name).toArray(String[]::new));
    KAFKA.send(QoeTraffic.fleet(SESSIONS, T0, 42));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (hdfs != null) {
      hdfs.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void sparkSubmitPublishesTheTitleOnHdfs() throws Exception {
    String root = cluster.hdfs("/caudal/undisturbed");
    String output = cluster.caudal(transcodeSubmit(root));

    assertThat(output).as("the driver ran against the standalone Master")
        .contains("Connected to Spark cluster with app ID");
    titleId = publishedTitleId(output);
    undisturbedTitle = checksums(root + "/vod/" + titleId);

    assertThat(undisturbedTitle).containsKeys("master.m3u8", "manifest.mpd", "audio/und-2ch/playlist.m3u8", "audio/und-2ch/init.mp4");
    String master = read(root + "/vod/" + titleId + "/master.m3u8");
    List<String> variants = master.lines().filter(l -> l.endsWith(".m3u8")).toList();
    assertThat(variants).as("video playlists in master.m3u8").contains("video/720p/playlist.m3u8")
        .hasSizeGreaterThanOrEqualTo(3);
    for (String playlist : concat(variants, "audio/und-2ch/playlist.m3u8")) {
      String dir = playlist.substring(0, playlist.lastIndexOf('/') + 1);
      List<String> segments = read(root + "/vod/" + titleId + "/" + playlist).lines()
          .filter(l -> l.endsWith(".m4s")).map(l -> dir + l).toList();
      assertThat(segments).as("segments of %s", playlist).hasSizeGreaterThanOrEqualTo(5);
      assertThat(undisturbedTitle).as("every segment %s lists is on HDFS", playlist).containsKeys(segments.toArray(String[]::new));
      assertThat(undisturbedTitle).containsKey(dir + "init.mp4");
    }
    assertThat(read(root + "/vod/" + titleId + "/manifest.mpd")).contains("<MPD", "SegmentTimeline");
    byte[] catalogRow = readBytes(root + "/tables/catalog/" + titleId + ".parquet");
    assertThat(new String(catalogRow, 0, 4, StandardCharsets.US_ASCII)).as("a Parquet file").isEqualTo("PAR1");
    assertThat(hdfs.exists(new org.apache.hadoop.fs.Path(root + "/vod/.staging/" + titleId))).as("staging left behind").isFalse();
  }

  @Test
  @Order(2)
  void aWorkerKilledMidTranscodeChangesNotOneByte() throws Exception {
    assertThat(undisturbedTitle).as("the undisturbed run's title, from the test before").isNotNull();
    String root = cluster.hdfs("/caudal/worker-killed");
    Path log = work.resolve("transcode-worker-killed.log");
    int driverUiPort = LocalCluster.freePort();
    Process submit = cluster.start(log, transcodeSubmit(root, "--conf", "spark.ui.port=" + driverUiPort));
    try {
      // Mid-run: the encode stage has started and an executor is running one of its tasks.
      String[] executor = new String[1];
      await("an encode task running on an executor").atMost(JOB_DEADLINE).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            executor[0] = executorRunningATask(driverUiPort);
            return executor[0] != null || !submit.isAlive();
          });
      assertThat(executor[0]).as("an executor running a task; driver output:%n%s", Files.readString(log)).isNotNull();
      ProcessHandle worker = workerOfExecutor(executor[0]);
      assertThat(Files.readString(log)).as("killed before the encode stage finished").doesNotContain("Published title");
      cluster.killHard(worker);

      assertThat(submit.waitFor(JOB_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("spark-submit finished").isTrue();
      String output = Files.readString(log);
      assertThat(submit.exitValue()).as("spark-submit's exit code; output:%n%s", output).isZero();
      assertThat(output).as("the driver lost the executor and carried on").containsPattern("Lost executor " + executor[0] + " |Executor app-\\S+/" + executor[0] + " removed");
      assertThat(publishedTitleId(output)).isEqualTo(titleId);
      assertThat(checksums(root + "/vod/" + titleId)).as("same files, same bytes as the undisturbed run")
          .isEqualTo(undisturbedTitle);
      assertThat(hdfs.exists(new org.apache.hadoop.fs.Path(root + "/tables/catalog/" + titleId + ".parquet"))).isTrue();
    } finally {
      submit.destroyForcibly();
    }

    // `up` again starts a replacement for the lost Worker.
    cluster.caudal("cluster", "up");
    assertThat(cluster.daemon("spark-worker-1")).isPresent();
    assertThat(cluster.daemon("spark-worker-2")).isPresent();
  }

  /** From the driver's REST API: an executor with a task running, or null. */
  private static String executorRunningATask(int driverUiPort) {
    try {
      JsonNode apps = getJson("http://127.0.0.1:" + driverUiPort + "/api/v1/applications");
      if (apps == null || apps.isEmpty()) {
        return null;
      }
      JsonNode executors = getJson("http://127.0.0.1:" + driverUiPort + "/api/v1/applications/"
          + apps.get(0).get("id").asText() + "/executors");
      for (JsonNode e : executors == null ? JSON.createArrayNode() : executors) {
        if (!e.get("id").asText().equals("driver") && e.get("activeTasks").asInt() > 0) {
          return e.get("id").asText();
        }
      }
      return null;
    } catch (IOException e) {
      return null; // the driver's UI is not up yet
    }
  }

  private static JsonNode getJson(String url) throws IOException {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The Worker whose child process is the executor with this id. */
  private static ProcessHandle workerOfExecutor(String executorId) {
    for (int i = 1; i <= 2; i++) {
      var worker = cluster.daemon("spark-worker-" + i);
      if (worker.isPresent() && worker.get().children().anyMatch(child -> isExecutor(child, executorId))) {
        return worker.get();
      }
    }
    throw new AssertionError("no Worker runs executor " + executorId);
  }

  private static boolean isExecutor(ProcessHandle process, String executorId) {
    // /proc rather than ProcessHandle.info(), which gives up on command lines as long as an executor's.
    List<String> args;
    try {
      args = List.of(Files.readString(Path.of("/proc/" + process.pid() + "/cmdline")).split("\0"));
    } catch (IOException e) {
      return false;
    }
    int at = args.indexOf("--executor-id");
    return at >= 0 && at + 1 < args.size() && args.get(at + 1).equals(executorId);
  }

  @Test
  @Order(3)
  void flinkRunComputesTheQoeTablesAndDecisions() throws Exception {
    assertThat(QOE_JAR).as("qoe-stream's shaded jar (built before this module)").isRegularFile();
    undisturbedQoe = runQoeStream("undisturbed", false);

    assertThat(undisturbedQoe.sessions()).as("one row per session of the fleet").hasSize(SESSIONS);
    assertThat(undisturbedQoe.sessions()).extracting(s -> s.getSessionId().toString()).doesNotHaveDuplicates();
    assertThat(undisturbedQoe.sessions()).filteredOn(QoeSession::getVideoStartFailure).isNotEmpty();
    assertThat(undisturbedQoe.minutes()).extracting(m -> m.getDimension().toString())
        .contains("server", "region", "isp", "device", "title");
    assertThat(undisturbedQoe.bitrate()).as("bitrate caps for starved sessions").isNotEmpty();
    assertThat(undisturbedQoe.steering()).as("steering decisions excluding the overloaded server")
        .anySatisfy(d -> assertThat(d.getExcluded()).anySatisfy(e -> {
          assertThat(e.getServerId().toString()).isEqualTo("srv-b");
          assertThat(e.getReason().toString()).startsWith("cpu_over_threshold");
        }));
  }

  @Test
  @Order(4)
  void aTaskManagerKilledMidRunCommitsTheSameOutputs() throws Exception {
    assertThat(undisturbedQoe).as("the undisturbed run's outputs, from the test before").isNotNull();
    QoeOutputs restarted = runQoeStream("taskmanager-killed", true);

    assertThat(sorted(restarted.sessions())).as("qoe_sessions rows").isEqualTo(sorted(undisturbedQoe.sessions()));
    assertThat(sorted(restarted.minutes())).as("qoe_minute rows").isEqualTo(sorted(undisturbedQoe.minutes()));
    // Decisions go out at-least-once, each with its version: a restart may repeat one, never change it.
    assertThat(distinct(restarted.bitrate())).as("qoe.bitrate decisions").isEqualTo(distinct(undisturbedQoe.bitrate()));
    assertThat(distinct(restarted.steering())).as("qoe.steering decisions").isEqualTo(distinct(undisturbedQoe.steering()));
    // Dead letters carry the time they were refused: the refusals and their reasons must match.
    assertThat(restarted.deadLetters().stream().map(d -> d.getReason() + " " + d.getSourceTopic()).sorted().toList())
        .isEqualTo(undisturbedQoe.deadLetters().stream().map(d -> d.getReason() + " " + d.getSourceTopic()).sorted().toList());
  }

  /**
   * {@code flink run -d} of the qoe-stream jar with {@code --bounded}; waits for the job to finish
   * (optionally killing the TaskManager once a checkpoint is complete, and starting a replacement)
   * and reads what it committed.
   */
  private static QoeOutputs runQoeStream(String name, boolean killTaskManager) throws Exception {
    String root = cluster.hdfs("/caudal/qoe-" + name);
    Map<String, Long> from = new TreeMap<>();
    for (Topic<?> topic : List.of(Topics.BITRATE, Topics.STEERING, Topics.DEAD_LETTER)) {
      from.put(topic.name(), KAFKA.endOffset(topic.name()));
    }
    String output = cluster.caudal("cluster", "flink", "run", "-d", QOE_JAR.toString(),
        "--bootstrap-servers", KAFKA.bootstrapServers(), "--root", root, "--bounded",
        "--group-id", "qoe-" + name, "--checkpoint-interval-ms", "1000", "--parallelism", "2");
    Matcher submitted = SUBMITTED.matcher(output);
    assertThat(submitted.find()).as("a job id in flink run's output:%n%s", output).isTrue();
    String job = cluster.flinkRest() + "/jobs/" + submitted.group(1);

    if (killTaskManager) {
      await("a completed checkpoint of the running job").atMost(JOB_DEADLINE).pollInterval(Duration.ofMillis(200))
          .until(() -> !jobState(job).equals("RUNNING") || completedCheckpoints(job) >= 1);
      assertThat(jobState(job)).as("the job is still running once it has a checkpoint").isEqualTo("RUNNING");
      cluster.killHard(cluster.daemon("flink-taskmanager").orElseThrow());
      cluster.caudal("cluster", "up"); // a replacement TaskManager, as a cluster manager would start
    }
    await("the job to end").atMost(JOB_DEADLINE).pollInterval(Duration.ofMillis(500))
        .until(() -> List.of("FINISHED", "FAILED", "CANCELED").contains(jobState(job)));
    assertThat(jobState(job)).as("the job's end state; exceptions: %s", getJson(job + "/exceptions")).isEqualTo("FINISHED");
    JsonNode failures = getJson(job + "/exceptions").path("exceptionHistory").path("entries");
    if (killTaskManager) {
      assertThat(failures).as("the lost TaskManager failed the job and it restarted").isNotEmpty();
    } else {
      assertThat(failures).as("an undisturbed run has no failures").isEmpty();
    }

    return new QoeOutputs(table(root, Tables.QOE_SESSIONS), table(root, Tables.QOE_MINUTE),
        topic(Topics.BITRATE, from), topic(Topics.STEERING, from), topic(Topics.DEAD_LETTER, from));
  }

  private static String jobState(String job) throws IOException {
    JsonNode status = getJson(job);
    return status == null ? "UNKNOWN" : status.path("state").asText();
  }

  private static long completedCheckpoints(String job) throws IOException {
    JsonNode checkpoints = getJson(job + "/checkpoints");
    return checkpoints == null ? 0 : checkpoints.path("counts").path("completed").asLong();
  }

  private static <V extends SpecificRecord> List<V> topic(Topic<V> topic, Map<String, Long> from) {
    return KAFKA.readCommitted(topic.name(), from.get(topic.name())).stream()
        .map(record -> JsonAvroCodec.fromBytes(record.value(), topic.valueClass())).toList();
  }

  /** Every committed row of a Hive-partitioned table on HDFS (in-progress files are hidden, dot-prefixed). */
  private static <T extends SpecificRecord> List<T> table(String root, Table<T> table) throws IOException {
    TableReader<T> reader = TableReader.of(table, root, hdfs.getConf());
    List<T> rows = new java.util.ArrayList<>();
    for (FileStatus file : reader.dataFiles()) {
      assertThat(file.getPath().toString()).matches(".*/date=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/part-[^/]*\\.parquet");
      rows.addAll(reader.read(file));
    }
    return rows;
  }

  private static <T> List<String> sorted(List<T> records) {
    return records.stream().map(Object::toString).sorted().toList();
  }

  private static <T> List<String> distinct(List<T> records) {
    return records.stream().map(Object::toString).distinct().sorted().toList();
  }

  private static String[] transcodeSubmit(String root, String... sparkOptions) {
    List<String> args = new java.util.ArrayList<>(List.of("cluster", "spark-submit", "--master", cluster.sparkMaster()));
    args.addAll(List.of(sparkOptions));
    args.addAll(List.of("--class", "io.caudal.transcode.TranscodeJob", TRANSCODE_JAR.toString(),
        "--input", sourceUri, "--name", "Cluster sample", "--category", "demo", "--root", root));
    return args.toArray(String[]::new);
  }

  private static String publishedTitleId(String output) {
    Matcher m = PUBLISHED.matcher(output);
    assertThat(m.find()).as("a published title in the output:%n%s", output).isTrue();
    return m.group(1);
  }

  /** SHA-256 of every file under {@code dir}, by path relative to it. */
  private static Map<String, String> checksums(String dir) throws IOException {
    org.apache.hadoop.fs.Path base = hdfs.makeQualified(new org.apache.hadoop.fs.Path(dir));
    Map<String, String> sums = new TreeMap<>();
    RemoteIterator<LocatedFileStatus> files = hdfs.listFiles(base, true);
    while (files.hasNext()) {
      org.apache.hadoop.fs.Path file = files.next().getPath();
      String relative = base.toUri().relativize(file.toUri()).getPath();
      sums.put(relative, HexFormat.of().formatHex(sha256(readBytes(file.toString()))));
    }
    return sums;
  }

  private static byte[] readBytes(String uri) throws IOException {
    try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(uri))) {
      return in.readAllBytes();
    }
  }

  private static String read(String uri) throws IOException {
    return new String(readBytes(uri), StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> concat(List<String> list, String last) {
    return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(last)).toList();
  }

  /** Runs a JVM with this test's Java to the end; a non-zero exit fails the test. */
  private static void runJava(Path log, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    assertThat(p.exitValue()).as("exit code of %s; output:%n%s", command, Files.readString(log)).isZero();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
