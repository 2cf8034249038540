package io.caudal.edge.steer;

import io.caudal.schemas.SteeringDecision;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The latest steering decision per region, as read from qoe.steering (last in the log wins). */
public final class SteeringBook {

  private final ConcurrentMap<String, SteeringDecision> latest = new ConcurrentHashMap<>();

  public void put(SteeringDecision decision) {
    latest.put(decision.getRegion(), decision);
  }

  public Optional<SteeringDecision> latest(String region) {
    return Optional.ofNullable(latest.get(region));
  }
}
