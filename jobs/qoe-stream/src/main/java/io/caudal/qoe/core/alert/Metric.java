package io.caudal.qoe.core.alert;

/** The metrics anomaly detection watches, by their qoe_minute field name, with the direction that is bad. */
public enum Metric {
  VSF_PCT("vsfPct", true, true, 1.0, 100.0),
  EBVS_PCT("ebvsPct", true, true, 1.0, 100.0),
  REBUFFERING_RATIO("rebufferingRatio", false, true, 0.002, 0.25),
  // Judged by its ratio to the level, in natural-log units: 4 spreads of 0.475 is a drop to 15 %.
  AVG_BITRATE_KBPS("avgBitrateKbps", false, false, 0.475, 0.0),
  EXPERIENCE_SCORE("experienceScore", false, false, 2.0, 30.0);

  private final String field;
  private final boolean startMetric;
  private final boolean higherIsWorse;
  private final double minSpread;
  private final double oneViewer;

  Metric(String field, boolean startMetric, boolean higherIsWorse, double minSpread, double oneViewer) {
    this.field = field;
    this.startMetric = startMetric;
    this.higherIsWorse = higherIsWorse;
    this.minSpread = minSpread;
    this.oneViewer = oneViewer;
  }

  /**
   * The least spread a minute of {@code cohort} viewers is judged with: the {@link #minSpread}
   * floor, or what one viewer's bad luck moves the metric by in a cohort that size (a failed start
   * is 100 % of one attempt; a quarter of a minute stalled, 30 points of score, 2 Mbit/s of
   * bitrate), whichever is larger. A small cohort's minute is noisy however flat its history.
   */
  public double leastSpread(long cohort) {
    return Math.max(minSpread, cohort > 0 ? oneViewer / cohort : oneViewer);
  }

  /**
   * Whether the metric is judged by its ratio to the level (log scale) rather than its distance:
   * a slice's bitrate is set by its viewers' networks and titles' ladders, so a slice at 800
   * kbit/s halving is as bad as one at 3 Mbit/s halving, and the spread is a share, not kbit/s.
   */
  public boolean relative() {
    return this == AVG_BITRATE_KBPS;
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
   * would otherwise page on its first failure. One percentage point of failures, 0.2 % of time
   * stalled, 100 kbit/s, two points of score.
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
