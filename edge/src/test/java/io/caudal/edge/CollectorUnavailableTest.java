package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.testing.IntegrationTest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The collector while Kafka is unreachable: 503 with Retry-After, never a silent 202. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class CollectorUnavailableTest {

  static final byte[] SECRET = "a-test-secret-of-enough-length".getBytes(StandardCharsets.UTF_8);
  @TempDir static Path root;
  EdgeServer edge;

  @BeforeAll
  void start() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    edge = EdgeServer.start(EdgeOptions.defaults(root.toUri().toString(), "127.0.0.1:" + closedPort,
            SECRET)
        .withKafkaTimeout(Duration.ofSeconds(2)));
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
  }

  @Test
  void answers503WithRetryAfterWhileKafkaIsUnreachable() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(edge.url() + "/v1/events"))
            .POST(HttpRequest.BodyPublishers.ofString(EdgeApiTest.heartbeatJson("e1", "s1")))
            .header("Content-Type", "application/json").header("Authorization", "Bearer " + new TokenSigner(SECRET)
                .sign(PlaybackToken.forTitle("u1", "t-0001", System.currentTimeMillis() / 1000 + 600))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(response.body()).contains("unavailable");
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(edge.url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("edge_kafka_produce_errors_total{topic=\"player.heartbeat\"}");
  }
}
