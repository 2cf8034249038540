package io.caudal.edge.http;

/** {@code /metrics}: this server's Prometheus metrics in the text format. */
public final class MetricsHandler {

  private final EdgeMetrics metrics;

  public MetricsHandler(EdgeMetrics metrics) {
    this.metrics = metrics;
  }

  /** {@code GET /metrics} */
  public void scrape(Exchange x) {
    x.send(200, metrics.contentType(), metrics.scrape());
  }
}
