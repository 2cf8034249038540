package io.caudal.edge.licence;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.edge.http.Exchange;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code POST /t/<token>/licence/clearkey}: the ClearKey licence server. The credential is the
 * playback token in the path, the one the manifests' URLs carry; it is checked before the body is
 * read ({@link #grant}), so a request without a valid grant costs no upload slot. Answers are never
 * cached, and a key never reaches a log: only the outcome is counted.
 *
 * <p>Metrics: {@code edge_licences_served_total}, {@code edge_licence_refusals_total{reason}} (the
 * {@link Refusal} labels), {@code edge_licence_duration_seconds} and {@code
 * edge_licence_key_reads_total{scope}} (reads of one title's key file, or of the whole folder).
 */
public final class LicenceEndpoint {

  /** The path after {@code /t/<token>}. */
  public static final String PATH = "/licence/clearkey";

  private final TokenSigner signer;
  private final ClearKeyLicences licences;
  /** Why no licence can be given at all (no master key), else null. */
  private final String unavailable;
  private final Counter served;
  private final Counter refused;
  private final Histogram latency;

  private LicenceEndpoint(TokenSigner signer, ClearKeyLicences licences, String unavailable, PrometheusRegistry registry,
      ContentKeyIndex keys) {
    this.signer = signer;
    this.licences = licences;
    this.unavailable = unavailable;
    served = Counter.builder().name("edge_licences_served_total")
        .help("ClearKey licences given").register(registry);
    refused = Counter.builder().name("edge_licence_refusals_total")
        .help("ClearKey licence requests refused, by reason").labelNames("reason").register(registry);
    for (Refusal reason : Refusal.values()) {
      refused.labelValues(reason.label());
    }
    latency = Histogram.builder().name("edge_licence_duration_seconds")
        .help("Time to decide a licence request once its body is read").classicOnly()
        .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
        .register(registry);
    CounterWithCallback.builder().name("edge_licence_key_reads_total")
        .help("Reads of the key store for key ids not in memory: one title's file, or the whole folder")
        .labelNames("scope")
        .callback(callback -> {
          callback.call(keys == null ? 0 : keys.titleReads(), "title");
          callback.call(keys == null ? 0 : keys.folderScans(), "all");
        })
        .register(registry);
  }

  /** The licence server over these keys. */
  public static LicenceEndpoint serving(TokenSigner signer, ContentKeyIndex keys, PrometheusRegistry registry) {
    return new LicenceEndpoint(signer, new ClearKeyLicences(keys), null, registry, keys);
  }

  /** A server without keys to give: every request with a valid grant is answered 503 with {@code why}. */
  public static LicenceEndpoint unavailable(TokenSigner signer, String why, PrometheusRegistry registry) {
    return new LicenceEndpoint(signer, null, why, registry, null);
  }

  /**
   * The grant of {@code /t/<token>/licence/clearkey}, checked before the body is read; when it does not
   * verify, the 403 naming why is sent and the answer is empty.
   */
  public Optional<PlaybackToken> grant(Exchange x) {
    String path = x.path();
    String token = path.substring("/t/".length(), path.length() - PATH.length());
    try {
      return Optional.of(signer.verify(token, System.currentTimeMillis() / 1000));
    } catch (TokenSigner.TokenException e) {
      Refusal reason = e.getMessage().contains("expired") ? Refusal.EXPIRED : Refusal.INVALID_TOKEN;
      // Refused before its body is read: the connection closes rather than read what nobody will use.
      x.header(HttpHeader.CONNECTION.asString(), "close");
      refuse(x, new Refusal.Refused(reason, e.getMessage()));
      return Optional.empty();
    }
  }

  /** Answers a request whose grant {@link #grant} accepted, once its body is read. */
  public void answer(Exchange x) throws IOException {
    long start = System.nanoTime();
    x.header("Cache-Control", "no-store");
    if (unavailable != null) {
      refuse(x, new Refusal.Refused(Refusal.UNAVAILABLE, unavailable));
      return;
    }
    try {
      Map<String, Object> licence = licences.licence(x.grant(), x.body().getBytes(StandardCharsets.UTF_8));
      x.json(200, licence);
      served.inc();
    } catch (Refusal.Refused r) {
      refuse(x, r);
    } finally {
      latency.observe((System.nanoTime() - start) / 1e9);
    }
  }

  private void refuse(Exchange x, Refusal.Refused refusal) {
    refused.labelValues(refusal.reason().label()).inc();
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", refusal.getMessage());
    body.put("reason", refusal.reason().label());
    x.json(refusal.reason().status(), body);
  }
}
