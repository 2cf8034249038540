package io.caudal.sim.model;

import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.SteeringDecision;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The latest qoe.steering decision of each region, as the players of that region see it, and the
 * server a player picks from it: the first server of the pathway priority that is not excluded
 * and holds the player's title.
 */
public final class SteeringView {
  private final Map<String, SteeringDecision> latestByRegion = new HashMap<>();

  /**
   * Keeps {@code decision} unless the region already has it or a later one (the higher version;
   * decisions from before versions by event time); true when kept. qoe.steering is at-least-once,
   * so the same decision may come twice.
   */
  public boolean apply(SteeringDecision decision) {
    SteeringDecision current = latestByRegion.get(decision.getRegion());
    if (current != null && !(decision.getVersion() != 0 && current.getVersion() != 0
        ? decision.getVersion() > current.getVersion() : decision.getEventTime() >= current.getEventTime())) {
      return false;
    }
    latestByRegion.put(decision.getRegion(), decision);
    return true;
  }

  public boolean hasDecision(String region) {
    return latestByRegion.containsKey(region);
  }

  public Optional<SteeringDecision> latest(String region) {
    return Optional.ofNullable(latestByRegion.get(region));
  }

  /**
   * Whether a session already on {@code serverId} in {@code region} may stay there: yes unless
   * the latest decision drops the server from the pathway priority or excludes it as unhealthy.
   * A server excluded for load (CPU, memory) or QoE only takes no new sessions, as the thesis's
   * locator only placed arriving clients.
   */
  public boolean keeps(String region, String serverId) {
    SteeringDecision decision = latestByRegion.get(region);
    if (decision == null) {
      return true;
    }
    boolean unhealthy = decision.getExcluded().stream()
        .anyMatch(e -> e.getServerId().equals(serverId) && e.getReason().startsWith("unhealthy"));
    return decision.getPathwayPriority().contains(serverId) && !unhealthy;
  }

  /**
   * The server a player of {@code region} watching {@code titleId} should use: empty when the
   * region has no decision yet, or no server of it is usable (all excluded, or none holds the
   * title). {@code servers} looks a server up by id (empty for one the simulation does not know).
   */
  public Optional<MediaServer> serverFor(String region, String titleId,
      Function<String, Optional<MediaServer>> servers) {
    SteeringDecision decision = latestByRegion.get(region);
    if (decision == null) {
      return Optional.empty();
    }
    Set<String> excluded = decision.getExcluded().stream()
        .map(ExcludedServer::getServerId).collect(Collectors.toSet());
    for (String serverId : decision.getPathwayPriority()) {
      if (excluded.contains(serverId)) {
        continue;
      }
      Optional<MediaServer> server = servers.apply(serverId).filter(s -> s.holds(titleId));
      if (server.isPresent()) {
        return server;
      }
    }
    return Optional.empty();
  }
}
