package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A title packaged with {@code --codecs h264,av1} plays its AV1 rungs in Debian's headless chromium
 * through the edge's player page, with hls.js and with dash.js: the manifests reaching the page
 * are cut down to their AV1 rungs (as a player preferring AV1 would pick them), and the player's
 * only video SourceBuffer decodes av01 frames.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class Av1PlaybackTest {

  static final byte[] SECRET = "av1-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  /** Seconds of playback asked for, and the frames (25 fps) at least that many seconds decode. */
  static final int PLAY_SECONDS = 8;
  static final int MIN_FRAMES = PLAY_SECONDS * 25 * 3 / 4;

  @TempDir static Path root;
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
  EdgeServer edge;
  String titleId;

  @BeforeAll
  void start() throws Exception {
    TranscodeJar.requireBrowserTestTools();
    Assumptions.assumeTrue(TranscodeJar.takes(root, "--codecs"),
        "the transcode jar has no --codecs option: it packages H.264 only, so there is no AV1 rung to play");
    titleId = TranscodeJar.publish(root, "AV1 sample", "test", 12, List.of(), List.of("--codecs", "h264,av1"));
    edge = EdgeServer.start(EdgeOptions.defaults(root.toUri().toString(), KAFKA.bootstrapServers(), SECRET)
        .withServer("edge-av1", "av1-test").withPort(freePort()));
  }

  @AfterAll
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
  }

  @Test
  void hlsJsPlaysTheAv1Rungs() throws Exception {
    playsAv1("hls");
  }

  @Test
  void dashJsPlaysTheAv1Rungs() throws Exception {
    playsAv1("dash");
  }

  private void playsAv1(String format) throws Exception {
    String name = format + "-av1";
    String token = new TokenSigner(SECRET).sign(
        PlaybackToken.forTitle("viewer-1", titleId, System.currentTimeMillis() / 1000 + 3600));
    String page = edge.url() + "/play/" + titleId + "?format=" + format + "&token=" + token + "&buffer=6";
    Process node = new ProcessBuilder("node", TranscodeJar.WEB.resolve("test/play-av1.mjs").toString(), page,
        TranscodeJar.SCREENSHOTS.toString(), name, Integer.toString(PLAY_SECONDS), "60")
        .directory(TranscodeJar.WEB.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("player script ends").isTrue();
    String last = out.lines().reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no output from the player"));
    System.out.println(name + " player: " + last);
    JsonNode result = JsonMapper.builder().build().readTree(last);

    assertThat(result.get("av1Supported").asBoolean()).as("chromium's MSE takes AV1").isTrue();
    assertThat(result.get("pageErrors")).as(name + " page errors").isEmpty();
    assertThat(result.get("errors")).as(name + " player errors").isEmpty();
    List<String> manifestCodecs = texts(result.get("manifestCodecs"));
    assertThat(manifestCodecs).as(name + " video codecs the page was given").anyMatch(c -> c.startsWith("av01."))
        .noneMatch(c -> c.startsWith("avc1."));
    List<String> buffers = texts(result.get("sourceBufferTypes"));
    assertThat(buffers).as(name + " SourceBuffers").filteredOn(t -> t.startsWith("video/"))
        .singleElement().satisfies(t -> assertThat(t).contains("av01."));
    assertThat(buffers).noneMatch(t -> t.contains("avc1"));
    assertThat(result.get("currentTime").asDouble()).as(name + " playhead").isGreaterThan(PLAY_SECONDS);
    assertThat(result.get("totalVideoFrames").asInt() - result.get("droppedVideoFrames").asInt())
        .as(name + " AV1 frames decoded and shown").isGreaterThanOrEqualTo(MIN_FRAMES);
    assertThat(result.get("videoWidth").asInt()).as(name + " picture width").isPositive();
  }

  private static List<String> texts(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
