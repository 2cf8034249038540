package io.caudal.recommend.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/** Train/test splits of ratings. Both keep the input order inside train and inside test. */
public final class Splits {
  public record Split(List<Rating> train, List<Rating> test) {}

  /** Sorting an item's ratings before shuffling makes the split independent of the input order. */
  private static final Comparator<Rating> CANONICAL = Comparator.comparing(Rating::userId)
      .thenComparingLong(Rating::timestamp)
      .thenComparingDouble(Rating::value);

  private Splits() {}

  /**
   * The Microsoft Recommenders MovieLens benchmark protocol: per item, its ratings shuffled with a seeded
   * Random and the first round(ratio × n) go to train (at least one stays in train); deterministic for a seed.
   *
   * <p>Rounding is half to even, as Python's {@code round} in that protocol. Each item gets its own Random
   * derived from the seed and the item id, so adding an item does not reshuffle the others.
   */
  public static Split stratifiedByItem(List<Rating> all, double trainRatio, long seed) {
    checkRatio(trainRatio);
    Map<String, List<Integer>> byItem = new TreeMap<>();
    for (int r = 0; r < all.size(); r++) {
      byItem.computeIfAbsent(all.get(r).itemId(), item -> new ArrayList<>()).add(r);
    }
    boolean[] inTrain = new boolean[all.size()];
    byItem.forEach((item, rows) -> {
      rows.sort(Comparator.comparing(all::get, CANONICAL));
      Collections.shuffle(rows, new Random(seed ^ (item.hashCode() * 0x9E3779B97F4A7C15L)));
      int n = rows.size();
      int train = (int) Math.max(1, Math.min(n, Math.rint(trainRatio * n)));
      for (int r : rows.subList(0, train)) {
        inTrain[r] = true;
      }
    });
    List<Rating> train = new ArrayList<>();
    List<Rating> test = new ArrayList<>();
    for (int r = 0; r < all.size(); r++) {
      (inTrain[r] ? train : test).add(all.get(r));
    }
    return new Split(Collections.unmodifiableList(train), Collections.unmodifiableList(test));
  }

  /**
   * For production: one global time cutoff at the trainRatio quantile of timestamps; train strictly before,
   * test at or after; test rows whose user or item never appears in train are dropped (cold users and items
   * are evaluated separately). Never leaks the future into train.
   *
   * <p>Ratings sharing the cutoff timestamp all go to test, so train can be a little smaller than the ratio.
   */
  public static Split byTime(List<Rating> all, double trainRatio) {
    checkRatio(trainRatio);
    long[] times = all.stream().mapToLong(Rating::timestamp).sorted().toArray();
    int cut = (int) Math.floor(trainRatio * times.length);
    if (cut >= times.length) {
      return new Split(List.copyOf(all), List.of());
    }
    long cutoff = times[cut];
    List<Rating> train = new ArrayList<>();
    Set<String> trainUsers = new HashSet<>();
    Set<String> trainItems = new HashSet<>();
    for (Rating r : all) {
      if (r.timestamp() < cutoff) {
        train.add(r);
        trainUsers.add(r.userId());
        trainItems.add(r.itemId());
      }
    }
    List<Rating> test = all.stream()
        .filter(r -> r.timestamp() >= cutoff && trainUsers.contains(r.userId()) && trainItems.contains(r.itemId()))
        .toList();
    return new Split(Collections.unmodifiableList(train), test);
  }

  private static void checkRatio(double trainRatio) {
    if (!(trainRatio > 0 && trainRatio <= 1)) {
      throw new IllegalArgumentException("trainRatio must be in (0, 1], got " + trainRatio);
    }
  }
}
