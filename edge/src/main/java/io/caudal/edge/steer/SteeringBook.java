package io.caudal.edge.steer;

import io.caudal.schemas.SteeringDecision;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The latest steering decision per region, as read from qoe.steering. The topic is at-least-once:
 * a decision may come twice, or an older one again after the job restarts, so the highest version
 * wins (decisions from before versions, version 0, by their event time).
 */
public final class SteeringBook {

  private final ConcurrentMap<String, SteeringDecision> latest = new ConcurrentHashMap<>();

  /** Keeps the decision when it is newer than the region's; whether it was kept. */
  public boolean put(SteeringDecision decision) {
    boolean[] kept = {false};
    latest.compute(decision.getRegion(), (region, held) -> {
      kept[0] = held == null || isNewer(decision, held);
      return kept[0] ? decision : held;
    });
    return kept[0];
  }

  static boolean isNewer(SteeringDecision incoming, SteeringDecision held) {
    return incoming.getVersion() != 0 && held.getVersion() != 0 ? incoming.getVersion() > held.getVersion()
        : incoming.getEventTime() > held.getEventTime();
  }

  public Optional<SteeringDecision> latest(String region) {
    return Optional.ofNullable(latest.get(region));
  }
}
