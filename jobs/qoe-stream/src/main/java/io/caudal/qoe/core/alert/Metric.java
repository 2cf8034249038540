package io.caudal.qoe.core.alert;

/** The metrics anomaly detection watches, by their qoe_minute field name, with the direction that is bad. */
public enum Metric {
  VSF_PCT("vsfPct", true, true, 1.0),
  EBVS_PCT("ebvsPct", true, true, 1.0),
  REBUFFERING_RATIO("rebufferingRatio", false, true, 0.005),
  AVG_BITRATE_KBPS("avgBitrateKbps", false, false, 100.0),
  EXPERIENCE_SCORE("experienceScore", false, false, 2.0);

  private final String field;
  private final boolean startMetric;
  private final boolean higherIsWorse;
  private final double minSpread;

  Metric(String field, boolean startMetric, boolean higherIsWorse, double minSpread) {
    this.field = field;
    this.startMetric = startMetric;
    this.higherIsWorse = higherIsWorse;
    this.minSpread = minSpread;
  }

  /** The qoe_minute field the metric is. */
  public String field() {
    return field;
  }

  boolean startMetric() {
    return startMetric;
  }

  public boolean higherIsWorse() {
    return higherIsWorse;
  }

  /**
   * The floor on the baseline's spread: a slice whose history is flat (no failures for hours)
   * would otherwise page on its first failure. One percentage point of failures, half a percent
   * of time stalled, 100 kbit/s, two points of score.
   */
  public double minSpread() {
    return minSpread;
  }

  public static Metric byField(String field) {
    for (Metric m : values()) {
      if (m.field.equals(field)) {
        return m;
      }
    }
    throw new IllegalArgumentException("no anomaly metric '" + field + "'");
  }
}
