package io.caudal.sim.model;

/**
 * Picks the rung to fetch next, like the throughput rule of dash.js and hls.js with a buffer
 * guard: the highest rung under a safety share of the estimated throughput, never above the
 * session's cap; a step down when the buffer runs low; no step up until the buffer is comfortable.
 *
 * @param safetyFactor share of the estimated throughput a rung may use (hls.js uses 0.7–0.95)
 * @param lowBufferMs under this much buffer the player steps down at least one rung
 * @param upSwitchBufferMs the player steps up only with at least this much buffer
 */
public record AbrRule(double safetyFactor, long lowBufferMs, long upSwitchBufferMs) {

  /** 0.8 of throughput; 8 s is two 4 s segments; 12 s leaves room for one slow segment. */
  public static final AbrRule DEFAULT = new AbrRule(0.8, 8_000, 12_000);

  public AbrRule {
    if (!(safetyFactor > 0 && safetyFactor <= 1)) {
      throw new IllegalArgumentException("safetyFactor must be in (0, 1], got " + safetyFactor);
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
    if (target > currentKbps && bufferMs < upSwitchBufferMs) {
      return Math.min(currentKbps, allowed);
    }
    return target;
  }
}
