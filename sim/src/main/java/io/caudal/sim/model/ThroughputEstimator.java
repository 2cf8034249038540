package io.caudal.sim.model;

/**
 * Estimates throughput the way hls.js does (EwmaBandWidthEstimator): a fast and a slow
 * exponentially weighted moving average over download samples, weighted by sample duration, and
 * the lower of the two as the estimate, so a drop is believed quickly and a rise slowly.
 */
public final class ThroughputEstimator {
  /** hls.js's abrEwmaFastVoD. */
  public static final double FAST_HALF_LIFE_S = 3.0;
  /** hls.js's abrEwmaSlowVoD. */
  public static final double SLOW_HALF_LIFE_S = 9.0;
  /** hls.js's abrEwmaDefaultEstimate (500 kbps) until the first sample. */
  public static final double DEFAULT_ESTIMATE_KBPS = 500;

  private final Ewma fast = new Ewma(FAST_HALF_LIFE_S);
  private final Ewma slow = new Ewma(SLOW_HALF_LIFE_S);

  /** Adds a download sample: {@code kbps} measured over {@code durationMs}. */
  public void sample(long durationMs, double kbps) {
    if (durationMs <= 0 || kbps < 0) {
      throw new IllegalArgumentException("a sample needs a positive duration and non-negative kbps, got "
          + durationMs + " ms and " + kbps + " kbps");
    }
    double seconds = durationMs / 1000.0;
    fast.add(seconds, kbps);
    slow.add(seconds, kbps);
  }

  public double estimateKbps() {
    if (fast.totalWeight == 0) {
      return DEFAULT_ESTIMATE_KBPS;
    }
    return Math.min(fast.value(), slow.value());
  }

  /** One EWMA with zero-bias correction, as in hls.js's Ewma. */
  private static final class Ewma {
    private final double alpha;
    private double estimate;
    private double totalWeight;

    Ewma(double halfLifeSeconds) {
      this.alpha = Math.exp(Math.log(0.5) / halfLifeSeconds);
    }

    void add(double weight, double value) {
      double adjusted = Math.pow(alpha, weight);
      estimate = value * (1 - adjusted) + adjusted * estimate;
      totalWeight += weight;
    }

    double value() {
      return estimate / (1 - Math.pow(alpha, totalWeight));
    }
  }
}
