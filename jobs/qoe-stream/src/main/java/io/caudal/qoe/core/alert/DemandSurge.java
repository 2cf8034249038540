package io.caudal.qoe.core.alert;

/**
 * A title turning hot in a region, judged on counts: the attempts its viewers made in the last two
 * minutes against what its own history, pooled with the region's average title, predicts, as a
 * Poisson tail; raised only while those viewers are served far below the region's bitrate, so a
 * surge served well pages nobody. Counts rather than rates because a title's cohort is a handful
 * of viewers: a rate of three attempts out of a usual tenth of one has no spread to judge by.
 */
public final class DemandSurge {
  /**
   * The tail probability under which a window's attempts are a surge. Loose on its own (a region's
   * few dozen titles burst this much a few times an hour by chance); what pages is a surge whose
   * viewers are served poorly at the same time, and a popular title turning hot only triples.
   */
  public static final double SURGE_P = 1e-3;
  /**
   * The share of the region's bitrate level under which a title's viewers are served poorly: a
   * title sent from another region gets about a quarter; an ISP's congestion moves a title's
   * viewers on that ISP only, a third of them.
   */
  public static final double POOR_SHARE = 0.4;
  /** How many minutes' weight the region's average title gets in a title's expected rate. */
  public static final double PRIOR_MINUTES = 30;

  private DemandSurge() {}

  /**
   * A title's expected attempts a minute: its own mean over {@code ownMinutes} minutes, shrunk
   * towards the region's mean per title ({@code regionPerTitle}) as if that were
   * {@link #PRIOR_MINUTES} more minutes of history.
   */
  public static double expectedPerMinute(double ownSum, int ownMinutes, double regionPerTitle) {
    return (ownSum + PRIOR_MINUTES * regionPerTitle) / (ownMinutes + PRIOR_MINUTES);
  }

  /** P(X ≥ k) for X Poisson with mean {@code mean}. */
  public static double upperTail(long k, double mean) {
    if (k <= 0) {
      return 1.0;
    }
    if (mean <= 0) {
      return 0.0;
    }
    if (k <= mean) {
      // At or under the mean: one minus the lower tail, whose terms are all of a size.
      double lower = 0;
      double logTerm = -mean;
      for (long i = 0; i < k; i++) {
        lower += Math.exp(logTerm);
        logTerm += Math.log(mean) - Math.log(i + 1);
      }
      return Math.max(0.0, 1.0 - lower);
    }
    // Sum from k upwards: the terms fall fast once past the mean, and nothing cancels.
    double logTerm = -mean + k * Math.log(mean) - logFactorial(k);
    double sum = 0;
    for (long i = k; i < k + 200; i++) {
      double term = Math.exp(logTerm);
      sum += term;
      if (i > mean && term < sum * 1e-12) {
        break;
      }
      logTerm += Math.log(mean) - Math.log(i + 1);
    }
    return Math.min(1.0, sum);
  }

  private static double logFactorial(long n) {
    double sum = 0;
    for (long i = 2; i <= n; i++) {
      sum += Math.log(i);
    }
    return sum;
  }
}
