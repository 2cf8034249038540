package io.caudal.recommend.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InteractionMatrixTest {
  private static final List<Rating> RATINGS = List.of(
      new Rating("bob", "b", 2, 1), new Rating("ann", "a", 3, 2), new Rating("ann", "c", 1, 3),
      new Rating("bob", "a", 4, 4), new Rating("ann", "a", 2, 5), new Rating("cid", "c", 5, 6),
      new Rating("dan", "d", 0, 7));

  @Test
  void sumsDuplicatePairsAndDropsNonPositiveWeights() {
    InteractionMatrix m = InteractionMatrix.of(RATINGS, Rating::value);

    assertThat(m.users()).isEqualTo(3);
    assertThat(m.items()).isEqualTo(3);
    int ann = m.userIndex("ann");
    assertThat(m.itemsOf(ann)).containsExactly(m.itemIndex("a"), m.itemIndex("c"));
    assertThat(m.weightsOf(ann)).containsExactly(5, 1);
    assertThat(m.userIndex("dan")).isEqualTo(-1);
    assertThat(m.itemIndex("d")).isEqualTo(-1);
  }

  @Test
  void indicesFollowSortedIdsAndMapBack() {
    InteractionMatrix m = InteractionMatrix.of(RATINGS, r -> 1);

    assertThat(m.userId(0)).isEqualTo("ann");
    assertThat(m.itemId(2)).isEqualTo("c");
    for (int u = 0; u < m.users(); u++) {
      assertThat(m.userIndex(m.userId(u))).isEqualTo(u);
    }
  }

  @Test
  void countsUsersPerItem() {
    InteractionMatrix m = InteractionMatrix.of(RATINGS, Rating::value);

    // a: ann, bob; b: bob; c: ann, cid — ann's two ratings of a are one user.
    assertThat(m.itemUserCounts()).containsExactly(2, 1, 2);
  }

  @Test
  void gramIsXTransposeX() {
    InteractionMatrix m = InteractionMatrix.of(RATINGS, Rating::value);

    // Rows (items a, b, c): ann (5, 0, 1), bob (4, 2, 0), cid (0, 0, 5).
    assertThat(m.gram(false)).containsExactly(
        25 + 16, 8, 5,
        8, 4, 0,
        5, 0, 1 + 25);
    assertThat(m.gram(true)).containsExactly(
        2, 1, 1,
        1, 1, 0,
        1, 0, 2);
  }
}
