package io.caudal.recommend.core;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Users × items interactions as compressed sparse rows over dense int indices, with the id ↔ index maps.
 *
 * <p>Indices follow the sorted ids, so the same ratings in any order give the same matrix.
 */
public final class InteractionMatrix implements Serializable {
  private final String[] userIds;
  private final String[] itemIds;
  private final Map<String, Integer> userIndex;
  private final Map<String, Integer> itemIndex;
  /** Row u's entries are rowStart[u] until rowStart[u + 1] in columns and values, by ascending item. */
  private final int[] rowStart;
  private final int[] columns;
  private final double[] values;

  private InteractionMatrix(String[] userIds, String[] itemIds, int[] rowStart, int[] columns, double[] values) {
    this.userIds = userIds;
    this.itemIds = itemIds;
    this.userIndex = indexOf(userIds);
    this.itemIndex = indexOf(itemIds);
    this.rowStart = rowStart;
    this.columns = columns;
    this.values = values;
  }

  /**
   * Builds from ratings; duplicate (user, item) pairs are summed; {@code weight} maps a rating to its weight,
   * and a weight ≤ 0 (or NaN) drops the rating, so a user or item with only dropped ratings is absent.
   */
  public static InteractionMatrix of(List<Rating> ratings, ToDoubleFunction<Rating> weight) {
    Map<String, Map<String, Double>> rows = new TreeMap<>();
    TreeSet<String> items = new TreeSet<>();
    for (Rating r : ratings) {
      double w = weight.applyAsDouble(r);
      if (w > 0) {
        rows.computeIfAbsent(r.userId(), u -> new HashMap<>()).merge(r.itemId(), w, Double::sum);
        items.add(r.itemId());
      }
    }
    String[] itemIds = items.toArray(String[]::new);
    Map<String, Integer> itemIndex = indexOf(itemIds);
    int[] rowStart = new int[rows.size() + 1];
    int entries = rows.values().stream().mapToInt(Map::size).sum();
    int[] columns = new int[entries];
    double[] values = new double[entries];
    int u = 0;
    int at = 0;
    for (Map<String, Double> row : rows.values()) {
      int[] order = row.keySet().stream().mapToInt(itemIndex::get).sorted().toArray();
      for (int i : order) {
        columns[at] = i;
        values[at] = row.get(itemIds[i]);
        at++;
      }
      rowStart[++u] = at;
    }
    return new InteractionMatrix(rows.keySet().toArray(String[]::new), itemIds, rowStart, columns, values);
  }

  public int users() {
    return userIds.length;
  }

  public int items() {
    return itemIds.length;
  }

  /** -1 if unknown. */
  public int userIndex(String userId) {
    return userIndex.getOrDefault(userId, -1);
  }

  /** -1 if unknown. */
  public int itemIndex(String itemId) {
    return itemIndex.getOrDefault(itemId, -1);
  }

  public String userId(int u) {
    return userIds[u];
  }

  public String itemId(int i) {
    return itemIds[i];
  }

  /** The user's item indices, ascending; a copy. */
  public int[] itemsOf(int u) {
    return Arrays.copyOfRange(columns, rowStart[u], rowStart[u + 1]);
  }

  /** The weights matching {@link #itemsOf(int)}; a copy. */
  public double[] weightsOf(int u) {
    return Arrays.copyOfRange(values, rowStart[u], rowStart[u + 1]);
  }

  /** Users per item. */
  public long[] itemUserCounts() {
    long[] counts = new long[items()];
    for (int i : columns) {
      counts[i]++;
    }
    return counts;
  }

  /** XᵀX (items × items, row-major, dense doubles), binary when binary is true. */
  public double[] gram(boolean binary) {
    int n = items();
    if ((long) n * n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("a dense " + n + "x" + n + " Gram matrix does not fit in one array");
    }
    double[] g = new double[n * n];
    // Each user adds the outer product of their row; fill the upper triangle, then mirror it.
    for (int u = 0; u < users(); u++) {
      for (int a = rowStart[u]; a < rowStart[u + 1]; a++) {
        double wa = binary ? 1 : values[a];
        int rowOffset = columns[a] * n;
        for (int b = a; b < rowStart[u + 1]; b++) {
          g[rowOffset + columns[b]] += wa * (binary ? 1 : values[b]);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        g[j * n + i] = g[i * n + j];
      }
    }
    return g;
  }

  private static Map<String, Integer> indexOf(String[] ids) {
    Map<String, Integer> index = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      index.put(ids[i], i);
    }
    return index;
  }
}
