package io.caudal.sim.model;

/**
 * The states of an ISP's access network in a region, each with typical figures for a viewer on
 * it: mean throughput, packet loss and jitter, and round-trip time.
 */
public enum NetworkState {
  GOOD(12_000, 0.001, 4, 30),
  FAIR(4_000, 0.01, 15, 60),
  POOR(1_000, 0.04, 50, 150);

  private final double meanKbps;
  private final double loss;
  private final double jitterMs;
  private final double rttMs;

  NetworkState(double meanKbps, double loss, double jitterMs, double rttMs) {
    this.meanKbps = meanKbps;
    this.loss = loss;
    this.jitterMs = jitterMs;
    this.rttMs = rttMs;
  }

  public double meanKbps() {
    return meanKbps;
  }

  public double loss() {
    return loss;
  }

  public double jitterMs() {
    return jitterMs;
  }

  public double rttMs() {
    return rttMs;
  }
}
