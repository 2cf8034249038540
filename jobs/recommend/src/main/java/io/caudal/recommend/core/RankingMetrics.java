package io.caudal.recommend.core;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Top-N ranking metrics as the Microsoft Recommenders benchmark defines them, averaged over the users that
 * have at least one relevant item; a user without recommendations scores 0; only the first k of each list
 * count. Repeats in a list are dropped before the first k are taken. With no user to average over, 0.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** Hits in the top k over k, so a list shorter than k is not rewarded for being short. */
  public static double precisionAtK(
      Map<String, List<String>> recommended, Map<String, Set<String>> relevant, int k) {
    return average(recommended, relevant, k, (hits, rel) -> (double) countHits(hits) / k);
  }

  /** Hits in the top k over the number of relevant items. */
  public static double recallAtK(Map<String, List<String>> recommended, Map<String, Set<String>> relevant, int k) {
    return average(recommended, relevant, k, (hits, rel) -> (double) countHits(hits) / rel.size());
  }

  /** Binary relevance, log2(rank+1) discount; the ideal list has min(k, |relevant|) hits. */
  public static double ndcgAtK(Map<String, List<String>> recommended, Map<String, Set<String>> relevant, int k) {
    return average(recommended, relevant, k, (hits, rel) -> {
      double dcg = 0;
      for (int rank = 1; rank <= hits.length; rank++) {
        dcg += hits[rank - 1] ? discount(rank) : 0;
      }
      double ideal = 0;
      for (int rank = 1; rank <= Math.min(k, rel.size()); rank++) {
        ideal += discount(rank);
      }
      return dcg / ideal;
    });
  }

  /**
   * Sum of precision@i at each hit i ≤ k, over |relevant| — the Microsoft Recommenders convention, not
   * min(k, |relevant|), so a user with more relevant items than k cannot reach 1.
   */
  public static double mapAtK(Map<String, List<String>> recommended, Map<String, Set<String>> relevant, int k) {
    return average(recommended, relevant, k, (hits, rel) -> {
      double sum = 0;
      int found = 0;
      for (int rank = 1; rank <= hits.length; rank++) {
        if (hits[rank - 1]) {
          found++;
          sum += (double) found / rank;
        }
      }
      return sum / rel.size();
    });
  }

  /** Fraction of the catalog that appears in some user's top k. */
  public static double catalogCoverage(Map<String, List<String>> recommended, int k, int catalogSize) {
    checkK(k);
    if (catalogSize <= 0) {
      throw new IllegalArgumentException("catalogSize must be positive, got " + catalogSize);
    }
    Set<String> shown = new HashSet<>();
    recommended.values().forEach(list -> shown.addAll(top(list, k)));
    return (double) shown.size() / catalogSize;
  }

  /**
   * Mean self-information −log2(popularity(i) / users) of recommended items, over every slot of every top k
   * (popularity = number of train users who interacted). Items no train user saw have no defined novelty
   * and are left out, as in Microsoft Recommenders; with nothing left, 0.
   */
  public static double novelty(Map<String, List<String>> recommended, int k, Map<String, Long> itemUsers, long users) {
    checkK(k);
    if (users <= 0) {
      throw new IllegalArgumentException("users must be positive, got " + users);
    }
    double sum = 0;
    long slots = 0;
    for (List<String> list : recommended.values()) {
      for (String item : top(list, k)) {
        long popularity = itemUsers.getOrDefault(item, 0L);
        if (popularity > 0) {
          sum -= Math.log((double) popularity / users) / Math.log(2);
          slots++;
        }
      }
    }
    return slots == 0 ? 0 : sum / slots;
  }

  /** Root mean squared error of paired predictions. */
  public static double rmse(double[] predicted, double[] actual) {
    if (predicted.length != actual.length || predicted.length == 0) {
      throw new IllegalArgumentException("rmse needs two non-empty arrays of equal length, got "
          + predicted.length + " predicted and " + actual.length + " actual");
    }
    double sum = 0;
    for (int i = 0; i < predicted.length; i++) {
      double error = predicted[i] - actual[i];
      sum += error * error;
    }
    return Math.sqrt(sum / predicted.length);
  }

  /** A user's score from whether each of their first k distinct recommendations is relevant. */
  private interface UserScore {
    double of(boolean[] hits, Set<String> relevant);
  }

  private static double average(
      Map<String, List<String>> recommended, Map<String, Set<String>> relevant, int k, UserScore score) {
    checkK(k);
    double sum = 0;
    int users = 0;
    for (Map.Entry<String, Set<String>> user : relevant.entrySet()) {
      Set<String> rel = user.getValue();
      if (rel == null || rel.isEmpty()) {
        continue;
      }
      users++;
      List<String> list = recommended.getOrDefault(user.getKey(), List.of());
      List<String> top = top(list, k);
      boolean[] hits = new boolean[top.size()];
      for (int i = 0; i < hits.length; i++) {
        hits[i] = rel.contains(top.get(i));
      }
      sum += score.of(hits, rel);
    }
    return users == 0 ? 0 : sum / users;
  }

  /** The first k distinct items of a list, in order. */
  private static List<String> top(List<String> list, int k) {
    if (list == null) {
      return List.of();
    }
    return list.stream().distinct().limit(k).toList();
  }

  private static int countHits(boolean[] hits) {
    int n = 0;
    for (boolean hit : hits) {
      n += hit ? 1 : 0;
    }
    return n;
  }

  private static double discount(int rank) {
    return Math.log(2) / Math.log(rank + 1);
  }

  private static void checkK(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
  }
}
