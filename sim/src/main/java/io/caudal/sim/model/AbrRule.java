package io.caudal.sim.model;

/**
 * Picks the rung to fetch next, like the throughput rule of dash.js and hls.js with a buffer
 * guard: the highest rung under a safety share of the estimated throughput, never above the
 * session's cap; a step down when the buffer runs low; no step up until the buffer is comfortable.
 * Like hls.js (abrBandWidthFactor 0.95 to stay, a smaller factor to move), the player keeps its
 * rung while the rung still fits under {@code stayFactor} of the estimate, so it does not flap
 * between two rungs when throughput hovers near one of them.
 *
 * @param safetyFactor share of the estimated throughput a newly chosen rung may use
 * @param stayFactor share of the estimate the current rung may use before the player steps down
 * @param lowBufferMs under this much buffer the player steps down at least one rung
 * @param upSwitchBufferMs the player steps up only with at least this much buffer
 */
public record AbrRule(double safetyFactor, double stayFactor, long lowBufferMs, long upSwitchBufferMs) {

  /** 0.8 of throughput to pick, 0.95 to stay; 8 s is two 4 s segments; 12 s leaves room for one slow segment. */
  public static final AbrRule DEFAULT = new AbrRule(0.8, 0.95, 8_000, 12_000);

  public AbrRule {
    if (!(safetyFactor > 0 && safetyFactor <= stayFactor && stayFactor <= 1)) {
      throw new IllegalArgumentException("need 0 < safetyFactor <= stayFactor <= 1, got " + safetyFactor
          + " and " + stayFactor);
    }
    if (lowBufferMs < 0 || upSwitchBufferMs < lowBufferMs) {
      throw new IllegalArgumentException("need 0 <= lowBufferMs <= upSwitchBufferMs, got "
          + lowBufferMs + " and " + upSwitchBufferMs);
    }
  }

  /** The first rung of a session: by throughput alone, under the cap. */
  public int firstRung(Ladder ladder, double estimateKbps, int capKbps) {
    return ladder.highestAtMost(Math.min(safetyFactor * estimateKbps, capKbps));
  }

  /**
   * The next rung for a session playing {@code currentKbps} with {@code bufferMs} ahead, an
   * estimate of {@code estimateKbps} and a cap of {@code capKbps} (the ladder's top when uncapped).
   */
  public int nextRung(Ladder ladder, int currentKbps, double estimateKbps, long bufferMs, int capKbps) {
    int allowed = ladder.highestAtMost(capKbps);
    int target = ladder.highestAtMost(Math.min(safetyFactor * estimateKbps, capKbps));
    if (bufferMs < lowBufferMs) {
      return Math.min(target, ladder.below(currentKbps));
    }
    if (currentKbps > allowed) {
      return target;
    }
    if (target < currentKbps) {
      return currentKbps <= stayFactor * estimateKbps ? currentKbps : target;
    }
    if (target > currentKbps && bufferMs < upSwitchBufferMs) {
      return currentKbps;
    }
    return target;
  }
}
