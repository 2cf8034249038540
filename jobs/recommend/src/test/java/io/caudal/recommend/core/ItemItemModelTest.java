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
}
