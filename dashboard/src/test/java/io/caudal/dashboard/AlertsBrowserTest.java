package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertKind;
import io.caudal.schemas.AlertSlice;
import io.caudal.schemas.AlertState;
import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Tables;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleEvents;
import io.caudal.testing.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts page and the session timeline in Debian's chromium (headless, playwright-core, driven
 * by {@code src/test/browser/alerts-e2e.mjs}). The tables are written as the jobs write them
 * (Avro rows to Parquet): an ISP in eu-west whose video start failures jump at the onset, the
 * threshold alert on eu-west that names it, an older resolved anomaly; qoe.alerts carries the
 * alert's newer revision, and Kafka a session that stalls. Screenshots in {@code target/screenshots/}.
 */
@IntegrationTest
class AlertsBrowserTest {

  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();

  static final String USER = "operator";
  static final String PASSWORD = "browser test password";
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final long NOW = System.currentTimeMillis();
  /** The first bad minute, a quarter of an hour ago. */
  static final long ONSET = (NOW / 60_000 - 15) * 60_000;
  static final long SESSION_START = NOW - 6 * 60_000L;
  static final String STALLED_SESSION = "sess-stall";

  @TempDir static Path root;
  static AlertFeed feed;
  static RunningDashboard dashboard;

  @BeforeAll
  static void start() throws Exception {
    AvroTables.writePartitioned(root, Tables.QOE_MINUTE, minutes(), QoeMinute::getMinute);
    AvroTables.writePartitioned(root, Tables.ALERTS, List.of(
        resolvedAnomaly(1, AlertState.OPEN, ONSET - 25 * 60_000L),
        resolvedAnomaly(2, AlertState.RESOLVED, ONSET - 20 * 60_000L),
        ispAlert(1, AlertState.OPEN, ONSET + 60_000, 9.4)), Alert::getMinute);
    AvroTables.writePartitioned(root, Tables.QOE_SESSIONS, List.of(stalledSession()), QoeSession::getStartTime);
    KAFKA.publishCommitted(Topics.ALERTS, ispAlert(2, AlertState.UPDATED, ONSET + 10 * 60_000L, 9.6));
    publishStalledSession();

    feed = new AlertFeed(KAFKA.bootstrapServers()).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> feed.state().latest().stream()
        .anyMatch(alert -> alert.getRevision() == 2 && alert.getAlertId().equals("a-isp")));
    dashboard = RunningDashboard.start(root, FixtureTables.oneUser(USER, PASSWORD), Optional.empty(), Optional.of(feed),
        Optional.of(new SessionTimeline(KAFKA.bootstrapServers(), SessionTimeline.Limits.DEFAULT)));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
    feed.close();
  }

  /** 45 minutes of eu-west and its two ISPs; isp-b's VSF jumps from 2 % to 20.5 % at the onset. */
  static List<QoeMinute> minutes() {
    List<QoeMinute> rows = new ArrayList<>();
    for (long minute = ONSET - 30 * 60_000L; minute < ONSET + 15 * 60_000L; minute += 60_000) {
      boolean bad = minute >= ONSET;
      double ispB = bad ? 20.5 : 2.0;
      rows.add(minute(minute, "region", "eu-west", 100, (60 * 2.0 + 40 * ispB) / 100, bad ? 71.0 : 88.0));
      rows.add(minute(minute, "isp", "isp-a", 60, 2.0, 88.0));
      rows.add(minute(minute, "isp", "isp-b", 40, ispB, bad ? 40.0 : 88.0));
    }
    return rows;
  }

  static QoeMinute minute(long minute, String dimension, String key, long attempts, double vsfPct, double score) {
    return QoeMinute.newBuilder().setMinute(minute).setDimension(dimension).setKey(key).setAttempts(attempts)
        .setPlays(attempts - 3).setVsfPct(vsfPct).setEbvsPct(1.0).setStartupP50Ms(900L).setStartupP95Ms(2400L)
        .setRebufferingRatio(0.01).setAvgBitrateKbps(3500.0).setErrors(Math.round(attempts * vsfPct / 100))
        .setLossFraction(null).setJitterMs(null).setConcurrentSessions(attempts * 3).setExperienceScore(score).build();
  }

  static Alert ispAlert(long revision, AlertState state, long minute, double value) {
    return Alert.newBuilder().setAlertId("a-isp").setState(state).setRevision(revision).setKind(AlertKind.THRESHOLD)
        .setRuleId("vsf-eu").setMetric("vsfPct").setDimension("region").setKey("eu-west")
        .setRootCause(List.of(new AlertSlice("isp", "isp-b"))).setOnsetMinute(ONSET).setMinute(minute)
        .setValue(value).setBaseline(null).setThreshold(5.0).setScore(null).setAttempts(100)
        .setMessage("vsfPct %.1f above 5.0 in region eu-west for 2 min; root cause isp=isp-b".formatted(value)).build();
  }

  static Alert resolvedAnomaly(long revision, AlertState state, long minute) {
    return Alert.newBuilder().setAlertId("a-old").setState(state).setRevision(revision).setKind(AlertKind.ANOMALY)
        .setRuleId(null).setMetric("rebufferingRatio").setDimension("isp").setKey("isp-a").setRootCause(List.of())
        .setOnsetMinute(ONSET - 25 * 60_000L).setMinute(minute).setValue(0.04).setBaseline(0.01).setThreshold(null)
        .setScore(6.2).setAttempts(60).setMessage("rebufferingRatio 0.04 for isp isp-a, 6.2 spreads above its baseline")
        .build();
  }

  static QoeSession stalledSession() {
    return QoeSession.newBuilder().setSessionId(STALLED_SESSION).setUserId("u-ops").setTitleId(SampleEvents.TITLE)
        .setServerId(SampleEvents.SERVER).setRegion("eu-west").setIsp("isp-b").setDevice("web")
        .setStartTime(SESSION_START).setEndTime(SESSION_START + 60_000).setStartupTimeMs(1000L)
        .setVideoStartFailure(false).setExitBeforeVideoStart(false).setPlaybackFailure(false).setStallCount(1)
        .setStalledMs(6_000).setPlayingMs(53_000).setRebufferingRatio(6.0 / 59).setAvgBitrateKbps(2800.0)
        .setBitrateSwitches(1).setCompletion(0.5).setLossFraction(null).setJitterMs(null).setRttMs(null)
        .setEndReason("EXIT").setExperienceScore(62.5).build();
  }

  /** The stalled session every 2 s for a minute (stall from 20 s to 26 s, then capped), and a calm one beside it. */
  static void publishStalledSession() {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (String session : List.of(STALLED_SESSION, "sess-calm")) {
      for (int second = 0; second <= 60; second += 2) {
        boolean stalled = session.equals(STALLED_SESSION);
        HeartbeatType type = second == 0 ? HeartbeatType.PLAY_REQUESTED : second == 2 ? HeartbeatType.STARTED
            : stalled && second == 20 ? HeartbeatType.STALL_START : stalled && second == 26 ? HeartbeatType.STALL_END
            : second == 60 ? HeartbeatType.EXIT : HeartbeatType.HEARTBEAT;
        long buffer = !stalled ? 18_000 : second < 20 ? 12_000 - second * 500L : second <= 26 ? 0 : (second - 26) * 400L;
        PlayerHeartbeat event = SampleEvents.heartbeat(session, SESSION_START + second * 1000L).setType(type)
            .setRegion("eu-west").setIsp("isp-b").setBitrateKbps(second < 26 || !stalled ? 3000 : 1500)
            .setBufferMs(buffer).build();
        records.add(new ProducerRecord<>(Topics.HEARTBEAT.name(), Topics.HEARTBEAT.keyOf(event),
            JsonAvroCodec.toBytes(event)));
      }
    }
    KAFKA.send(records);
    KAFKA.publishCommitted(Topics.BITRATE, BitrateDecision.newBuilder().setSessionId(STALLED_SESSION)
        .setEventTime(SESSION_START + 27_000).setMaxBitrateKbps(1500).setReason("rebuffering")
        .setVersion((SESSION_START + 27_000) * 1000).build());
    KAFKA.publishCommitted(Topics.STEERING, SteeringDecision.newBuilder().setRegion("eu-west")
        .setEventTime(SESSION_START + 30_000).setTtlSeconds(30).setPathwayPriority(List.of("edge-eu-2", "edge-eu-1"))
        .setExcluded(List.of()).setReplications(List.of()).setVersion((SESSION_START + 30_000) * 1000).build());
  }

  @Test
  void operatorSeesTheAlertItsChartAndRootCauseEditsRulesAndSeesASessionsStall() throws Exception {
    JsonNode seen = runBrowser();

    assertThat(seen.get("ok").asBoolean()).as("browser run: %s", seen.path("error").asText()).isTrue();
    assertThat(seen.get("openBadge").asText()).isEqualTo("1");
    assertThat(seen.at("/alerts/0/id").asText()).isEqualTo("a-isp");
    assertThat(seen.at("/alerts/0/state").asText()).isEqualTo("UPDATED");
    // The live feed's revision 2 over the table's revision 1.
    assertThat(seen.at("/alerts/0/title").asText()).contains("vsfPct 9.6 above 5.0 in region eu-west");
    assertThat(seen.at("/alerts/0/rootCause").asText()).startsWith("isp=isp-b");
    assertThat(seen.at("/alerts/0/chartCanvas").asBoolean()).isTrue();
    JsonNode series = DashboardClient.JSON.readTree(seen.at("/alerts/0/series").asText());
    assertThat(series.get(0).get("label").asText()).isEqualTo("region=eu-west");
    assertThat(series.get(0).get("points").asInt()).isEqualTo(45);
    assertThat(series.get(1).get("label").asText()).isEqualTo("isp=isp-b");
    assertThat(series.get(1).get("rootCause").asBoolean()).isTrue();
    assertThat(seen.at("/alerts/1/id").asText()).isEqualTo("a-old");
    assertThat(seen.at("/alerts/1/state").asText()).isEqualTo("RESOLVED");
    assertThat(seen.at("/alerts/1/rootCause").asText()).isEqualTo("no single slice explains it");
    assertThat(seen.get("breakdownDimension").asText()).isEqualTo("isp");
    assertThat(seen.get("highlightedKey").asText()).isEqualTo("isp-b");
    assertThat(seen.get("ruleError").asText()).isEqualTo("forMinutes: must be 1-60");
    assertThat(seen.get("rulesListed")).extracting(JsonNode::asText).containsExactly("vsf-eu-isp");
    assertThat(seen.get("experienceTile").asText()).isNotEqualTo("–");
    assertThat(seen.get("timelineStalls").asInt()).isEqualTo(1);
    assertThat(seen.get("timelineRows").toString()).contains("stall", "stalled 6000 ms", "cap 1500 kbit/s (rebuffering)",
        "pathway edge-eu-2 › edge-eu-1");
    assertThat(seen.get("timelineRows").toString()).doesNotContain("sess-calm");
    assertThat(seen.get("consoleErrors")).isEmpty();
    assertThat(root.resolve("config/alert-rules/vsf-eu-isp.json")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("10-alerts.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("12-timeline.png")).isNotEmptyFile();
  }

  private static JsonNode runBrowser() throws Exception {
    Path log = Files.createTempFile("alerts-e2e", ".log");
    ProcessBuilder builder = new ProcessBuilder("node", "src/test/browser/alerts-e2e.mjs")
        .redirectError(log.toFile())
        .redirectOutput(ProcessBuilder.Redirect.PIPE);
    builder.environment().put("BASE_URL", "http://127.0.0.1:" + dashboard.port);
    builder.environment().put("DASH_USER", USER);
    builder.environment().put("DASH_PASSWORD", PASSWORD);
    builder.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString());
    builder.environment().put("STALLED_SESSION", STALLED_SESSION);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the browser run did not finish in 3 minutes");
    }
    List<String> lines = out.lines().filter(line -> line.startsWith("{")).toList();
    assertThat(lines).as("node printed no JSON; exit %d, stderr: %s", process.exitValue(),
        Files.readString(log)).isNotEmpty();
    return DashboardClient.JSON.readTree(lines.get(lines.size() - 1));
  }
}
