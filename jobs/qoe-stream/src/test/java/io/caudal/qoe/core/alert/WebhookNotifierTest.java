package io.caudal.qoe.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertKind;
import io.caudal.schemas.AlertState;
import io.caudal.schemas.JsonAvroCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP receiver (the JDK's server) that fails its first attempts. */
class WebhookNotifierTest {
  private HttpServer server;
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final List<String> keys = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (failuresLeft.getAndDecrement() > 0) {
        exchange.sendResponseHeaders(503, -1);
      } else {
        keys.add(exchange.getRequestHeaders().getFirst(WebhookNotifier.IDEMPOTENCY_HEADER));
        bodies.add(new String(body, StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(204, -1);
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI hook() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  private static Alert change(AlertState state, long revision) {
    return Alert.newBuilder().setAlertId("anomaly:vsfPct:region=eu:1764000000000").setState(state)
        .setRevision(revision).setKind(AlertKind.ANOMALY).setRuleId(null).setMetric("vsfPct").setDimension("region")
        .setKey("eu").setRootCause(List.of()).setOnsetMinute(1_764_000_000_000L).setMinute(1_764_000_060_000L)
        .setValue(12.5).setBaseline(2.0).setThreshold(null).setScore(8.0).setAttempts(480)
        .setMessage("vsfPct of region eu is 12.5").build();
  }

  @Test
  void deliversEachChangeOnceThroughAReceiverThatFailsItsFirstAttempts() throws Exception {
    WebhookNotifier notifier = new WebhookNotifier(hook(), 5, Duration.ofMillis(10));
    failuresLeft.set(3);

    assertThat(notifier.deliver(change(AlertState.OPEN, 1))).isTrue();
    assertThat(notifier.deliver(change(AlertState.OPEN, 1))).isTrue(); // a retry after success: not resent
    failuresLeft.set(1);
    assertThat(notifier.deliver(change(AlertState.RESOLVED, 2))).isTrue();

    assertThat(keys).containsExactly("anomaly:vsfPct:region=eu:1764000000000/1",
        "anomaly:vsfPct:region=eu:1764000000000/2");
    assertThat(JsonAvroCodec.fromJson(bodies.get(0), Alert.class)).isEqualTo(change(AlertState.OPEN, 1));
  }

  @Test
  void givesUpAfterItsLastAttemptAndSaysSo() throws Exception {
    WebhookNotifier notifier = new WebhookNotifier(hook(), 2, Duration.ofMillis(10));
    failuresLeft.set(5);

    assertThat(notifier.deliver(change(AlertState.OPEN, 1))).isFalse();
    assertThat(keys).isEmpty();
    assertThat(failuresLeft.get()).isEqualTo(3); // two attempts made
  }
}
