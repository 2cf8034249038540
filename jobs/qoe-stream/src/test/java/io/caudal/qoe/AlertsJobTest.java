package io.caudal.qoe;

import static io.caudal.schemas.HeartbeatType.ENDED;
import static io.caudal.schemas.HeartbeatType.ERROR;
import static io.caudal.schemas.HeartbeatType.PLAY_REQUESTED;
import static io.caudal.schemas.HeartbeatType.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.caudal.qoe.flink.QoePipeline;
import io.caudal.qoe.kafka.Script;
import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertState;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.Tables;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.schemas.alert.AlertRules;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job on a Flink MiniCluster against the in-process broker, with a threshold rule edited
 * while it runs and a webhook receiver (the JDK's HTTP server) that fails its first attempts.
 */
@IntegrationTest
class AlertsJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = LiveJobs.miniCluster();
  @RegisterExtension
  static final KafkaBroker KAFKA = KafkaBroker.empty();

  private static final long T0 = LiveJobs.startOfEvents();
  private static final String RULE = """
      {"ruleId": "vsf-eu", "metric": "vsfPct", "comparison": "ABOVE", "value": %s, "dimension": "region",
       "key": "eu", "forMinutes": 1, "minAttempts": 10, "description": "start failures in eu"}""";

  @TempDir
  Path temp;

  /**
   * Minute m of a region: 20 attempts, {@code failing} of them failing to start, the others
   * starting and ending within the minute.
   */
  private static void minute(Script script, int m, int failing) {
    for (int i = 0; i < 20; i++) {
      String session = "m" + m + "-s" + i;
      long t = T0 + m * 60_000L + i * 2_000L;
      script.heartbeat(session, "t1", "srv-a", t, PLAY_REQUESTED, 0, null, null, null);
      if (i < failing) {
        script.heartbeat(session, "t1", "srv-a", t + 1_000, ERROR, 0, null, null, null);
      } else {
        script.heartbeat(session, "t1", "srv-a", t + 1_000, STARTED, 0, 3000, 20_000L, 8_000);
        script.heartbeat(session, "t1", "srv-a", t + 9_000, ENDED, 8_000, 3000, 20_000L, 8_000);
      }
    }
  }

  private static void writeRule(Path root, String value) throws Exception {
    Path folder = root.resolve(AlertRules.FOLDER);
    Files.createDirectories(folder);
    Path staged = folder.resolve(".vsf-eu.json.tmp");
    Files.writeString(staged, RULE.formatted(value));
    Files.move(staged, folder.resolve("vsf-eu.json"), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aRuleEditedWhileTheJobRunsTakesEffectAndEachChangeReachesTheWebhookOnce() throws Exception {
    KAFKA.createTopics(1, Topics.all().stream().map(Topic::name).toArray(String[]::new));
    // The receiver fails the first two attempts of every change.
    AtomicInteger attempts = new AtomicInteger();
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (attempts.incrementAndGet() % 3 != 0) {
        exchange.sendResponseHeaders(503, -1);
      } else {
        received.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
        exchange.sendResponseHeaders(200, -1);
      }
      exchange.close();
    });
    receiver.start();
    Path root = temp.resolve("root");
    writeRule(root, "50.0"); // 20 % of starts failing is not above it
    QoeOptions options = QoeOptions.parse("--bootstrap-servers", KAFKA.bootstrapServers(),
        "--root", root.toUri().toString(), "--group-id", "qoe-alerts", "--checkpoint-interval-ms", "300",
        "--parallelism", "2", "--alert-rules-poll-ms", "100",
        "--alert-webhook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook").orElseThrow();
    StreamExecutionEnvironment env = QoeJob.environment(options);
    QoePipeline.build(QoeJob.liveInputs(env, options), QoeJob.settings(options), QoeJob.liveOutputs(options),
        QoeJob.liveAlerts(env, options));
    JobClient job = env.executeAsync("alerts");
    try {
      Script before = new Script();
      for (int m = 0; m < 5; m++) {
        minute(before, m, 4);
      }
      KAFKA.send(before.records());
      // Minutes 0-3 judged under the first rule (their rows committed): nothing opened.
      await().atMost(Duration.ofSeconds(120)).until(() -> QoeJobTest.table(root, Tables.QOE_MINUTE).stream()
          .map(QoeMinute::getMinute).anyMatch(minute -> minute == T0 + 3 * 60_000L));

      writeRule(root, "10.0");
      // The rules are read every 100 ms of processing time: on a loaded machine the minutes sent next
      // could reach the alerts before the edit, and the rest of the script fails no start.
      Thread.sleep(2_000);
      Script after = new Script();
      for (int m = 5; m < 8; m++) {
        minute(after, m, 4);
      }
      for (int m = 8; m < 11; m++) {
        minute(after, m, 0);
      }
      KAFKA.send(after.records());

      List<Alert> alerts = KAFKA.readUntil(Topics.ALERTS,
          seen -> seen.stream().anyMatch(a -> a.getState() == AlertState.RESOLVED), Duration.ofSeconds(120));
      Alert open = alerts.get(0);
      assertThat(open.getState()).isEqualTo(AlertState.OPEN);
      assertThat(open.getRuleId()).isEqualTo("vsf-eu");
      assertThat(open.getThreshold()).isEqualTo(10.0);
      assertThat(open.getValue()).isEqualTo(20.0);
      // The first minute judged after the edit (4, whose row waited for minute 5's events, or 5):
      // within a minute of the event time the job had reached.
      assertThat(open.getMinute()).isBetween(T0 + 4 * 60_000L, T0 + 5 * 60_000L);
      Alert resolved = alerts.stream().filter(a -> a.getState() == AlertState.RESOLVED).findFirst().orElseThrow();
      assertThat(resolved.getAlertId()).isEqualTo(open.getAlertId());
      assertThat(resolved.getMinute()).isEqualTo(T0 + 8 * 60_000L);
      assertThat(alerts).extracting(Alert::getAlertId).containsOnly(open.getAlertId());

      await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 2);
      assertThat(received).containsExactly(open.getAlertId() + "/1", resolved.getAlertId() + "/" + resolved.getRevision());
      await().atMost(Duration.ofSeconds(60)).until(() -> QoeJobTest.table(root, Tables.ALERTS).size() >= 2);
      assertThat(QoeJobTest.table(root, Tables.ALERTS)).extracting(Alert::getState)
          .containsExactlyInAnyOrder(AlertState.OPEN, AlertState.RESOLVED);
    } finally {
      job.cancel().get();
      receiver.stop(0);
    }
  }
}
