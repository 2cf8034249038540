package io.caudal.qoe.core.alert;

import io.caudal.schemas.Alert;
import io.caudal.schemas.JsonAvroCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each alert state change to a receiver as JSON ({@link JsonAvroCodec#toJson}), with the
 * idempotency key {@code alertId/revision} in the {@value #IDEMPOTENCY_HEADER} header. A failed
 * attempt (an exception or a non-2xx answer) is retried with exponential backoff; a change
 * delivered once is remembered and not sent again, so a retry of a later step never resends it.
 * A receiver that still fails after the last attempt misses that change (logged): alerts are
 * also in {@code qoe.alerts} and the {@code alerts} table.
 */
public final class WebhookNotifier {
  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
  /** How many delivered keys are remembered (the oldest forgotten first). */
  private static final int REMEMBERED = 10_000;

  private final URI receiver;
  private final int attempts;
  private final Duration firstBackoff;
  private final HttpClient client;
  private final Map<String, Boolean> delivered = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };

  /**
   * @param attempts tries per change, at least 1
   * @param firstBackoff wait after the first failure; doubled after each further one
   */
  public WebhookNotifier(URI receiver, int attempts, Duration firstBackoff) {
    if (attempts < 1) {
      throw new IllegalArgumentException("a webhook needs at least one attempt, got " + attempts);
    }
    this.receiver = receiver;
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Five attempts over about 15 s (1, 2, 4, 8 s between them). */
  public static WebhookNotifier withDefaults(URI receiver) {
    return new WebhookNotifier(receiver, 5, Duration.ofSeconds(1));
  }

  public static String idempotencyKey(Alert alert) {
    return alert.getAlertId() + "/" + alert.getRevision();
  }

  /** Delivers the change unless it was delivered before; whether the receiver has it now. */
  public boolean deliver(Alert alert) throws InterruptedException {
    String key = idempotencyKey(alert);
    if (delivered.containsKey(key)) {
      return true;
    }
    HttpRequest request = HttpRequest.newBuilder(receiver)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header(IDEMPOTENCY_HEADER, key)
        .POST(HttpRequest.BodyPublishers.ofString(JsonAvroCodec.toJson(alert)))
        .build();
    long backoff = firstBackoff.toMillis();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      String failure;
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 == 2) {
          delivered.put(key, Boolean.TRUE);
          return true;
        }
        failure = "HTTP " + response.statusCode();
      } catch (IOException e) {
        failure = e.toString();
      }
      if (attempt == attempts) {
        LOG.warn("alert {} not delivered to {} after {} attempts: {}", key, receiver, attempts, failure);
        break;
      }
      LOG.info("alert {} to {}: attempt {} failed ({}), retrying in {} ms", key, receiver, attempt, failure, backoff);
      Thread.sleep(backoff);
      backoff *= 2;
    }
    return false;
  }

  public URI receiver() {
    return receiver;
  }
}
