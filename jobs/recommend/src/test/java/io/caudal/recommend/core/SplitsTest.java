package io.caudal.recommend.core;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitsTest {
  /** Item "i<n>" has n ratings, n = 1..20, by users spread over 30 and times spread over a month. */
  private static List<Rating> ratings() {
    Random random = new Random(3);
    List<Rating> all = new ArrayList<>();
    for (int n = 1; n <= 20; n++) {
      for (int r = 0; r < n; r++) {
        all.add(new Rating("u" + ((n * 7 + r) % 30), "i" + n, 1 + random.nextInt(5), random.nextInt(30 * 86_400)));
      }
    }
    return all;
  }

  @Test
  void stratifiedSplitIsDeterministicForASeed() {
    List<Rating> all = ratings();

    Splits.Split first = Splits.stratifiedByItem(all, 0.75, 42);
    Splits.Split again = Splits.stratifiedByItem(all, 0.75, 42);
    Splits.Split other = Splits.stratifiedByItem(all, 0.75, 43);

    assertThat(again).isEqualTo(first);
    assertThat(other.train()).isNotEqualTo(first.train());
  }

  @Test
  void stratifiedSplitDoesNotDependOnInputOrder() {
    List<Rating> all = ratings();
    List<Rating> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(9));

    assertThat(Splits.stratifiedByItem(shuffled, 0.75, 42).train())
        .containsExactlyInAnyOrderElementsOf(Splits.stratifiedByItem(all, 0.75, 42).train());
  }

  @Test
  void stratifiedSplitPutsThreeQuartersOfEachItemInTrain() {
    List<Rating> all = ratings();

    Splits.Split split = Splits.stratifiedByItem(all, 0.75, 42);

    Map<String, Long> trainPerItem = split.train().stream().collect(groupingBy(Rating::itemId, counting()));
    for (int n = 1; n <= 20; n++) {
      // Python's round: half to even, as the benchmark protocol rounds (e.g. 0.75 × 2 = 1.5 → 2, 0.75 × 6 = 4.5 → 4).
      long expected = Math.max(1, (long) Math.rint(0.75 * n));
      assertThat(trainPerItem.get("i" + n)).as("train ratings of i%d", n).isEqualTo(expected);
    }
    List<Rating> union = new ArrayList<>(split.train());
    union.addAll(split.test());
    assertThat(union).containsExactlyInAnyOrderElementsOf(all);
    assertThat((double) split.train().size() / all.size()).isBetween(0.72, 0.78);
  }

  @Test
  void itemWithOneRatingStaysInTrain() {
    List<Rating> all = List.of(new Rating("u1", "lonely", 4, 1), new Rating("u1", "pair", 3, 2),
        new Rating("u2", "pair", 5, 3));

    Splits.Split split = Splits.stratifiedByItem(all, 0.1, 1);

    assertThat(split.train()).extracting(Rating::itemId).containsExactlyInAnyOrder("lonely", "pair");
    assertThat(split.test()).extracting(Rating::itemId).containsExactly("pair");
  }

  @Test
  void byTimeNeverPutsALaterTimestampInTrainThanAnyTestRow() {
    List<Rating> all = ratings();

    Splits.Split split = Splits.byTime(all, 0.75);

    long lastTrain = split.train().stream().mapToLong(Rating::timestamp).max().orElseThrow();
    long firstTest = split.test().stream().mapToLong(Rating::timestamp).min().orElseThrow();
    assertThat(lastTrain).isLessThan(firstTest);
    assertThat(split.train()).hasSize(all.size() * 3 / 4);
  }

  @Test
  void byTimeDropsTestRowsOfUsersOrItemsUnseenInTrain() {
    List<Rating> all = List.of(
        new Rating("u1", "a", 5, 10), new Rating("u2", "b", 4, 20), new Rating("u1", "b", 3, 30),
        new Rating("u1", "a", 2, 40), new Rating("new", "a", 4, 50), new Rating("u2", "new", 1, 60),
        new Rating("u2", "a", 5, 70), new Rating("u1", "b", 5, 80));

    Splits.Split split = Splits.byTime(all, 0.5);

    assertThat(split.train()).extracting(Rating::timestamp).containsExactly(10L, 20L, 30L, 40L);
    assertThat(split.test()).extracting(Rating::timestamp).containsExactly(70L, 80L);
  }

  @Test
  void byTimeSendsRatingsAtTheCutoffToTest() {
    List<Rating> all = List.of(new Rating("u", "a", 5, 1), new Rating("u", "a", 5, 2), new Rating("u", "a", 5, 2),
        new Rating("u", "a", 5, 2));

    Splits.Split split = Splits.byTime(all, 0.5);

    assertThat(split.train()).extracting(Rating::timestamp).containsExactly(1L);
    assertThat(split.test()).extracting(Rating::timestamp).containsExactly(2L, 2L, 2L);
  }

  @Test
  void refusesARatioOutsideZeroToOne() {
    assertThatThrownBy(() -> Splits.stratifiedByItem(List.of(), 1.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trainRatio must be in (0, 1], got 1.5");
    assertThatThrownBy(() -> Splits.byTime(List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trainRatio must be in (0, 1], got 0.0");
  }
}
