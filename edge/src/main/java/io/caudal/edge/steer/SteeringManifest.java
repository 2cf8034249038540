package io.caudal.edge.steer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.caudal.schemas.SteeringDecision;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The content-steering manifest (HLS 8216bis §7.1 and the DASH-IF equivalent, the same JSON):
 * {@code VERSION}, {@code TTL}, {@code RELOAD-URI}, {@code PATHWAY-PRIORITY}, written with Jackson.
 *
 * <p>The priority is the region's latest decision, limited to the pathways the player's manifest
 * offers (a pathway the player has no URIs for cannot be chosen). Without a decision for the region,
 * the player is told to stay where it is: the pathway it reports first, then the others it knows.
 *
 * @param version the manifest format version, always 1
 * @param ttl seconds until the player asks again
 * @param reloadUri where the player asks next
 * @param pathwayPriority pathway ids, preferred first
 */
@JsonPropertyOrder({"VERSION", "TTL", "RELOAD-URI", "PATHWAY-PRIORITY"})
public record SteeringManifest(
    @JsonProperty("VERSION") int version,
    @JsonProperty("TTL") int ttl,
    @JsonProperty("RELOAD-URI") String reloadUri,
    @JsonProperty("PATHWAY-PRIORITY") List<String> pathwayPriority) {

  public static final int VERSION = 1;
  /** TTL when there is no decision yet: short, so the first decision reaches players soon. */
  public static final int NO_DECISION_TTL_SECONDS = 10;

  public SteeringManifest {
    pathwayPriority = List.copyOf(pathwayPriority);
  }

  /**
   * @param decision the region's latest decision, or null
   * @param offered the pathways the served manifests carry
   * @param reported the pathways the player reported ({@code _HLS_pathway} / {@code _DASH_pathway}), current first
   * @param reloadUri where the player asks next
   */
  public static SteeringManifest of(SteeringDecision decision, Set<String> offered, List<String> reported,
      String reloadUri) {
    Set<String> priority = new LinkedHashSet<>();
    int ttl;
    if (decision != null) {
      ttl = Math.max(1, decision.getTtlSeconds());
      for (String id : decision.getPathwayPriority()) {
        if (offered.contains(id)) {
          priority.add(id);
        }
      }
    } else {
      ttl = NO_DECISION_TTL_SECONDS;
    }
    // Pathways the decision does not rank (or no decision at all): keep the player where it is.
    for (String id : reported) {
      if (offered.contains(id)) {
        priority.add(id);
      }
    }
    priority.addAll(offered);
    return new SteeringManifest(VERSION, ttl, reloadUri, List.copyOf(priority));
  }

  /** The pathways a player reported: {@code A} (HLS) or {@code "A,B"} (dash.js quotes a list). */
  public static List<String> reportedPathways(String parameter) {
    List<String> ids = new ArrayList<>();
    if (parameter == null) {
      return ids;
    }
    String bare = parameter.strip();
    if (bare.length() >= 2 && bare.startsWith("\"") && bare.endsWith("\"")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    for (String id : bare.split(",")) {
      if (!id.isBlank()) {
        ids.add(id.strip());
      }
    }
    return ids;
  }

  /**
   * The throughputs a player reported, bit/s, in the order of its pathways; a blank entry is unknown (-1).
   *
   * @throws IllegalArgumentException naming a value that is not a whole number
   */
  public static List<Long> reportedThroughputs(String parameter) {
    List<Long> values = new ArrayList<>();
    if (parameter == null || parameter.isBlank()) {
      return values;
    }
    for (String value : parameter.split(",", -1)) {
      String v = value.strip();
      if (v.isEmpty()) {
        values.add(-1L);
        continue;
      }
      try {
        long parsed = Long.parseLong(v);
        if (parsed < 0) {
          throw new NumberFormatException();
        }
        values.add(parsed);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("throughput must be a whole number of bit/s, got '" + v + "'");
      }
    }
    return values;
  }
}
