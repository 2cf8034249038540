package io.caudal.sim.model;

import java.util.Random;

/**
 * One ISP's network in one region as a Markov chain over {@link NetworkState}s, stepped once a
 * tick. Mostly GOOD, sometimes FAIR, rarely POOR; a degraded link (a fault) stays POOR.
 */
public final class IspLink {
  /** Per-second chance of leaving a state: congestion episodes last tens of seconds to minutes. */
  static final double LEAVE_GOOD_PER_S = 0.004;
  static final double LEAVE_FAIR_PER_S = 0.02;
  static final double LEAVE_POOR_PER_S = 0.05;

  private final String region;
  private final String isp;
  private NetworkState state = NetworkState.GOOD;
  private boolean degraded;

  public IspLink(String region, String isp) {
    this.region = region;
    this.isp = isp;
  }

  public String region() {
    return region;
  }

  public String isp() {
    return isp;
  }

  public NetworkState state() {
    return state;
  }

  public boolean degraded() {
    return degraded;
  }

  /** From now on the link stays POOR (fault isp-degrade). */
  public void degrade() {
    degraded = true;
    state = NetworkState.POOR;
  }

  /** The fault is over: the chain moves again from POOR. */
  public void restore() {
    degraded = false;
  }

  /** Moves the chain {@code tickMs} forward. */
  public void step(long tickMs, Random random) {
    if (degraded) {
      state = NetworkState.POOR;
      return;
    }
    double seconds = tickMs / 1000.0;
    switch (state) {
      case GOOD -> {
        if (random.nextDouble() < LEAVE_GOOD_PER_S * seconds) {
          state = random.nextDouble() < 0.8 ? NetworkState.FAIR : NetworkState.POOR;
        }
      }
      case FAIR -> {
        if (random.nextDouble() < LEAVE_FAIR_PER_S * seconds) {
          state = random.nextDouble() < 0.8 ? NetworkState.GOOD : NetworkState.POOR;
        }
      }
      case POOR -> {
        if (random.nextDouble() < LEAVE_POOR_PER_S * seconds) {
          state = NetworkState.FAIR;
        }
      }
    }
  }
}
