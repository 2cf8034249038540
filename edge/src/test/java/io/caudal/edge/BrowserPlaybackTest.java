package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A title packaged by transcode plays in Debian's headless chromium through the edge's player
 * page (hls.js, then dash.js), from two edge servers that are two pathways; a steering decision
 * published to qoe.steering mid-playback moves the player from the first to the second, and the
 * player's CMCD data reaches player.heartbeat through the collector.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class BrowserPlaybackTest {

  static final String REGION = "browser-test";
  /** A forward buffer shorter than the title, so segments are still being fetched when the decision changes. */
  static final int BUFFER_SECONDS = 4;
  static final byte[] SECRET = "browser-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  static final Path WEB = TranscodeJar.WEB;
  static final Path SCREENSHOTS = Path.of("").toAbsolutePath().resolve("target/screenshots");

  @TempDir static Path root;
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
  EdgeServer edgeA;
  EdgeServer edgeB;
  String titleId;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    TranscodeJar.requireBrowserTestTools();
    int portA = freePort();
    int portB = freePort();
    String urlA = "http://127.0.0.1:" + portA;
    String urlB = "http://127.0.0.1:" + portB;
    titleId = packageTitle();
    EdgeOptions base = EdgeOptions.defaults(root.toUri().toString(), KAFKA.bootstrapServers(), SECRET)
        .withHealthInterval(Duration.ofSeconds(2));
    edgeA = EdgeServer.start(base.withServer("edge-a", REGION).withPort(portA).withPathways(Map.of("edge-b", urlB)));
    edgeB = EdgeServer.start(base.withServer("edge-b", REGION).withPort(portB).withPathways(Map.of("edge-a", urlA)));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {edgeA, edgeB}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void playsHlsAndFollowsTheSteeringDecisionToTheOtherPathway() throws Exception {
    playAndSwitch("hls");
  }

  @Test
  void playsDashAndFollowsTheSteeringDecisionToTheOtherPathway() throws Exception {
    playAndSwitch("dash");
  }

  private void playAndSwitch(String format) throws Exception {
    steerTo(List.of("edge-a", "edge-b"));
    String session = format + "-" + UUID.randomUUID();
    String token = new TokenSigner(SECRET).sign(
        PlaybackToken.forTitle("viewer-1", titleId, System.currentTimeMillis() / 1000 + 3600));
    String page = edgeA.url() + "/play/" + titleId + "?format=" + format + "&token=" + token + "&sid=" + session
        + "&buffer=" + BUFFER_SECONDS;

    double servedByBAtStart = segmentsServed(edgeB);
    Process node = new ProcessBuilder("node", WEB.resolve("test/play.mjs").toString(), page, SCREENSHOTS.toString(),
        format, edgeB.url(), "12", "90")
        .directory(WEB.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    double servedByBBeforeSwitch = -1;
    String last = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals("PLAYING")) {
          servedByBBeforeSwitch = segmentsServed(edgeB);
          steerTo(List.of("edge-b", "edge-a"));
        } else {
          last = line;
        }
      }
    }
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("player script ends").isTrue();
    assertThat(last).as("player script result").isNotNull();
    System.out.println(format + " player: " + last);
    JsonNode result = JsonMapper.builder().build().readTree(last);

    assertThat(result.get("pageErrors")).as("page errors").isEmpty();
    assertThat(result.get("consoleErrors")).as("console errors").isEmpty();
    assertThat(result.get("errors")).as("player errors").isEmpty();
    assertThat(result.get("currentTime").asDouble()).as("playhead").isGreaterThan(10);
    assertThat(result.get("steeringManifests").asInt()).as("steering manifests loaded").isGreaterThan(0);
    List<String> pathways = new ArrayList<>();
    result.get("pathways").forEach(p -> pathways.add(p.asText()));
    assertThat(pathways).as("origins segments came from, in order").containsSubsequence(edgeA.url(), edgeB.url());
    assertThat(servedByBBeforeSwitch).as("edge-b segments before the decision changed").isEqualTo(servedByBAtStart);
    assertThat(segmentsServed(edgeB)).as("edge-b segments after the decision changed").isGreaterThan(servedByBBeforeSwitch);
    assertThat(Files.size(SCREENSHOTS.resolve(format + ".png"))).isPositive();

    List<PlayerHeartbeat> heartbeats = KAFKA.readUntil(Topics.HEARTBEAT,
        seen -> seen.stream().anyMatch(h -> h.getSessionId().equals(session) && h.getServerId().equals("edge-b")),
        Duration.ofSeconds(20)).stream().filter(h -> h.getSessionId().equals(session)).toList();
    assertThat(heartbeats).as("CMCD heartbeats of the session").isNotEmpty()
        .allSatisfy(h -> assertThat(h.getTitleId()).isEqualTo(titleId))
        .allSatisfy(h -> assertThat(h.getUserId()).isEqualTo("viewer-1"));
    assertThat(heartbeats).extracting(PlayerHeartbeat::getServerId).contains("edge-a", "edge-b");
    assertThat(heartbeats).anyMatch(h -> h.getBitrateKbps() != null && h.getBitrateKbps() > 0);
  }

  /** Publishes a decision for the region and waits until edge-a serves it. */
  private void steerTo(List<String> priority) {
    KAFKA.publishCommitted(Topics.STEERING, SteeringDecision.newBuilder().setRegion(REGION)
        .setEventTime(System.currentTimeMillis()).setTtlSeconds(1).setPathwayPriority(priority)
        .setExcluded(List.<ExcludedServer>of()).setReplications(List.of()).build());
    String expected = "\"PATHWAY-PRIORITY\":[\"" + String.join("\",\"", priority) + "\"]";
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(http.send(
        HttpRequest.newBuilder(URI.create(edgeA.url() + "/steering/hls/" + REGION)).build(),
        HttpResponse.BodyHandlers.ofString()).body()).contains(expected));
  }

  /** Media segments (not playlists) an edge has answered, from its Prometheus metrics. */
  private double segmentsServed(EdgeServer edge) throws IOException, InterruptedException {
    String metrics = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith("edge_segments_served_total "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /**
   * Makes a 20 s sample and packages it with transcode, as bin/caudal does; returns its title id. The
   * manifests carry no steering tag: edge adds it as it serves them.
   */
  private static String packageTitle() throws Exception {
    Path sample = root.resolve("incoming/sample.mp4");
    Files.createDirectories(sample.getParent());
    runTranscodeClass("io.caudal.transcode.sample.SampleMaker", sample.toString(), "--seconds", "20",
        "--size", "640x360", "--rate", "25");
    runTranscodeClass("io.caudal.transcode.TranscodeJob", "--input", sample.toString(), "--name", "Browser sample",
        "--category", "test", "--root", root.toString(), "--max-rungs", "2");
    try (Stream<Path> titles = Files.list(root.resolve("vod"))) {
      return titles.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).findFirst()
          .orElseThrow(() -> new AssertionError("transcode published no title under " + root.resolve("vod")));
    }
  }

  private static void runTranscodeClass(String mainClass, String... args) throws Exception {
    TranscodeJar.run(root, mainClass, args);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
