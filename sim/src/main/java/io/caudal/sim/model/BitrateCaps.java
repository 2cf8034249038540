package io.caudal.sim.model;

import io.caudal.schemas.BitrateDecision;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The latest qoe.bitrate cap of each session. A later decision replaces an earlier one, so a cap
 * at or above the ladder's top (reason {@code lifted}) lifts it; an older decision arriving late
 * is ignored.
 */
public final class BitrateCaps {
  private final Map<String, BitrateDecision> latestBySession = new HashMap<>();

  /**
   * Keeps {@code decision} unless the session already has it or a later one (the higher version;
   * decisions from before versions by event time); true when kept. qoe.bitrate is at-least-once,
   * so the same decision may come twice.
   */
  public boolean apply(BitrateDecision decision) {
    if (decision.getMaxBitrateKbps() <= 0) {
      throw new IllegalArgumentException("session " + decision.getSessionId()
          + ": maxBitrateKbps must be positive, got " + decision.getMaxBitrateKbps());
    }
    BitrateDecision current = latestBySession.get(decision.getSessionId());
    if (current != null && !(decision.getVersion() != 0 && current.getVersion() != 0
        ? decision.getVersion() > current.getVersion() : decision.getEventTime() >= current.getEventTime())) {
      return false;
    }
    latestBySession.put(decision.getSessionId(), decision);
    return true;
  }

  /** The session's cap in kbit/s, if it has one. */
  public OptionalInt capOf(String sessionId) {
    BitrateDecision decision = latestBySession.get(sessionId);
    return decision == null ? OptionalInt.empty() : OptionalInt.of(decision.getMaxBitrateKbps());
  }

  /** Forgets a finished session. */
  public void forget(String sessionId) {
    latestBySession.remove(sessionId);
  }
}
