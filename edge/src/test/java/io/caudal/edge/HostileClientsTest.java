package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.edge.http.SlowBody;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleTitles;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge on loopback against clients that try to take it down: hundreds of request bodies that never
 * arrive, held open while a player fetches segments and steering. No broker: the slow bodies never
 * get as far as Kafka, and media and steering do not need it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class HostileClientsTest {

  static final byte[] SECRET = "a-test-secret-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final String TITLE = "t-hostile";
  /** More than the 200 threads of edge's pool, the first thing the slow bodies used to exhaust. */
  static final int SLOW_BODIES = 300;

  @TempDir static Path root;
  EdgeServer edge;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start() throws Exception {
    SampleTitles.writeTitle(root, TITLE);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    // Every slow body comes from 127.0.0.1 here: the per-client bound is lifted so that all of them are
    // taken and held, as they would be from as many addresses. No minimum rate: they are cut by the timeout.
    edge = EdgeServer.start(EdgeOptions.defaults(root.toUri().toString(), "127.0.0.1:" + closedPort, SECRET)
        .withServer("edge-h", "eu-west")
        .withGuards(EdgeOptions.Guards.defaults().withUploads(4 * SLOW_BODIES, 4 * SLOW_BODIES)
            .withBodyTimeout(Duration.ofSeconds(8), 0)));
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(edge.url() + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void playbackAndSteeringKeepAnsweringWhileHundredsOfBodiesHang() throws Exception {
    String token = new TokenSigner(SECRET).sign(PlaybackToken.forTitle("u1", TITLE,
        System.currentTimeMillis() / 1000 + 600));
    String segment = "/t/" + token + "/vod/" + TITLE + "/video/360p/seg-00001.m4s";
    String steering = "/steering/hls/eu-west?_HLS_pathway=edge-h";
    List<SlowBody> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW_BODIES; i++) {
        // With a valid token, as anyone who signed in once has: edge has to take these bodies.
        SlowBody body = SlowBody.open(edge.url(), i % 3 == 0 ? "/v1/ratings" : "/v1/events", 4096, token);
        body.send("[{\"eventId\":");
        slow.add(body);
      }
      long[] segmentNanos = new long[100];
      long[] steeringNanos = new long[100];
      for (int i = 0; i < segmentNanos.length; i++) {
        long start = System.nanoTime();
        HttpResponse<String> media = get(segment);
        segmentNanos[i] = System.nanoTime() - start;
        assertThat(media.statusCode()).isEqualTo(200);
        start = System.nanoTime();
        HttpResponse<String> manifest = get(steering);
        steeringNanos[i] = System.nanoTime() - start;
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.body()).contains("PATHWAY-PRIORITY");
      }
      // Reported, not asserted: the time depends on the machine.
      System.out.printf(Locale.ROOT, "with %d hanging bodies: segment p99 %.1f ms, steering p99 %.1f ms%n",
          SLOW_BODIES, p99Millis(segmentNanos), p99Millis(steeringNanos));
      // Each hanging body ends in a 408 that says why, never a 500.
      for (SlowBody body : slow) {
        String answer = body.answer();
        assertThat(answer).startsWith("HTTP/1.1 408").contains("not received within 8 s");
      }
    } finally {
      for (SlowBody body : slow) {
        body.close();
      }
    }
    assertThat(get("/metrics").body()).doesNotContain("status=\"500\"");
  }

  /** A JSON POST with a playback token for user u1: of t-0001 (the events') or of {@link #TITLE} for ratings. */
  HttpResponse<String> post(String path, String body) throws Exception {
    String token = new TokenSigner(SECRET).sign(PlaybackToken.forTitle("u1", path.equals("/v1/ratings") ? TITLE
        : "t-0001", System.currentTimeMillis() / 1000 + 600));
    return http.send(HttpRequest.newBuilder(URI.create(edge.url() + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void refusesAnUploadWithoutACredentialBeforeItsBody() throws Exception {
    try (SlowBody anonymous = SlowBody.open(edge.url(), "/v1/events", 4096);
        SlowBody forged = SlowBody.open(edge.url(), "/v1/ratings", 4096, "djEKdTEKdC0xCg.AAAA")) {
      assertThat(anonymous.answer()).startsWith("HTTP/1.1 401").contains("Connection: close")
          .contains("WWW-Authenticate: Bearer").contains("Authorization: Bearer <token>");
      assertThat(forged.answer()).startsWith("HTTP/1.1 401").contains("signature does not match");
    }
  }

  @Test
  void refusesTrailingContentInsteadOfCountingTheFirstValue() throws Exception {
    String event = EdgeApiTest.heartbeatJson("e1", "s1");
    String cmcd = "{\"sid\":\"s1\",\"br\":800}";
    String rating = "{\"titleId\":\"" + TITLE + "\",\"stars\":4}";
    for (String[] request : new String[][] {
        {"/v1/events", event + event}, {"/v1/events", event + "xyz"}, {"/v1/events", event + "\n" + event + "\n"},
        {"/v1/cmcd", cmcd + cmcd}, {"/v1/cmcd", "[" + cmcd + "]]"},
        {"/v1/ratings", rating + rating}, {"/v1/ratings", rating + "\n{}"}}) {
      HttpResponse<String> response = post(request[0], request[1]);
      assertThat(response.statusCode()).as(request[0] + " " + request[1]).isEqualTo(400);
      assertThat(response.body()).as(request[0]).contains("malformed JSON");
    }
  }

  @Test
  void refusesEventsTheJobWouldDeadLetterNamingIndexFieldAndRule() throws Exception {
    String good = EdgeApiTest.heartbeatJson("e1", "s1");
    for (String[] bad : new String[][] {
        {good.replace("\"bitrateKbps\":800", "\"bitrateKbps\":-800"), "events[1].bitrateKbps: negative"},
        {good.replace("\"sessionId\":\"s1\"", "\"sessionId\":\" \""), "events[1].sessionId: blank"},
        {good.replaceAll("\"eventTime\":\\d+", "\"eventTime\":0"), "events[1].eventTime: implausible_time"},
        {good.replaceAll("\"eventTime\":\\d+", "\"eventTime\":4102444800000"), "events[1].eventTime: implausible_time"}}) {
      HttpResponse<String> response = post("/v1/events", "[" + good + "," + bad[0] + "]");
      assertThat(response.statusCode()).as(bad[1]).isEqualTo(400);
      assertThat(response.body()).contains(bad[1]);
    }
  }

  @Test
  void refusesOtherSpellingsOfPathsAndTokensAndUnknownRegions() throws Exception {
    String token = new TokenSigner(SECRET).sign(PlaybackToken.forTitle("u1", TITLE,
        System.currentTimeMillis() / 1000 + 600));
    assertThat(get("/t/" + token + "/vod/" + TITLE + "/master.m3u8").body()).contains("EXT-X-CONTENT-STEERING");
    // Each of these once served the manifest without the steering rewrite, or filled the cache with one more entry.
    for (String path : List.of("/t/" + token + "/vod/" + TITLE + "//master.m3u8",
        "/t/" + token + "//vod/" + TITLE + "/master.m3u8", "/t/" + token + "/vod/" + TITLE + "/./master.m3u8")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(response.body()).as(path).contains("canonical");
    }
    String payload = token.substring(0, token.indexOf('.'));
    String padded = payload + "=".repeat((4 - payload.length() % 4) % 4) + token.substring(token.indexOf('.')) + "=";
    HttpResponse<String> paddedAnswer = get("/t/" + padded + "/vod/" + TITLE + "/master.m3u8");
    assertThat(paddedAnswer.statusCode()).isEqualTo(403);
    assertThat(paddedAnswer.body()).contains("unpadded base64url only");
    String forever = new TokenSigner(SECRET).sign(PlaybackToken.forTitle("u1", TITLE, Long.MAX_VALUE / 2));
    HttpResponse<String> foreverAnswer = get("/t/" + forever + "/vod/" + TITLE + "/master.m3u8");
    assertThat(foreverAnswer.statusCode()).isEqualTo(403);
    assertThat(foreverAnswer.body()).contains("lasts longer than");
    for (String region : List.of("eu-west-2", "%3Cscript%3E", "x".repeat(300))) {
      HttpResponse<String> response = get("/steering/hls/" + region);
      assertThat(response.statusCode()).as(region).isEqualTo(404);
      assertThat(response.body()).as(region).doesNotContain(region);
    }
  }

  static double p99Millis(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
  }
}
