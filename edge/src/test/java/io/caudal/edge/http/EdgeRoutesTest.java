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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  final EdgeMetrics metrics = new EdgeMetrics();
  final ExecutorService blocking = Executors.newSingleThreadExecutor(r -> new Thread(r, BLOCKING_THREADS));
  final HttpClient http = HttpClient.newHttpClient();
  Server server;
  String url;

  @BeforeAll
  void start() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 4);
    threads.setName(JETTY_THREADS);
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new EdgeRoutes(metrics, blocking)
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
        .blocking("/", "other", EdgeRoutes.Methods.ANY, EdgeRoutes::notFound));
    server.start();
    url = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    blocking.shutdownNow();
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
    assertThat(send("GET", "/in-place/x/../eu").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/other/../in-place/eu").statusCode()).isEqualTo(404);
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
    assertThat(broken.body()).contains("internal error").contains("a bug");
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
    assertThat(unknown.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(unknown.body()).isEqualTo("{\"error\":\"no such resource: /nowhere\"}");
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
