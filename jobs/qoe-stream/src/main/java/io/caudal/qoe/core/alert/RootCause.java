package io.caudal.qoe.core.alert;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The root-cause search: within a scope's minute gone bad, the smallest slice (one dimension's
 * key, or else a pair) that is itself worse than the scope's baseline and whose removal brings the
 * rest of the scope back to it. A pure function of one minute's {@link Breakdown} and the scope's
 * baseline.
 */
public final class RootCause {
  private RootCause() {}

  /**
   * @param recovered the rest counts as back to baseline when its score is under this
   * @param minCohort the rest must still hold this many viewers to say anything
   * @return the slice id, or empty when no single slice or pair explains the minute
   */
  public static Optional<String> find(Breakdown scope, Metric metric, Baseline.Level baseline, double recovered,
      long minCohort) {
    Counts total = scope.total();
    Comparator<Map.Entry<String, Counts>> smallest = Comparator
        .<Map.Entry<String, Counts>>comparingLong(slice -> slice.getValue().cohort(metric))
        .thenComparing(Map.Entry::getKey);
    List<Map.Entry<String, Counts>> explaining = scope.slices().entrySet().stream()
        .filter(slice -> worse(slice.getValue(), metric, baseline))
        .filter(slice -> backToBaseline(total.minus(slice.getValue()), metric, baseline, recovered, minCohort))
        .sorted(smallest)
        .toList();
    // A single dimension before any pair: a pair within a failing ISP "explains" the region too
    // when the rest of the ISP is diluted enough. But a pair within the single is named instead
    // when the rest of the single is fine without it: the trouble is the combination.
    Optional<Map.Entry<String, Counts>> single = explaining.stream().filter(s -> Breakdown.isSingle(s.getKey()))
        .findFirst();
    if (single.isEmpty()) {
      return explaining.stream().findFirst().map(Map.Entry::getKey);
    }
    String id = single.get().getKey();
    Counts counts = single.get().getValue();
    return Optional.of(explaining.stream()
        .filter(pair -> !Breakdown.isSingle(pair.getKey()) && List.of(pair.getKey().split("&")).contains(id))
        .filter(pair -> {
          Counts restOfSingle = counts.minus(pair.getValue());
          Double value = restOfSingle.value(metric);
          return value != null && baseline.score(value, metric) < recovered; // none left: the same slice
        })
        .findFirst().map(Map.Entry::getKey).orElse(id));
  }

  private static boolean backToBaseline(Counts rest, Metric metric, Baseline.Level baseline, double recovered,
      long minCohort) {
    Double value = rest.value(metric);
    return rest.cohort(metric) >= minCohort && value != null && baseline.score(value, metric) < recovered;
  }

  private static boolean worse(Counts slice, Metric metric, Baseline.Level baseline) {
    Double value = slice.value(metric);
    return value != null && baseline.score(value, metric) > 0;
  }
}
