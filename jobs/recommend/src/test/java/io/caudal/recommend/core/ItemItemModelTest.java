package io.caudal.recommend.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ItemItemModelTest {
  /** Row i of the model: the scores of a user who interacted only with item i. */
  private static double[] row(ItemItemModel model, int i) {
    return model.score(new int[] {i}, new double[] {1});
  }

  /** Inverse of a 3×3 matrix by cofactors, independent of the library under test. */
  private static double[][] inverse3(double[][] m) {
    double[][] inv = new double[3][3];
    double det = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        // Cofactor C_ji goes to inv[i][j] (adjugate = transposed cofactors).
        int r1 = (j + 1) % 3;
        int r2 = (j + 2) % 3;
        int c1 = (i + 1) % 3;
        int c2 = (i + 2) % 3;
        inv[i][j] = m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1];
      }
      det += m[0][i] * inv[i][0];
    }
    for (double[] row : inv) {
      for (int j = 0; j < 3; j++) {
        row[j] /= det;
      }
    }
    return inv;
  }

  @Test
  void easeMatchesTheClosedFormOnThreeItems() {
    double[] gram = {
        4, 2, 1,
        2, 3, 0,
        1, 0, 2};
    double lambda = 0.5;

    ItemItemModel model = ItemItemModel.ease(gram, 3, lambda);

    double[][] p = inverse3(new double[][] {{4 + lambda, 2, 1}, {2, 3 + lambda, 0}, {1, 0, 2 + lambda}});
    assertThat(model.size()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      double[] b = row(model, i);
      assertThat(b[i]).as("B[%d][%d]", i, i).isZero();
      for (int j = 0; j < 3; j++) {
        if (j != i) {
          assertThat(b[j]).as("B[%d][%d]", i, j).isCloseTo(-p[i][j] / p[j][j], within(1e-6));
        }
      }
    }
  }

  @Test
  void scoreSumsRowsWeightedByTheUsersInteractions() {
    ItemItemModel model = ItemItemModel.ease(new double[] {4, 2, 1, 2, 3, 0, 1, 0, 2}, 3, 0.5);

    double[] combined = model.score(new int[] {0, 2}, new double[] {2, 0.5});

    for (int j = 0; j < 3; j++) {
      assertThat(combined[j]).isCloseTo(2 * row(model, 0)[j] + 0.5 * row(model, 2)[j], within(1e-12));
    }
  }

  @Test
  void easeRecoversPlantedTasteClusters() {
    // Three tastes of 10 items each; every user watches 6 of their taste and, now and then, one stray item.
    int tastes = 3;
    int perTaste = 10;
    Random random = new Random(11);
    List<Rating> ratings = new ArrayList<>();
    for (int user = 0; user < 90; user++) {
      int taste = user % tastes;
      List<Integer> items = new ArrayList<>();
      for (int i = 0; i < perTaste; i++) {
        items.add(taste * perTaste + i);
      }
      Collections.shuffle(items, random);
      for (int item : items.subList(0, 6)) {
        ratings.add(new Rating("u" + user, String.format("i%02d", item), 1, 0));
      }
      if (user % 5 == 0) {
        ratings.add(new Rating("u" + user, String.format("i%02d", random.nextInt(tastes * perTaste)), 1, 0));
      }
    }
    InteractionMatrix x = InteractionMatrix.of(ratings, r -> 1);
    ItemItemModel model = ItemItemModel.ease(x.gram(true), x.items(), 10);

    int inTaste = 0;
    int shown = 0;
    for (int u = 0; u < x.users(); u++) {
      int[] seen = x.itemsOf(u);
      BitSet excluded = new BitSet();
      Arrays.stream(seen).forEach(excluded::set);
      double[] ones = new double[seen.length];
      Arrays.fill(ones, 1);
      int taste = Integer.parseInt(x.userId(u).substring(1)) % tastes;
      for (int i : TopK.select(model.score(seen, ones), 3, excluded)) {
        shown++;
        inTaste += Integer.parseInt(x.itemId(i).substring(1)) / perTaste == taste ? 1 : 0;
      }
    }
    assertThat(shown).isEqualTo(x.users() * 3);
    assertThat((double) inTaste / shown).isGreaterThan(0.95);
  }

  @Test
  void coOccurrenceCountsUsersWhoSawBothItems() {
    // ann: a, c; bob: a, b; cid: c; dee: a, c.
    List<Rating> ratings = List.of(new Rating("ann", "a", 1, 0), new Rating("ann", "c", 1, 0),
        new Rating("bob", "a", 1, 0), new Rating("bob", "b", 1, 0), new Rating("cid", "c", 1, 0),
        new Rating("dee", "a", 1, 0), new Rating("dee", "c", 1, 0));
    InteractionMatrix x = InteractionMatrix.of(ratings, r -> 1);

    ItemItemModel model = ItemItemModel.coOccurrence(x.gram(true), x.items());

    assertThat(row(model, x.itemIndex("a"))).containsExactly(0, 1, 2);
    assertThat(row(model, x.itemIndex("b"))).containsExactly(1, 0, 0);
    assertThat(row(model, x.itemIndex("c"))).containsExactly(2, 0, 0);
  }

  @Test
  void refusesAGramOfTheWrongSize() {
    assertThatThrownBy(() -> ItemItemModel.ease(new double[8], 3, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a 3x3 matrix (9 values), got 8 values");
  }

  @Test
  void refusesANegativeLambda() {
    assertThatThrownBy(() -> ItemItemModel.ease(new double[] {1}, 1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lambda must be finite and >= 0, got -1.0");
  }

  @Test
  void refusesASingularGramWithoutRegularisation() {
    assertThatThrownBy(() -> ItemItemModel.ease(new double[] {1, 1, 1, 1}, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("G + lambda*I is not positive definite with lambda 0.0; use a larger lambda");
  }

  @Test
  void refusesItemsAndWeightsOfDifferentLengths() {
    ItemItemModel model = ItemItemModel.coOccurrence(new double[] {1}, 1);

    assertThatThrownBy(() -> model.score(new int[] {0}, new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("items and weights differ in length: 1 and 0");
  }

  @Test
  void rp3betaMatchesTheWalkComputedByHandOnThreeItems() {
    // ann: a, b; bob: a, b, c; cid: b. Titles seen by 2, 3, 1 viewers; viewers saw 2, 3, 1 titles.
    List<Rating> ratings = List.of(new Rating("ann", "a", 1, 0), new Rating("ann", "b", 1, 0),
        new Rating("bob", "a", 1, 0), new Rating("bob", "b", 1, 0), new Rating("bob", "c", 1, 0),
        new Rating("cid", "b", 1, 0));
    InteractionMatrix x = InteractionMatrix.of(ratings, r -> 1);

    ItemItemModel model = ItemItemModel.rp3beta(x, 1.0, 0.5, 10);

    // W[i][j] = (1/deg i) * sum over viewers of both of 1/deg(viewer) * deg(j)^-0.5
    double[] a = row(model, x.itemIndex("a"));
    double[] b = row(model, x.itemIndex("b"));
    double[] c = row(model, x.itemIndex("c"));
    assertThat(a).containsExactly(new double[] {0, 0.5 * (0.5 + 1.0 / 3) / Math.sqrt(3), 0.5 * (1.0 / 3)},
        within(1e-7));
    assertThat(b).containsExactly(new double[] {(1.0 / 3) * (0.5 + 1.0 / 3) / Math.sqrt(2), 0, (1.0 / 3) * (1.0 / 3)},
        within(1e-7));
    assertThat(c).containsExactly(new double[] {(1.0 / 3) / Math.sqrt(2), (1.0 / 3) / Math.sqrt(3), 0}, within(1e-7));
  }

  /** A random binary matrix: 14 viewers, 9 titles, each viewer with 1 to 5 titles. */
  private static InteractionMatrix randomViews() {
    Random random = new Random(5);
    List<Rating> ratings = new ArrayList<>();
    for (int u = 0; u < 14; u++) {
      int count = 1 + random.nextInt(5);
      for (int n = 0; n < count; n++) {
        ratings.add(new Rating("u" + u, "i" + random.nextInt(9), 1, 0));
      }
    }
    return InteractionMatrix.of(ratings, r -> 1);
  }

  /**
   * The three-step walk as the paper writes it, with dense matrices: P_ui and P_iu the row-normalised
   * interactions and their transpose, each entry raised to alpha, their product, columns divided by
   * popularity^beta, the diagonal cleared.
   */
  private static double[][] denseRp3beta(InteractionMatrix x, double alpha, double beta) {
    int users = x.users();
    int items = x.items();
    double[][] view = new double[users][items];
    for (int u = 0; u < users; u++) {
      for (int i : x.itemsOf(u)) {
        view[u][i] = 1;
      }
    }
    double[][] pui = new double[users][items];
    double[][] piu = new double[items][users];
    double[] popularity = new double[items];
    for (int u = 0; u < users; u++) {
      double rowSum = Arrays.stream(view[u]).sum();
      for (int i = 0; i < items; i++) {
        pui[u][i] = Math.pow(view[u][i] / rowSum, alpha);
        popularity[i] += view[u][i];
      }
    }
    for (int i = 0; i < items; i++) {
      for (int u = 0; u < users; u++) {
        piu[i][u] = Math.pow(view[u][i] / popularity[i], alpha);
      }
    }
    double[][] w = new double[items][items];
    for (int i = 0; i < items; i++) {
      for (int j = 0; j < items; j++) {
        for (int u = 0; u < users; u++) {
          w[i][j] += piu[i][u] * pui[u][j];
        }
        w[i][j] = i == j ? 0 : w[i][j] / Math.pow(popularity[j], beta);
      }
    }
    return w;
  }

  @Test
  void rp3betaMatchesTheDenseProductOfTransitionMatrices() {
    InteractionMatrix x = randomViews();
    double[][] expected = denseRp3beta(x, 0.7, 0.4);

    ItemItemModel model = ItemItemModel.rp3beta(x, 0.7, 0.4, x.items());

    for (int i = 0; i < x.items(); i++) {
      assertThat(row(model, i)).as("row %d", i).containsExactly(expected[i], within(1e-6));
    }
  }

  @Test
  void rp3betaKeepsOnlyTheLargestWeightsOfEachRow() {
    InteractionMatrix x = randomViews();
    double[][] expected = denseRp3beta(x, 1.2, 0.2);

    ItemItemModel model = ItemItemModel.rp3beta(x, 1.2, 0.2, 3);

    for (int i = 0; i < x.items(); i++) {
      double[] kept = row(model, i);
      double[] sorted = expected[i].clone();
      Arrays.sort(sorted);
      double third = sorted[sorted.length - 3];
      int nonZero = 0;
      for (int j = 0; j < kept.length; j++) {
        if (kept[j] != 0) {
          nonZero++;
          assertThat(kept[j]).as("W[%d][%d]", i, j).isCloseTo(expected[i][j], within(1e-6))
              .isGreaterThanOrEqualTo(third - 1e-6);
        } else {
          assertThat(expected[i][j]).as("W[%d][%d] dropped", i, j).isLessThanOrEqualTo(third + 1e-6);
        }
      }
      assertThat(nonZero).as("row %d", i).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void theUnpenalisedWalkWithItsReturnHomeIsAProbabilityDistribution() {
    InteractionMatrix x = randomViews();
    long[] popularity = x.itemUserCounts();

    ItemItemModel model = ItemItemModel.rp3beta(x, 1.0, 0.0, x.items());

    for (int i = 0; i < x.items(); i++) {
      // The diagonal is cleared; the walk's chance of coming back to i is (1/deg i) * sum of 1/deg(u) over i's viewers.
      double home = 0;
      for (int u = 0; u < x.users(); u++) {
        if (Arrays.binarySearch(x.itemsOf(u), i) >= 0) {
          home += 1.0 / x.itemsOf(u).length;
        }
      }
      home /= popularity[i];
      assertThat(Arrays.stream(row(model, i)).sum() + home).as("row %d", i).isCloseTo(1.0, within(1e-6));
    }
  }

  @Test
  void rp3betaRefusesParametersOutOfRange() {
    InteractionMatrix x = randomViews();
    assertThatThrownBy(() -> ItemItemModel.rp3beta(x, 0, 0.5, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("alpha must be finite and > 0, got 0.0");
    assertThatThrownBy(() -> ItemItemModel.rp3beta(x, 1, -0.1, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("beta must be finite and >= 0, got -0.1");
    assertThatThrownBy(() -> ItemItemModel.rp3beta(x, 1, 0.5, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("neighbours must be at least 1, got 0");
  }
}
