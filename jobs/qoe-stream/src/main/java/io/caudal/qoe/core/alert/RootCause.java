package io.caudal.qoe.core.alert;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The root-cause search: within a scope's minute gone bad, the smallest slice (one dimension's
 * key, or a pair) that is itself worse than the scope's baseline and whose removal brings the
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
    return scope.slices().entrySet().stream()
        .filter(slice -> worse(slice.getValue(), metric, baseline))
        .filter(slice -> {
          Counts rest = total.minus(slice.getValue());
          Double value = rest.value(metric);
          return rest.cohort(metric) >= minCohort && value != null && baseline.score(value, metric) < recovered;
        })
        // Smallest first; a single dimension before a pair of the same size; then by id, so the
        // answer does not depend on iteration order.
        .min(Comparator.<Map.Entry<String, Counts>>comparingLong(slice -> slice.getValue().cohort(metric))
            .thenComparing(slice -> Breakdown.isSingle(slice.getKey()) ? 0 : 1)
            .thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getKey);
  }

  private static boolean worse(Counts slice, Metric metric, Baseline.Level baseline) {
    Double value = slice.value(metric);
    return value != null && baseline.score(value, metric) > 0;
  }
}
