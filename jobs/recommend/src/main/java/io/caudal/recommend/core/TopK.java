package io.caudal.recommend.core;

import java.util.BitSet;

/** Picks the best few of many scores without sorting them all. */
public final class TopK {
  private TopK() {}

  /**
   * Indices of the k highest scores, best first, skipping excluded indices (null excludes none); ties broken
   * by lower index; NaN and -inf never chosen, so fewer than k come back when fewer are eligible. O(n log k).
   */
  public static int[] select(double[] scores, int k, BitSet excluded) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    // A min-heap of the best seen so far, worst at the root, so each candidate is compared with the root only.
    int[] heap = new int[Math.min(k, scores.length)];
    int size = 0;
    for (int i = 0; i < scores.length; i++) {
      double s = scores[i];
      if (Double.isNaN(s) || s == Double.NEGATIVE_INFINITY || (excluded != null && excluded.get(i))) {
        continue;
      }
      if (size < heap.length) {
        heap[size] = i;
        siftUp(heap, size++, scores);
      } else if (size > 0 && better(i, heap[0], scores)) {
        heap[0] = i;
        siftDown(heap, size, scores);
      }
    }
    int[] best = new int[size];
    for (int at = size - 1; at >= 0; at--) {
      best[at] = heap[0];
      heap[0] = heap[--size];
      siftDown(heap, size, scores);
    }
    return best;
  }

  /** Higher score first; on a tie, the lower index. */
  private static boolean better(int a, int b, double[] scores) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  }

  private static void siftUp(int[] heap, int at, double[] scores) {
    while (at > 0) {
      int parent = (at - 1) / 2;
      if (!better(heap[parent], heap[at], scores)) {
        return;
      }
      swap(heap, parent, at);
      at = parent;
    }
  }

  private static void siftDown(int[] heap, int size, double[] scores) {
    int at = 0;
    while (true) {
      int worst = at;
      for (int child = 2 * at + 1; child <= 2 * at + 2 && child < size; child++) {
        if (better(heap[worst], heap[child], scores)) {
          worst = child;
        }
      }
      if (worst == at) {
        return;
      }
      swap(heap, at, worst);
      at = worst;
    }
  }

  private static void swap(int[] heap, int a, int b) {
    int t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
  }
}
