package io.caudal.recommend.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {
  @Test
  void returnsTheHighestScoresBestFirst() {
    assertThat(TopK.select(new double[] {0.1, 0.9, 0.5, 0.7}, 3, null)).containsExactly(1, 3, 2);
  }

  @Test
  void breaksTiesByLowerIndex() {
    assertThat(TopK.select(new double[] {1, 3, 3, 2, 3}, 2, new BitSet())).containsExactly(1, 2);
    assertThat(TopK.select(new double[] {3, 3, 3, 3}, 4, new BitSet())).containsExactly(0, 1, 2, 3);
  }

  @Test
  void skipsExcludedIndices() {
    BitSet seen = new BitSet();
    seen.set(1);
    assertThat(TopK.select(new double[] {0.1, 0.9, 0.5, 0.7}, 2, seen)).containsExactly(3, 2);
  }

  @Test
  void neverChoosesNanOrNegativeInfinitySoMayReturnFewerThanK() {
    double[] scores = {Double.NaN, Double.NEGATIVE_INFINITY, -5, Double.POSITIVE_INFINITY};

    assertThat(TopK.select(scores, 10, null)).containsExactly(3, 2);
  }

  @Test
  void zeroKSelectsNothing() {
    assertThat(TopK.select(new double[] {1, 2}, 0, null)).isEmpty();
  }

  @Test
  void refusesNegativeK() {
    assertThatThrownBy(() -> TopK.select(new double[] {1}, -1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be >= 0, got -1");
  }

  @Test
  void agreesWithAFullSortOnRandomScoresWithManyTies() {
    Random random = new Random(7);
    for (int trial = 0; trial < 500; trial++) {
      int n = 1 + random.nextInt(60);
      double[] scores = random.doubles(n).map(d -> Math.floor(d * 5)).toArray();
      BitSet excluded = new BitSet();
      IntStream.range(0, n).filter(i -> random.nextInt(4) == 0).forEach(excluded::set);
      int k = random.nextInt(n + 3);

      int[] expected = IntStream.range(0, n).filter(i -> !excluded.get(i)).boxed()
          .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
          .limit(k).mapToInt(Integer::intValue).toArray();
      assertThat(TopK.select(scores, k, excluded)).containsExactly(expected);
    }
  }
}
