package io.caudal.sim.model;

/**
 * How a media server's CPU and memory rise with the sessions it serves and its egress:
 * CPU = base + perSession × sessions + egressWeight × egress ÷ capacity, memory =
 * base + perSession × sessions (each session holds buffers and a TLS context), both capped at 1.
 *
 * <p>The defaults put a server at the thesis locator's 75 % CPU with about 22 sessions of a few
 * Mbit/s each, the scale of the thesis's machines.
 */
public record ServerLoadModel(double cpuBase, double cpuPerSession, double cpuEgressWeight,
    double memBase, double memPerSession) {

  public static final ServerLoadModel DEFAULT = new ServerLoadModel(0.05, 0.03, 0.5, 0.20, 0.02);

  public ServerLoadModel {
    for (double v : new double[] {cpuBase, cpuPerSession, cpuEgressWeight, memBase, memPerSession}) {
      if (!(v >= 0)) {
        throw new IllegalArgumentException("load model terms must be non-negative, got " + v);
      }
    }
  }

  public double cpu(int sessions, double egressMbps, double capacityMbps) {
    return Math.min(1, cpuDemand(sessions, egressMbps, capacityMbps));
  }

  /** What the sessions ask of the CPU, which may exceed 1 (the server then falls behind). */
  public double cpuDemand(int sessions, double egressMbps, double capacityMbps) {
    return cpuBase + cpuPerSession * sessions + cpuEgressWeight * egressMbps / capacityMbps;
  }

  public double mem(int sessions) {
    return Math.min(1, memBase + memPerSession * sessions);
  }
}
