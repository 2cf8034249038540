package io.caudal.edge.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.DoubleSupplier;

/** The Prometheus metrics of one edge server, in its own registry (two servers may share a JVM in tests). */
public final class EdgeMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private final Counter requests = Counter.builder().name("edge_requests_total")
      .help("HTTP requests answered, by route and status").labelNames("route", "status").register(registry);
  private final Histogram latency = Histogram.builder().name("edge_request_duration_seconds")
      .help("Time to answer an HTTP request, by route").labelNames("route").classicOnly()
      .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
      .register(registry);
  private final Histogram reportedThroughput = Histogram.builder().name("edge_steering_reported_throughput_bits_per_second")
      .help("Throughput players report with their steering requests (_HLS_throughput, _DASH_throughput)").classicOnly()
      .classicUpperBounds(5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8).register(registry);
  private final Counter bytesOut = Counter.builder().name("edge_bytes_out_total")
      .help("Response body bytes sent, by route").labelNames("route").register(registry);
  private final Counter cacheHits = Counter.builder().name("edge_cache_hits_total")
      .help("Origin files served from the in-memory segment cache").register(registry);
  private final Counter cacheMisses = Counter.builder().name("edge_cache_misses_total")
      .help("Origin files read through Hadoop's FileSystem").register(registry);
  private final Counter segments = Counter.builder().name("edge_segments_served_total")
      .help("Media segments (.m4s) answered with 200 or 206").register(registry);
  private final Counter produceErrors = Counter.builder().name("edge_kafka_produce_errors_total")
      .help("Records Kafka did not acknowledge, by topic").labelNames("topic").register(registry);
  private final Counter badRecords = Counter.builder().name("edge_bad_records_total")
      .help("Records read from Kafka that could not be decoded, by topic").labelNames("topic").register(registry);
  private final Counter events = Counter.builder().name("edge_events_accepted_total")
      .help("Player events acknowledged by Kafka, by source (json, cmcd)").labelNames("source").register(registry);
  private final Counter replications = Counter.builder().name("edge_replications_total")
      .help("Replication requests carried out, by outcome").labelNames("outcome").register(registry);

  public EdgeMetrics() {
    JvmMetrics.builder().register(registry);
    // Zero rather than absent until the first error, so alerts and dashboards see the series.
    for (String topic : new String[] {"player.heartbeat", "server.health"}) {
      produceErrors.labelValues(topic);
    }
  }

  public void request(String route, int status, long nanos, long bytes) {
    requests.labelValues(route, Integer.toString(status)).inc();
    latency.labelValues(route).observe(nanos / 1e9);
    if (bytes > 0) {
      bytesOut.labelValues(route).inc(bytes);
    }
  }

  public void reportedThroughput(long bitsPerSecond) {
    reportedThroughput.observe(bitsPerSecond);
  }

  public void cache(boolean hit) {
    (hit ? cacheHits : cacheMisses).inc();
  }

  public void segmentServed() {
    segments.inc();
  }

  public void produceError(String topic) {
    produceErrors.labelValues(topic).inc();
  }

  public void produceErrors(String topic, int records) {
    produceErrors.labelValues(topic).inc(records);
  }

  public void badRecord(String topic) {
    badRecords.labelValues(topic).inc();
  }

  public void accepted(String source, int count) {
    events.labelValues(source).inc(count);
  }

  public void replication(String outcome) {
    replications.labelValues(outcome).inc();
  }

  /** A gauge read at scrape time. */
  public void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsDouble())).register(registry);
  }

  /** The registry, for the metrics a component keeps itself (the licence server's). */
  public PrometheusRegistry registry() {
    return registry;
  }

  public double bytesOutTotal() {
    return bytesOut.collect().getDataPoints().stream().mapToDouble(p -> p.getValue()).sum();
  }

  public String contentType() {
    return writer.getContentType();
  }

  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write metrics to memory", e);
    }
    return out.toByteArray();
  }
}
