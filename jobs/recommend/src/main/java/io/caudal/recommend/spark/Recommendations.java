package io.caudal.recommend.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Top-N lists per user, best first, with their scores. */
public record Recommendations(Map<String, List<Scored>> byUser) implements Serializable {
  /** One recommended title. */
  public record Scored(String itemId, double score) implements Serializable {}

  /** Just the title ids, as the metrics take them. */
  public Map<String, List<String>> ids() {
    return byUser.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> e.getValue().stream().map(Scored::itemId).toList()));
  }
}
