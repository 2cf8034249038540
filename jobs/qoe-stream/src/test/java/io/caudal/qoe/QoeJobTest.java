package io.caudal.qoe;

import static io.caudal.schemas.HeartbeatType.ENDED;
import static io.caudal.schemas.HeartbeatType.ERROR;
import static io.caudal.schemas.HeartbeatType.EXIT;
import static io.caudal.schemas.HeartbeatType.HEARTBEAT;
import static io.caudal.schemas.HeartbeatType.PLAY_REQUESTED;
import static io.caudal.schemas.HeartbeatType.SEEK;
import static io.caudal.schemas.HeartbeatType.STALL_END;
import static io.caudal.schemas.HeartbeatType.STALL_START;
import static io.caudal.schemas.HeartbeatType.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.caudal.qoe.flink.QoePipeline;
import io.caudal.qoe.flink.Input;
import io.caudal.qoe.kafka.Script;
import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
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
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a Flink MiniCluster against an in-process KRaft broker: scripted sessions in,
 * exact rows and decisions out; the same input with a failure mid-stream (restart from the last
 * checkpoint) and as a replay file give the same committed outputs.
 */
@IntegrationTest
class QoeJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = LiveJobs.miniCluster();
  @RegisterExtension
  static final KafkaBroker KAFKA = KafkaBroker.empty();

  private static final long T0 = LiveJobs.startOfEvents();

  static Script script = new Script();
  static Outputs clean;
  @TempDir static Path temp;

  /** What one run committed. */
  record Outputs(List<QoeSession> sessions, List<QoeMinute> minutes, List<BitrateDecision> bitrate,
      List<SteeringDecision> steering, List<DeadLetter> deadLetters) {}

  @BeforeAll
  static void sendAndRunOnce() throws Exception {
    // One partition per topic: every run reads the same events in the same order.
    KAFKA.createTopics(1, Topics.all().stream().map(Topic::name).toArray(String[]::new));
    scriptSessions();
    script.fleet(1500, T0 + 5 * 60_000, 7);
    KAFKA.send(script.records());
    clean = runLive("clean", null);
  }

  static void scriptSessions() {
    // A session that starts, stalls, seeks (its stall is the seek's), has its cap lowered and lifted, and ends.
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 1000, PLAY_REQUESTED, 0, null, null, null);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 2500, STARTED, 0, 2000, 25_000L, 10_000);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 5000, HEARTBEAT, 2500, 2000, 30_000L, 10_000);
    script.rtcp("s-ok", "srv-a", T0 + 10_000, 5, 900);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 20_000, HEARTBEAT, 17_500, 2000, 4000L, 1000);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 21_000, STALL_START, 18_500, 2000, 0L, 1000);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 23_000, STALL_END, 18_500, 2000, 4000L, 3000);
    // Out of order: sent after the stall's end that follows it in event time.
    script.sentAt(T0 + 23_500).heartbeat("s-ok", "t1", "srv-a", T0 + 22_000, HEARTBEAT, 18_500, 2000, 0L, 1000);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 25_000, HEARTBEAT, 20_500, 2000, 15_000L, 10_000);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 30_000, SEEK, 40_000, 2000, 0L, 10_000);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 30_100, STALL_START, 40_000, 2000, 0L, 10_000);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 31_000, STALL_END, 40_000, 2000, 5000L, 10_000);
    script.rtcp("s-ok", "srv-a", T0 + 30_000, 5, 900);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 35_000, HEARTBEAT, 44_000, 2000, 30_000L, 10_000);
    // Sent half a minute after its time, far behind the watermark: late.
    script.sentAt(T0 + 70_000).heartbeat("s-late", "t1", "srv-a", T0 + 36_000, HEARTBEAT, 0, 2000, 30_000L, 10_000);
    script.heartbeat("s-ok", "t1", "srv-a", T0 + 50_000, ENDED, 59_000, 2000, 30_000L, 10_000);
    // A start failure (its request resent: it counts once) and an exit before start.
    PlayerHeartbeat request = script.heartbeat("s-vsf", "t1", "srv-b", T0 + 3000, PLAY_REQUESTED, 0, null, null, null);
    script.resend(request, T0 + 4000);
    script.heartbeat("s-vsf", "t1", "srv-b", T0 + 6000, ERROR, 0, null, null, null);
    script.heartbeat("s-ebvs", "t1", "srv-b", T0 + 4000, PLAY_REQUESTED, 0, null, null, null);
    script.heartbeat("s-ebvs", "t1", "srv-b", T0 + 5000, EXIT, 0, null, null, null);
    // A session that falls silent: closed for inactivity.
    script.heartbeat("s-idle", "t1", "srv-a", T0 + 60_000, PLAY_REQUESTED, 0, null, null, null);
    script.heartbeat("s-idle", "t1", "srv-a", T0 + 61_000, STARTED, 0, 2000, 30_000L, 10_000);
    script.heartbeat("s-idle", "t1", "srv-a", T0 + 65_000, HEARTBEAT, 4000, 2000, 30_000L, 10_000);
    // Two servers report; srv-b crosses the CPU threshold at T0 + 30 s.
    for (long t = T0; t <= T0 + 65_000; t += 5000) {
      script.health("srv-a", t, 0.3, List.of("t1"));
      script.health("srv-b", t, t >= T0 + 30_000 ? 0.9 : 0.5, List.of("t1"));
    }
    // Refused: not an event; a report of a session nobody opened.
    script.garbage("this is not an event", T0 + 40_000);
    script.rtcp("s-ghost", "srv-a", T0 + 40_000, 0, 0);
  }

  @Test
  void computesTheScriptedSessionsExactly() {
    Map<String, QoeSession> rows = clean.sessions().stream()
        .collect(Collectors.toMap(row -> row.getSessionId().toString(), row -> row));
    QoeSession ok = rows.get("s-ok");
    assertThat(ok.getStartupTimeMs()).isEqualTo(1500L);
    assertThat(ok.getStallCount()).isEqualTo(1);
    assertThat(ok.getStalledMs()).isEqualTo(2000L);
    // 2.5 s → 50 s is 47.5 s, less the 2 s stall and the seek's 0.9 s of loading.
    assertThat(ok.getPlayingMs()).isEqualTo(44_600L);
    assertThat(ok.getRebufferingRatio()).isCloseTo(2000.0 / 46_600, within(1e-9));
    assertThat(ok.getLossFraction()).isCloseTo(5 / 256.0, within(1e-9));
    assertThat(ok.getJitterMs()).isCloseTo(10.0, within(1e-9));
    assertThat(ok.getEndReason().toString()).isEqualTo("ended");
    assertThat(ok.getVideoStartFailure()).isFalse();

    // Startup 1.5 s; 4.3 % stalled, one stall; 2000 of the default ladder's 6000, 4 of its 7 rungs reached.
    double okScore = 0.3 * 100 * (1 - 500 / 9000.0) + 0.4 * (100 * (1 - 10 * 2000.0 / 46_600) - 5)
        + 0.3 * 100 * (0.7 * 2000 / 6000 + 0.3 * 4 / 7);
    assertThat(ok.getExperienceScore()).isCloseTo(okScore, within(1e-9));
    assertThat(rows.get("s-vsf").getExperienceScore()).isEqualTo(0.0);
    assertThat(rows.get("s-ebvs").getExperienceScore()).isNull();
    assertThat(rows.get("s-vsf").getVideoStartFailure()).isTrue();
    assertThat(rows.get("s-vsf").getEndReason().toString()).isEqualTo("error");
    assertThat(rows.get("s-ebvs").getExitBeforeVideoStart()).isTrue();
    assertThat(rows.get("s-idle").getEndReason().toString()).isEqualTo("inactivity");
    assertThat(rows).doesNotContainKeys("s-late", "s-ghost");
    assertThat(clean.sessions()).hasSize(4 + 1500);
  }

  @Test
  void aggregatesTheFirstMinuteByRegion() {
    QoeMinute eu = clean.minutes().stream()
        .filter(m -> m.getMinute() == T0 && m.getDimension().toString().equals("region"))
        .findFirst().orElseThrow();
    assertThat(eu.getKey().toString()).isEqualTo("eu");
    assertThat(eu.getAttempts()).isEqualTo(3); // s-ok, s-vsf (sent twice), s-ebvs
    assertThat(eu.getPlays()).isEqualTo(1);
    assertThat(eu.getVsfPct()).isCloseTo(100.0 / 3, within(1e-9));
    assertThat(eu.getEbvsPct()).isCloseTo(100.0 / 3, within(1e-9));
    assertThat(eu.getStartupP50Ms()).isCloseTo(1500L, within(15L));
    assertThat(eu.getConcurrentSessions()).isEqualTo(3);
    assertThat(eu.getErrors()).isEqualTo(1);
    // s-ok (ended in the minute) and s-vsf (0); s-ebvs has no score. In thousandths of a point.
    double okScore = 0.3 * 100 * (1 - 500 / 9000.0) + 0.4 * (100 * (1 - 10 * 2000.0 / 46_600) - 5)
        + 0.3 * 100 * (0.7 * 2000 / 6000 + 0.3 * 4 / 7);
    assertThat(eu.getExperienceScore()).isCloseTo(okScore / 2, within(0.001));
    assertThat(clean.minutes()).anyMatch(m -> m.getMinute() == T0 && m.getDimension().toString().equals("server")
        && m.getKey().toString().equals("srv-b") && m.getAttempts() == 2);
  }

  @Test
  void capsAndLiftsTheBitrateOfTheStarvedSession() {
    List<BitrateDecision> ok = clean.bitrate().stream()
        .filter(d -> d.getSessionId().toString().equals("s-ok")).toList();
    assertThat(ok).extracting(BitrateDecision::getEventTime).containsExactly(T0 + 20_000, T0 + 35_000);
    assertThat(ok).extracting(BitrateDecision::getMaxBitrateKbps).containsExactly(365, 6000);
    assertThat(ok.get(0).getReason().toString()).startsWith("low_buffer");
    assertThat(ok.get(1).getReason().toString()).startsWith("lifted");
  }

  @Test
  void steersAwayFromTheServerThatCrossedItsThreshold() {
    List<SteeringDecision> eu = clean.steering().stream()
        .filter(d -> d.getRegion().toString().equals("eu")).toList();
    SteeringDecision before = eu.stream().filter(d -> d.getEventTime() == T0 + 20_000).findFirst().orElseThrow();
    assertThat(before.getExcluded()).isEmpty();
    SteeringDecision crossing = eu.stream().filter(d -> d.getEventTime() == T0 + 30_000).findFirst().orElseThrow();
    assertThat(crossing.getPathwayPriority().stream().map(Object::toString)).containsExactly("srv-a", "srv-b");
    assertThat(crossing.getExcluded()).singleElement().satisfies(excluded -> {
      assertThat(excluded.getServerId().toString()).isEqualTo("srv-b");
      assertThat(excluded.getReason().toString()).startsWith("cpu_over_threshold");
    });
    // Every 10 s while servers report, and once at once when srv-b crossed.
    assertThat(eu).filteredOn(d -> d.getEventTime() == T0 + 30_000).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void sendsEachRefusedEventToTheDeadLettersWithItsReason() {
    assertThat(clean.deadLetters()).extracting(letter -> letter.getReason().toString())
        .containsExactlyInAnyOrder("malformed", "unknown_session", "late");
    DeadLetter late = clean.deadLetters().stream()
        .filter(letter -> letter.getReason().toString().equals("late")).findFirst().orElseThrow();
    PlayerHeartbeat original = JsonAvroCodec.fromBytes(late.getPayload().array(), PlayerHeartbeat.class);
    assertThat(original.getSessionId().toString()).isEqualTo("s-late");
  }

  @Test
  void versionsEachKeysDecisionsInTheOrderTheyWereMade() {
    assertThat(clean.bitrate()).isNotEmpty();
    assertThat(clean.steering()).isNotEmpty();
    assertVersionsGrowPerKey(clean.bitrate(), d -> d.getSessionId().toString(), BitrateDecision::getVersion);
    assertVersionsGrowPerKey(clean.steering(), d -> d.getRegion().toString(), SteeringDecision::getVersion);
    assertThat(clean.bitrate()).allSatisfy(d -> assertThat(d.getVersion() / 1000).isEqualTo(d.getEventTime()));
  }

  @Test
  void aFailureMidStreamCommitsTheSameOutputsAndRemakesTheSameDecisions() throws Exception {
    FailOnce.reset(script.records().size() / 2);
    Outputs restarted = runLive("failing", new FailOnce());
    assertThat(FailOnce.failures.get()).isEqualTo(1);
    assertSameOutputs(restarted, clean);
  }

  @Test
  void aReplayOfTheSameEventsGivesTheSameOutputs() throws Exception {
    Path file = temp.resolve("events.jsonl.gz");
    try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
      for (String line : script.lines()) {
        out.write(line + "\n");
      }
    }
    Path root = temp.resolve("replay");
    QoeOptions options = QoeOptions.parse("--replay", file.toUri().toString(), "--root", root.toUri().toString(),
        "--checkpoint-interval-ms", "500", "--parallelism", "2").orElseThrow();
    StreamExecutionEnvironment env = QoeJob.environment(options);
    QoeJob.build(env, options);
    env.execute();
    Outputs replayed = new Outputs(table(root, Tables.QOE_SESSIONS), table(root, Tables.QOE_MINUTE),
        jsonLines(root.resolve("decisions/bitrate"), BitrateDecision.class),
        jsonLines(root.resolve("decisions/steering"), SteeringDecision.class),
        jsonLines(root.resolve("dlq"), DeadLetter.class));
    assertSameOutputs(replayed, clean);
  }

  private static void assertSameOutputs(Outputs actual, Outputs expected) {
    assertThat(strings(actual.sessions())).containsExactlyInAnyOrderElementsOf(strings(expected.sessions()));
    assertThat(strings(actual.minutes())).containsExactlyInAnyOrderElementsOf(strings(expected.minutes()));
    // Decisions are published at-least-once: after a restart some come twice, but each the same
    // decision with the same version (a version never names two different decisions).
    assertSameDecisions(actual.bitrate(), expected.bitrate(), d -> d.getSessionId() + "@" + d.getVersion());
    assertSameDecisions(actual.steering(), expected.steering(), d -> d.getRegion() + "@" + d.getVersion());
    // Dead letters carry the time they were refused, and a replay file's unreadable line is
    // refused by the JSON reader rather than the Avro decoder: the reasons must match.
    Function<DeadLetter, String> what = letter -> letter.getReason().toString();
    assertThat(actual.deadLetters().stream().map(what).sorted().toList())
        .isEqualTo(expected.deadLetters().stream().map(what).sorted().toList());
  }

  private static <T> void assertSameDecisions(List<T> actual, List<T> expected, Function<T, String> keyAndVersion) {
    assertThat(strings(actual).stream().distinct().toList())
        .containsExactlyInAnyOrderElementsOf(strings(expected));
    Map<String, String> byVersion = new java.util.HashMap<>();
    for (T decision : actual) {
      String earlier = byVersion.putIfAbsent(keyAndVersion.apply(decision), decision.toString());
      assertThat(earlier == null || earlier.equals(decision.toString())).as("one decision per version: %s", decision)
          .isTrue();
    }
  }

  /** In publication order (one partition per key), each key's versions only grow. */
  private static <T> void assertVersionsGrowPerKey(List<T> decisions, Function<T, String> key,
      java.util.function.ToLongFunction<T> version) {
    Map<String, Long> last = new java.util.HashMap<>();
    for (T decision : decisions) {
      Long previous = last.put(key.apply(decision), version.applyAsLong(decision));
      assertThat(version.applyAsLong(decision)).as("version of %s", decision).isGreaterThan(previous == null ? 0 : previous);
    }
  }

  private static <T> List<String> strings(List<T> records) {
    return records.stream().map(Object::toString).toList();
  }

  /** Runs the live job over everything in the input topics, then reads what it committed. */
  static Outputs runLive(String name, MapFunction<Input, Input> tap) throws Exception {
    Path root = temp.resolve(name);
    QoeOptions options = QoeOptions.parse("--bootstrap-servers", KAFKA.bootstrapServers(),
        "--root", root.toUri().toString(), "--group-id", "qoe-" + name, "--bounded",
        "--checkpoint-interval-ms", "300", "--parallelism", "2").orElseThrow();
    Map<String, Long> offsets = Stream.of(Topics.BITRATE, Topics.STEERING, Topics.DEAD_LETTER)
        .collect(Collectors.toMap(Topic::name, topic -> KAFKA.endOffset(topic.name())));
    StreamExecutionEnvironment env = QoeJob.environment(options);
    QoePipeline.Inputs inputs = QoeJob.liveInputs(env, options);
    if (tap != null) {
      inputs = new QoePipeline.Inputs(inputs.players().map(tap).returns(Input.class), inputs.servers());
    }
    QoePipeline.build(inputs, QoeJob.settings(options), QoeJob.liveOutputs(options));
    env.execute(name);
    return new Outputs(table(root, Tables.QOE_SESSIONS), table(root, Tables.QOE_MINUTE),
        topic(Topics.BITRATE, offsets), topic(Topics.STEERING, offsets), topic(Topics.DEAD_LETTER, offsets));
  }

  private static <V extends SpecificRecord> List<V> topic(Topic<V> topic, Map<String, Long> from) {
    return KAFKA.readCommitted(topic.name(), from.get(topic.name())).stream()
        .map(record -> JsonAvroCodec.fromBytes(record.value(), topic.valueClass())).toList();
  }

  /**
   * Every committed row of a table: its visible .parquet files, each where the row's time puts it
   * (in-progress files are hidden).
   */
  static <T extends SpecificRecord> List<T> table(Path root, Table<T> table) throws IOException {
    TableReader<T> reader = TableReader.of(table, root.toUri().toString(), new Configuration());
    Path folder = root.resolve(table.path());
    List<T> rows = new ArrayList<>();
    for (FileStatus file : reader.dataFiles()) {
      assertThat(folder.relativize(Path.of(file.getPath().toUri())).toString())
          .matches("date=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/part-.*\\.parquet");
      rows.addAll(reader.read(file));
    }
    return rows;
  }

  private static <T extends SpecificRecord> List<T> jsonLines(Path folder, Class<T> type) throws IOException {
    List<T> records = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : walk.filter(p -> p.getFileName().toString().endsWith(".jsonl")
          && !p.getFileName().toString().startsWith(".")).toList()) {
        for (String line : Files.readAllLines(file)) {
          records.add(JsonAvroCodec.fromJson(line, type));
        }
      }
    }
    return records;
  }

  /** Fails the job once, when the records seen across its tasks reach a count. */
  static final class FailOnce implements MapFunction<Input, Input> {
    static final AtomicLong seen = new AtomicLong();
    static final AtomicLong failures = new AtomicLong();
    static volatile long failAt;

    static void reset(long at) {
      seen.set(0);
      failures.set(0);
      failAt = at;
    }

    @Override
    public Input map(Input event) {
      if (seen.incrementAndGet() == failAt) {
        failures.incrementAndGet();
        throw new IllegalStateException("injected failure after " + failAt + " records");
      }
      return event;
    }
  }
}
