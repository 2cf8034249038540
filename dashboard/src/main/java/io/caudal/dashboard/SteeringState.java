package io.caudal.dashboard;

import io.caudal.schemas.SteeringDecision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest steering decision per region. A decision older (by version) than the one held is
 * ignored, so replaying the topic from the start, or reading partitions in any order, ends in the
 * same state.
 */
public final class SteeringState {

  private final ConcurrentHashMap<String, SteeringDecision> byRegion = new ConcurrentHashMap<>();

  /**
   * Keeps a decision when it is the region's newest: the highest version (qoe.steering is
   * at-least-once, so a decision may come twice or an older one again); decisions from before
   * versions (version 0) by their event time.
   */
  public void apply(SteeringDecision decision) {
    byRegion.merge(decision.getRegion(), decision, (held, incoming) ->
        incoming.getVersion() != 0 && held.getVersion() != 0
            ? (incoming.getVersion() > held.getVersion() ? incoming : held)
            : (incoming.getEventTime() >= held.getEventTime() ? incoming : held));
  }

  /** The latest decision of every region, by region name. */
  public List<SteeringDecision> latest() {
    List<SteeringDecision> decisions = new ArrayList<>(byRegion.values());
    decisions.sort(Comparator.comparing(SteeringDecision::getRegion));
    return decisions;
  }
}
