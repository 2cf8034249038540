package io.caudal.sim.model;

import java.util.Random;

/**
 * One viewer's network path: the ISP link's state scaled by the viewer's own factor, a
 * mean-reverting random walk in log space (home Wi-Fi, cross traffic), now and then a dropout
 * (a Wi-Fi handover, a microwave oven: a few seconds at a trickle), and the serving server's own
 * share when it is unhealthy.
 */
public final class PlayerPath {
  /** How far the viewer's own factor wanders per tick, in log space. */
  static final double WALK_SIGMA = 0.03;
  /** Pull back toward the viewer's typical factor per tick. */
  static final double MEAN_REVERSION = 0.1;
  /** Chance per sample of a dropout starting. */
  static final double DROPOUT_CHANCE = 0.002;
  /** Share of the throughput left during a dropout: less than the lowest rung needs. */
  static final double DROPOUT_SHARE = 0.003;
  /** Dropouts last a few seconds, and now and then a minute or more (a train in a tunnel). */
  static final double DROPOUT_MEAN_EXTRA_S = 12;
  static final int DROPOUT_MAX_S = 90;

  private final IspLink link;
  private final double typicalLogFactor;
  private double logFactor;
  private int dropoutSamplesLeft;

  /** A path on {@code link} whose typical share of the link's mean is {@code typicalFactor}. */
  public PlayerPath(IspLink link, double typicalFactor) {
    if (!(typicalFactor > 0)) {
      throw new IllegalArgumentException("typicalFactor must be positive, got " + typicalFactor);
    }
    this.link = link;
    this.typicalLogFactor = Math.log(typicalFactor);
    this.logFactor = typicalLogFactor;
  }

  public IspLink link() {
    return link;
  }

  /**
   * Steps the walk and samples the path; {@code serverShare} (0–1] scales throughput when the
   * serving server cannot keep up (1 for a healthy server).
   */
  public NetworkSample sample(Random random, double serverShare) {
    logFactor += MEAN_REVERSION * (typicalLogFactor - logFactor) + WALK_SIGMA * random.nextGaussian();
    if (dropoutSamplesLeft > 0) {
      dropoutSamplesLeft--;
    } else if (random.nextDouble() < DROPOUT_CHANCE) {
      dropoutSamplesLeft = (int) Math.min(DROPOUT_MAX_S, 3 - DROPOUT_MEAN_EXTRA_S * Math.log(1 - random.nextDouble()));
    }
    NetworkState state = link.state();
    double dropout = dropoutSamplesLeft > 0 ? DROPOUT_SHARE : 1;
    double throughput = state.meanKbps() * Math.exp(logFactor) * serverShare * dropout;
    double loss = Math.min(1, state.loss() * (0.5 + random.nextDouble()) / Math.max(serverShare, 0.05));
    double jitter = state.jitterMs() * (0.5 + random.nextDouble());
    double rtt = state.rttMs() * (0.8 + 0.4 * random.nextDouble());
    return new NetworkSample(Math.max(throughput, 1), Math.min(loss, 1), jitter, rtt);
  }
}
