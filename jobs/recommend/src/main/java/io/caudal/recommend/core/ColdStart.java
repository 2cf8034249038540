package io.caudal.recommend.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to show when the model has nothing to go on: a user without history gets the titles most
 * watched by people of their region and device (falling back to the whole service), and a new
 * title nobody has watched yet reaches the users whose favourite category it belongs to.
 */
public final class ColdStart implements Serializable {
  /** Where a user watches from. */
  public record Segment(String region, String device) implements Serializable {}

  /** A title of the catalog: its category and when it was published. */
  public record CatalogTitle(String titleId, String category, long createdAt) implements Serializable {}

  private final Map<Segment, List<String>> popularBySegment;
  private final List<String> popular;
  private final Map<String, CatalogTitle> catalog;
  /** Per category, its titles nobody has interacted with yet, newest first. */
  private final Map<String, List<String>> newByCategory;

  /**
   * @param interactions weighted interactions (value = weight)
   * @param segments where each user watches from
   * @param catalog every title (may be empty)
   */
  public ColdStart(List<Rating> interactions, Map<String, Segment> segments, List<CatalogTitle> catalog) {
    Map<Segment, Map<String, Double>> bySegment = new HashMap<>();
    Map<String, Double> overall = new HashMap<>();
    Set<String> watched = new HashSet<>();
    for (Rating r : interactions) {
      if (r.value() <= 0) {
        continue;
      }
      watched.add(r.itemId());
      overall.merge(r.itemId(), r.value(), Double::sum);
      Segment segment = segments.get(r.userId());
      if (segment != null) {
        bySegment.computeIfAbsent(segment, s -> new HashMap<>()).merge(r.itemId(), r.value(), Double::sum);
      }
    }
    this.popular = ranked(overall);
    this.popularBySegment = new HashMap<>();
    bySegment.forEach((segment, weights) -> popularBySegment.put(segment, ranked(weights)));
    this.catalog = new HashMap<>();
    Map<String, List<CatalogTitle>> fresh = new HashMap<>();
    for (CatalogTitle t : catalog) {
      this.catalog.put(t.titleId(), t);
      if (!watched.contains(t.titleId())) {
        fresh.computeIfAbsent(t.category(), c -> new ArrayList<>()).add(t);
      }
    }
    this.newByCategory = new HashMap<>();
    fresh.forEach((category, titles) -> newByCategory.put(category, titles.stream()
        .sorted(Comparator.comparingLong(CatalogTitle::createdAt).reversed().thenComparing(CatalogTitle::titleId))
        .map(CatalogTitle::titleId).toList()));
  }

  /** The top {@code k} for a user with no usable history. */
  public List<String> forNewUser(Segment segment, int k) {
    List<String> local = segment == null ? List.of() : popularBySegment.getOrDefault(segment, List.of());
    List<String> out = new ArrayList<>(local.subList(0, Math.min(k, local.size())));
    for (String title : popular) {
      if (out.size() >= k) {
        break;
      }
      if (!out.contains(title)) {
        out.add(title);
      }
    }
    return out;
  }

  /**
   * A title nobody has watched yet in the user's favourite category (by weight), for the last
   * slot of their list; null when there is none.
   */
  public String newTitleFor(Map<String, Double> userWeights, List<String> alreadyListed) {
    Map<String, Double> byCategory = new HashMap<>();
    userWeights.forEach((title, w) -> {
      CatalogTitle t = catalog.get(title);
      if (t != null && w > 0) {
        byCategory.merge(t.category(), w, Double::sum);
      }
    });
    return byCategory.entrySet().stream()
        .max(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .flatMap(e -> newByCategory.getOrDefault(e.getKey(), List.of()).stream()
            .filter(t -> !alreadyListed.contains(t) && !userWeights.containsKey(t)).findFirst())
        .orElse(null);
  }

  private static List<String> ranked(Map<String, Double> weights) {
    return weights.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).toList();
  }
}
