package io.caudal.recommend.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  private static final Offset<Double> EPS = within(1e-12);

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void precisionAndRecallCountHitsInTheFirstK() {
    Map<String, List<String>> recs = Map.of("a", List.of("1", "2", "3", "4"), "b", List.of("5", "6"));
    Map<String, Set<String>> rel = Map.of("a", Set.of("1", "3", "9"), "b", Set.of("6"));

    // a: 1 hit in its top 2, b: 1 hit.
    assertThat(RankingMetrics.precisionAtK(recs, rel, 2)).isCloseTo((0.5 + 0.5) / 2, EPS);
    assertThat(RankingMetrics.recallAtK(recs, rel, 2)).isCloseTo((1.0 / 3 + 1.0) / 2, EPS);
  }

  @Test
  void hitsBeyondKDoNotCount() {
    Map<String, List<String>> recs = Map.of("a", List.of("x", "y", "z", "1"));
    Map<String, Set<String>> rel = Map.of("a", Set.of("1"));

    assertThat(RankingMetrics.precisionAtK(recs, rel, 3)).isZero();
    assertThat(RankingMetrics.recallAtK(recs, rel, 3)).isZero();
    assertThat(RankingMetrics.ndcgAtK(recs, rel, 3)).isZero();
    assertThat(RankingMetrics.mapAtK(recs, rel, 3)).isZero();
  }

  @Test
  void userWithNoRelevantItemsIsNotAveraged() {
    Map<String, List<String>> recs = Map.of("a", List.of("1"), "b", List.of("2"), "c", List.of("3"));
    Map<String, Set<String>> rel = Map.of("a", Set.of("1"), "b", Set.of());

    assertThat(RankingMetrics.precisionAtK(recs, rel, 1)).isEqualTo(1.0);
    assertThat(RankingMetrics.recallAtK(recs, rel, 1)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcgAtK(recs, rel, 1)).isEqualTo(1.0);
    assertThat(RankingMetrics.mapAtK(recs, rel, 1)).isEqualTo(1.0);
  }

  @Test
  void userWithoutRecommendationsScoresZero() {
    Map<String, List<String>> recs = Map.of("a", List.of("1"));
    Map<String, Set<String>> rel = Map.of("a", Set.of("1"), "b", Set.of("1"));

    assertThat(RankingMetrics.precisionAtK(recs, rel, 1)).isEqualTo(0.5);
    assertThat(RankingMetrics.recallAtK(recs, rel, 1)).isEqualTo(0.5);
    assertThat(RankingMetrics.ndcgAtK(recs, rel, 1)).isEqualTo(0.5);
    assertThat(RankingMetrics.mapAtK(recs, rel, 1)).isEqualTo(0.5);
  }

  @Test
  void kLargerThanTheListStillDividesPrecisionByK() {
    Map<String, List<String>> recs = Map.of("a", List.of("1"));
    Map<String, Set<String>> rel = Map.of("a", Set.of("1"));

    assertThat(RankingMetrics.precisionAtK(recs, rel, 5)).isCloseTo(0.2, EPS);
    assertThat(RankingMetrics.recallAtK(recs, rel, 5)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcgAtK(recs, rel, 5)).isEqualTo(1.0);
    assertThat(RankingMetrics.mapAtK(recs, rel, 5)).isEqualTo(1.0);
  }

  @Test
  void mapDividesByAllRelevantItemsNotByK() {
    Map<String, List<String>> recs = Map.of("a", List.of("1", "x", "2", "y"));
    Map<String, Set<String>> rel = Map.of("a", Set.of("1", "2", "3", "4", "5", "6"));

    // Hits at ranks 1 and 3: precision 1/1 and 2/3, over 6 relevant items (not over min(k, 6) = 3).
    assertThat(RankingMetrics.mapAtK(recs, rel, 3)).isCloseTo((1.0 + 2.0 / 3) / 6, EPS);
    assertThat(RankingMetrics.mapAtK(recs, rel, 2)).isCloseTo(1.0 / 6, EPS);
  }

  @Test
  void ndcgIdealHasOnlyAsManyHitsAsThereAreRelevantItems() {
    Map<String, List<String>> recs = Map.of("a", List.of("x", "1", "y"), "b", List.of("1", "x", "2"));
    Map<String, Set<String>> rel = Map.of("a", Set.of("1"), "b", Set.of("1", "2"));

    double a = (1 / log2(3)) / 1;
    double b = (1 + 1 / log2(4)) / (1 + 1 / log2(3));
    assertThat(RankingMetrics.ndcgAtK(recs, rel, 3)).isCloseTo((a + b) / 2, EPS);
  }

  @Test
  void ndcgIdealIsCappedAtK() {
    Map<String, List<String>> recs = Map.of("a", List.of("1", "2"));
    Map<String, Set<String>> rel = Map.of("a", Set.of("1", "2", "3", "4"));

    assertThat(RankingMetrics.ndcgAtK(recs, rel, 2)).isCloseTo(1.0, EPS);
  }

  @Test
  void repeatedRecommendationCountsOnce() {
    Map<String, List<String>> recs = Map.of("a", List.of("1", "1", "2"));
    Map<String, Set<String>> rel = Map.of("a", Set.of("1", "2"));

    assertThat(RankingMetrics.precisionAtK(recs, rel, 2)).isEqualTo(1.0);
  }

  @Test
  void noUserWithRelevantItemsGivesZero() {
    assertThat(RankingMetrics.precisionAtK(Map.of("a", List.of("1")), Map.of(), 10)).isZero();
  }

  @Test
  void catalogCoverageCountsDistinctItemsInTheTopK() {
    Map<String, List<String>> recs = Map.of("a", List.of("1", "2", "3"), "b", List.of("2", "4", "5"));

    assertThat(RankingMetrics.catalogCoverage(recs, 2, 10)).isCloseTo(3.0 / 10, EPS);
  }

  @Test
  void noveltyIsTheMeanSelfInformationOverRecommendedSlots() {
    Map<String, List<String>> recs = Map.of("a", List.of("1", "2", "3"), "b", List.of("1", "unseen"));
    Map<String, Long> itemUsers = Map.of("1", 50L, "2", 25L, "3", 100L);

    // Slots in the top 2: 1 (1 bit), 2 (2 bits), 1 (1 bit); "unseen" has no train user and is left out.
    assertThat(RankingMetrics.novelty(recs, 2, itemUsers, 100)).isCloseTo(4.0 / 3, EPS);
  }

  @Test
  void rmseOfPairedPredictions() {
    assertThat(RankingMetrics.rmse(new double[] {1, 2, 3}, new double[] {1, 2, 5})).isCloseTo(Math.sqrt(4.0 / 3), EPS);
  }

  @Test
  void refusesMismatchedRmseInputs() {
    assertThatThrownBy(() -> RankingMetrics.rmse(new double[] {1}, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rmse needs two non-empty arrays of equal length, got 1 predicted and 2 actual");
  }

  @Test
  void refusesNonPositiveK() {
    assertThatThrownBy(() -> RankingMetrics.ndcgAtK(Map.of(), Map.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be positive, got 0");
    assertThatThrownBy(() -> RankingMetrics.catalogCoverage(Map.of(), 5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("catalogSize must be positive, got 0");
    assertThatThrownBy(() -> RankingMetrics.novelty(Map.of(), 5, Map.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("users must be positive, got 0");
  }
}
