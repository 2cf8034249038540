package io.caudal.edge.http;

import static io.caudal.edge.http.EdgeRoutes.Methods.POST;
import static io.caudal.edge.http.EdgeRoutes.Methods.READ;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caudal.edge.collect.KafkaPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What every route shares, on a real Jetty server with stand-in endpoints. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeRoutesTest {

  static final String JETTY_THREADS = "jetty-under-test";
  static final String BLOCKING_THREADS = "blocking-under-test";
  static final String PLAYER = "https://player.example";

  final EdgeMetrics metrics = new EdgeMetrics();
  final ExecutorService blocking = Executors.newSingleThreadExecutor(r -> new Thread(r, BLOCKING_THREADS));
  final HttpClient http = HttpClient.newHttpClient();
  /**
   * Two uploads per client, and bodies cut off after 3 s. No minimum rate here, so that a busy machine
   * cannot turn a test's pause into a cut; the rate rule is checked on its own below.
   */
  final Uploads uploads = new Uploads(new Uploads.Limits(100, 2, Duration.ofSeconds(3), 0, 1000));
  Server server;
  String url;

  @BeforeAll
  void start() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 4);
    threads.setName(JETTY_THREADS);
    server = new Server(threads);
    // As edge's server: Jetty lets every spelling through, and the routes refuse the ones that are not canonical.
    HttpConfiguration config = new HttpConfiguration();
    config.setUriCompliance(UriCompliance.UNSAFE);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new EdgeRoutes(metrics, blocking, uploads).allowOrigins(java.util.Set.of(PLAYER))
        .inPlace("/in-place/*", "in_place", READ, x -> x.json(200, Thread.currentThread().getName()))
        .blocking("/blocking", "blocking", READ, x -> x.json(200, Thread.currentThread().getName()))
        .blocking("/bad-input", "bad_input", POST, x -> {
          throw new IllegalArgumentException("stars must be 1 to 5");
        })
        .blocking("/kafka-away", "kafka_away", READ, x -> {
          throw new KafkaPublisher.Unavailable("no broker", null);
        })
        .blocking("/broken", "broken", READ, x -> {
          throw new IllegalStateException("a bug");
        })
        .upload("/upload", "upload", POST, x -> x.json(200, Thread.currentThread().getName() + " " + x.body()))
        .blocking("/", "other", EdgeRoutes.Methods.ANY, EdgeRoutes::notFound));
    server.start();
    url = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    blocking.shutdownNow();
    uploads.close();
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + path)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void letsJettyAnswerOnTheThreadThatReadTheRequest() {
    assertThat(server.getInvocationType()).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
  }

  @Test
  void answersInPlaceRoutesOnJettysThreadAndTheOthersOnTheBlockingExecutor() throws Exception {
    assertThat(send("GET", "/in-place/eu").body()).startsWith("\"" + JETTY_THREADS);
    assertThat(send("GET", "/blocking").body()).isEqualTo("\"" + BLOCKING_THREADS + "\"");
  }

  @Test
  void answersOnlyThePathsUnderAPrefixRoute() throws Exception {
    HttpResponse<String> bare = send("GET", "/in-place");
    assertThat(bare.statusCode()).isEqualTo(404);
    assertThat(bare.body()).isEqualTo("{\"error\":\"no such resource: /in-place\"}");
  }

  @Test
  void refusesPathsThatAreNotCanonicalBeforeRouting() throws Exception {
    for (String path : List.of("/in-place/x/../eu", "/other/../in-place/eu", "/in-place//eu", "/in-place/./eu",
        "//in-place/eu", "/in-place/eu/.")) {
      HttpResponse<String> response = send("GET", path);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(response.body()).as(path).contains("canonical");
    }
    assertThat(EdgeRoutes.canonical("/")).isTrue();
    assertThat(EdgeRoutes.canonical("/v1/titles/")).isTrue();
  }

  @Test
  void readsAnUploadWholeThenAnswersItOnTheUploadsPool() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/upload"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("\"edge-uploads-").endsWith(" hello\"");
  }

  @Test
  void answersASlowBodyWith408AndAnOversizedOneWith400() throws Exception {
    try (SlowBody slow = SlowBody.open(url, "/upload", 500)) {
      slow.send("{");
      String answer = slow.answer();
      assertThat(answer).startsWith("HTTP/1.1 408").contains("Connection: close").contains("not received within 3 s");
    }
    HttpResponse<String> large = http.send(HttpRequest.newBuilder(URI.create(url + "/upload"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("x".repeat(1001))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(large.statusCode()).isEqualTo(400);
    assertThat(large.body()).contains("body too large");
  }

  @Test
  void cutsABodySlowerThanTheMinimumRateOnceTheGraceIsOver() {
    try (Uploads rated = new Uploads(new Uploads.Limits(100, 2, Duration.ofSeconds(10), 100, 1000))) {
      long second = 1_000_000_000L;
      assertThat(rated.tooSlow(second, 0)).as("within the grace").isEmpty();
      assertThat(rated.tooSlow(3 * second, 300)).as("at the rate").isEmpty();
      assertThat(rated.tooSlow(3 * second, 299)).get().extracting(Uploads.Refused::status, Uploads.Refused::getMessage)
          .containsExactly(408, "request body arrived slower than 100 bytes/s");
      assertThat(rated.tooSlow(10 * second, 1000)).get().extracting(Uploads.Refused::getMessage)
          .isEqualTo("request body not received within 10 s");
    }
  }

  @Test
  void limitsUploadsInProgressPerClient() throws Exception {
    try (SlowBody first = SlowBody.open(url, "/upload", 100); SlowBody second = SlowBody.open(url, "/upload", 100)) {
      // The server takes a body once it has read the request's headers: wait until both are taken.
      await().atMost(Duration.ofSeconds(5)).until(() -> uploads.inProgress() == 2);
      HttpResponse<String> third = http.send(HttpRequest.newBuilder(URI.create(url + "/upload"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("Retry-After")).isPresent();
      assertThat(third.body()).contains("at most 2 uploads at once per client");
      first.send("x".repeat(100));
      assertThat(first.answer()).startsWith("HTTP/1.1 200");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> uploads.inProgress() == 0);
  }

  @Test
  void answersBadInputWith400AndKafkaAwayWith503AndRetryAfter() throws Exception {
    HttpResponse<String> bad = send("POST", "/bad-input");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("{\"error\":\"stars must be 1 to 5\"}");
    HttpResponse<String> away = send("GET", "/kafka-away");
    assertThat(away.statusCode()).isEqualTo(503);
    assertThat(away.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(away.body()).contains("event store unavailable, retry later: no broker");
    HttpResponse<String> broken = send("GET", "/broken");
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(broken.body()).isEqualTo("{\"error\":\"internal error\"}");
  }

  @Test
  void refusesOtherMethodsNamingTheAllowedOnes() throws Exception {
    HttpResponse<String> response = send("DELETE", "/blocking");
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(response.body()).contains("method DELETE not allowed here; use GET, HEAD");
  }

  @Test
  void answersPreflightAndCorsOnEveryPath() throws Exception {
    HttpResponse<String> preflight = send("OPTIONS", "/bad-input");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValueSatisfying(v -> assertThat(v).contains("Range", "CMCD-Request", "CMCD-Session"));
    HttpResponse<String> unknown = send("GET", "/nowhere");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(unknown.body()).isEqualTo("{\"error\":\"no such resource: /nowhere\"}");
    HttpResponse<String> fromPlayer = http.send(HttpRequest.newBuilder(URI.create(url + "/nowhere"))
        .header("Origin", PLAYER).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(fromPlayer.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PLAYER);
    assertThat(fromPlayer.headers().firstValue("Vary")).hasValue("Origin");
  }

  @Test
  void refusesUploadsFromOtherOriginsAndBodiesThatAreNotJson() throws Exception {
    HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(URI.create(url + "/upload"))
        .header("Origin", "https://attacker.example").header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(url + "/upload"))
        .header("Origin", PLAYER).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("a=b")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(415);
    HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(url + "/upload"))
        .header("Origin", PLAYER).header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(json.statusCode()).isEqualTo(200);
  }

  @Test
  void countsRequestsUnderTheirRouteAndStatus() throws Exception {
    send("POST", "/bad-input");
    send("OPTIONS", "/blocking");
    send("GET", "/nowhere");
    // A request is counted once its answer is on its way, so the client may see the answer first.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(new String(metrics.scrape(), UTF_8))
        .contains("edge_requests_total{route=\"bad_input\",status=\"400\"}")
        .contains("edge_requests_total{route=\"preflight\",status=\"204\"}")
        .contains("edge_requests_total{route=\"other\",status=\"404\"}"));
  }
}
