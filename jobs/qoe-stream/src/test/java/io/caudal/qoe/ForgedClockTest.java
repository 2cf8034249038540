package io.caudal.qoe;

import static io.caudal.schemas.HeartbeatType.HEARTBEAT;
import static io.caudal.schemas.HeartbeatType.PLAY_REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.qoe.kafka.Script;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Tables;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients stamp their own events, and some clocks are wrong or forged: the whole job on a
 * MiniCluster against an in-process broker, a fleet's genuine events with forged future ones among
 * them. Nothing genuine may be dead-lettered: a client's clock must not make the others late, and
 * a server's must not make the rest of its region look silent.
 */
@IntegrationTest
class ForgedClockTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = LiveJobs.miniCluster();
  @RegisterExtension
  static final KafkaBroker KAFKA = KafkaBroker.empty();

  private static final long T0 = LiveJobs.startOfEvents();
  private static final int FLEET = 300;
  private static final long FORGED_AT = T0 + 40_000;
  private static final long LAST_REPORT = T0 + 240_000;

  @TempDir static Path temp;
  static List<QoeSession> sessions;
  static List<SteeringDecision> steering;
  static List<DeadLetter> deadLetters;

  @BeforeAll
  static void sendAndRun() throws Exception {
    // One partition per topic: every forged event shares its partition with genuine ones.
    KAFKA.createTopics(1, Topics.all().stream().map(Topic::name).toArray(String[]::new));
    Script script = new Script();
    script.fleet(FLEET, T0, 11);
    for (long t = T0; t <= LAST_REPORT; t += 5000) {
      script.health("srv-a", t, 0.3, List.of("title-0"));
      script.health("srv-b", t, 0.5, List.of("title-1"));
    }
    // Stamped 25 s ahead of when it reached Kafka: taken, but it moves no watermark past that.
    script.sentAt(FORGED_AT).heartbeat("s-ahead", "title-0", "srv-a", FORGED_AT + 25_000, PLAY_REQUESTED, 0, null,
        null, null);
    // Four minutes ahead (the validator's bound is five): refused.
    script.sentAt(FORGED_AT).heartbeat("s-future", "title-0", "srv-a", FORGED_AT + 240_000, HEARTBEAT, 0, 2000,
        30_000L, 10_000);
    KAFKA.send(script.records());

    Path root = temp.resolve("run");
    QoeOptions options = QoeOptions.parse("--bootstrap-servers", KAFKA.bootstrapServers(),
        "--root", root.toUri().toString(), "--group-id", "qoe-forged", "--bounded",
        "--checkpoint-interval-ms", "300", "--parallelism", "2").orElseThrow();
    StreamExecutionEnvironment env = QoeJob.environment(options);
    QoeJob.build(env, options);
    env.execute("forged clocks");
    sessions = QoeJobTest.table(root, Tables.QOE_SESSIONS);
    steering = read(Topics.STEERING);
    deadLetters = read(Topics.DEAD_LETTER);
  }

  @Test
  void deadLettersOnlyTheForgedEventsWithTheirReasons() {
    assertThat(deadLetters).singleElement().satisfies(letter -> {
      assertThat(letter.getReason().toString()).isEqualTo("ahead_of_clock");
      assertThat(JsonAvroCodec.fromBytes(letter.getPayload().array(), PlayerHeartbeat.class).getSessionId().toString())
          .isEqualTo("s-future");
    });
  }

  @Test
  void computesEveryGenuineSession() {
    assertThat(sessions).extracting(row -> row.getSessionId().toString())
        .filteredOn(id -> id.startsWith("fleet-")).hasSize(FLEET).doesNotHaveDuplicates();
  }

  @Test
  void neverTakesAServerThatReportsForSilent() {
    // (The first decision, on the first report, knows only that server.)
    List<SteeringDecision> whileReporting = steering.stream().filter(d -> d.getEventTime() > T0 && d.getEventTime() <= LAST_REPORT).toList();
    assertThat(whileReporting).isNotEmpty().allSatisfy(decision -> {
      assertThat(decision.getPathwayPriority().stream().map(Object::toString))
          .containsExactlyInAnyOrder("srv-a", "srv-b");
      assertThat(decision.getExcluded()).noneMatch(excluded -> excluded.getReason().toString().startsWith("unhealthy"));
    });
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> List<V> read(Topic<V> topic) {
    return KAFKA.readCommitted(topic.name(), 0).stream()
        .map(record -> JsonAvroCodec.fromBytes(record.value(), topic.valueClass())).toList();
  }
}
