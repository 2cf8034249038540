package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * dash.js 5 in Debian's headless chromium plays a title packaged by transcode with CMCD version 2
 * (request mode on every request, event mode posted to the collector), and the heartbeats the
 * collector publishes on player.heartbeat make a whole session, as a v1 player's JSON events do:
 * PLAY_REQUESTED, STARTED, HEARTBEATs with the bitrates and buffer of what was played, ENDED. The
 * same title played with CMCD v1 gives the same QoE fields (bitrates of the title's rungs, buffer
 * lengths) on its heartbeats. The v2 session's heartbeats are written to
 * {@code target/cmcd-v2/heartbeats.jsonl}: qoe-stream's {@code CmcdV2SessionQoeTest} keeps a copy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class CmcdV2BrowserTest {

  static final byte[] SECRET = "cmcd-v2-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  static final Path OUT = Path.of("").toAbsolutePath().resolve("target/cmcd-v2");

  @TempDir static Path root;
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
  EdgeServer edge;
  String titleId;
  String token;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    TranscodeJar.requireBrowserTestTools();
    titleId = TranscodeJar.publish(root, "CMCD v2 sample", "test", 12);
    edge = EdgeServer.start(EdgeOptions.defaults(root.toUri().toString(), KAFKA.bootstrapServers(), SECRET)
        .withServer("edge-v2", "cmcd-v2-test").withPort(freePort()));
    token = new TokenSigner(SECRET).sign(
        PlaybackToken.forTitle("viewer-2", titleId, System.currentTimeMillis() / 1000 + 3600));
  }

  @AfterAll
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
  }

  @Test
  void aDashJsSessionReportingCmcdV2MakesTheSameSessionAsV1() throws Exception {
    Set<Integer> rungs = rungsKbps();

    String v2Session = "v2-" + UUID.randomUUID();
    JsonNode v2Player = play(v2Session, 2);
    assertThat(v2Player.get("collectorAnswers").has("202")).as("event reports answered 202").isTrue();
    assertThat(v2Player.get("collectorAnswers").size()).as("only 202s from the collector: %s",
        v2Player.get("collectorAnswers")).isEqualTo(1);
    List<PlayerHeartbeat> v2 = heartbeatsUntil(v2Session, HeartbeatType.ENDED);
    write(v2);

    List<HeartbeatType> types = v2.stream().map(PlayerHeartbeat::getType).toList();
    assertThat(types).as("a whole session").contains(HeartbeatType.PLAY_REQUESTED, HeartbeatType.STARTED,
        HeartbeatType.HEARTBEAT, HeartbeatType.ENDED);
    assertThat(types.indexOf(HeartbeatType.PLAY_REQUESTED)).as("requested before started")
        .isLessThan(types.indexOf(HeartbeatType.STARTED));
    assertThat(types.indexOf(HeartbeatType.STARTED)).as("started before ended")
        .isLessThan(types.indexOf(HeartbeatType.ENDED));
    assertThat(v2).allSatisfy(h -> {
      assertThat(h.getCmcdVersion()).isEqualTo(2);
      assertThat(h.getUserId()).isEqualTo("viewer-2");
      assertThat(h.getTitleId()).isEqualTo(titleId);
      assertThat(h.getServerId()).isEqualTo("edge-v2");
    });
    assertThat(v2).filteredOn(h -> h.getCmcdEvent() != null).extracting(PlayerHeartbeat::getCmcdEvent)
        .contains("ps", "t");
    assertThat(v2).filteredOn(h -> h.getType() == HeartbeatType.STARTED)
        .allSatisfy(h -> assertThat(h.getPlayerState()).isEqualTo("p"));

    String v1Session = "v1-" + UUID.randomUUID();
    play(v1Session, 1);
    List<PlayerHeartbeat> v1 = heartbeatsUntil(v1Session, null);
    assertThat(v1).isNotEmpty().allSatisfy(h -> assertThat(h.getCmcdVersion()).isEqualTo(1));

    // The QoE-relevant fields, v2 beside v1: bitrates are the title's rungs, buffers are reported.
    for (List<PlayerHeartbeat> session : List.of(v1, v2)) {
      Set<Integer> videoBitrates = session.stream().map(PlayerHeartbeat::getBitrateKbps).filter(Objects::nonNull)
          .filter(b -> b > 200).collect(Collectors.toCollection(TreeSet::new));
      assertThat(videoBitrates).as("video bitrates played").isNotEmpty();
      // CMCD rounds to whole kbit/s, and dash.js rounds request and event reports differently.
      assertThat(videoBitrates).as("every bitrate played is one of the title's rungs %s", rungs)
          .allSatisfy(b -> assertThat(rungs).anyMatch(rung -> Math.abs(rung - b) <= 1));
      assertThat(session).as("buffer lengths reported").anyMatch(h -> h.getBufferMs() != null && h.getBufferMs() > 0);
    }
  }

  private JsonNode play(String session, int version) throws Exception {
    Process node = new ProcessBuilder("node", TranscodeJar.WEB.resolve("test/cmcd-v2.mjs").toString(), edge.url(), titleId, token,
        session, String.valueOf(version), "90")
        .directory(TranscodeJar.WEB.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("player script ends").isTrue();
    String last = out.substring(out.lastIndexOf('\n') + 1);
    System.out.println("CMCD v" + version + " player: " + last);
    JsonNode result = JsonMapper.builder().build().readTree(last);
    assertThat(result.get("pageErrors")).as("page errors").isEmpty();
    assertThat(result.get("errors")).as("player errors").isEmpty();
    assertThat(result.get("ended").asBoolean()).as("played to the end").isTrue();
    return result;
  }

  /** The session's heartbeats, once one of type {@code last} has arrived (or any, when null). */
  private List<PlayerHeartbeat> heartbeatsUntil(String session, HeartbeatType last) {
    return KAFKA.readUntil(Topics.HEARTBEAT, seen -> seen.stream().anyMatch(h -> h.getSessionId().equals(session)
            && (last == null || h.getType() == last)), Duration.ofSeconds(30))
        .stream().filter(h -> h.getSessionId().equals(session)).toList();
  }

  private static void write(List<PlayerHeartbeat> session) throws IOException {
    Files.createDirectories(OUT);
    Files.write(OUT.resolve("heartbeats.jsonl"), session.stream().map(JsonAvroCodec::toJson).toList());
  }

  /** The bitrates (kbit/s) of the title's rungs, from the MPD edge serves. */
  private Set<Integer> rungsKbps() throws Exception {
    String mpd = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/t/" + token + "/vod/" + titleId
        + "/manifest.mpd")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Set<Integer> rungs = new TreeSet<>();
    Matcher m = Pattern.compile("bandwidth=\"(\\d+)\"").matcher(mpd);
    while (m.find()) {
      rungs.add((int) Math.round(Long.parseLong(m.group(1)) / 1000.0));
    }
    assertThat(rungs).as("rungs in the MPD").isNotEmpty();
    return rungs;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
