package io.caudal.recommend.core;

import java.util.List;

/**
 * How one model's hyper-parameters were chosen on the validation split.
 *
 * @param tried every point measured, in order; the first is the start (the job's settings)
 * @param chosen the index in {@code tried} of the point with the best validation nDCG
 * @param stop why the search ended
 */
public record ModelTuning(String model, List<Tried> tried, int chosen, ParameterSearch.Stop stop) {
  /** One point and what it scored on the validation split. */
  public record Tried(ParameterSearch.Point point, ModelMetrics validation) {}

  public ModelTuning {
    tried = List.copyOf(tried);
    if (chosen < 0 || chosen >= tried.size()) {
      throw new IllegalArgumentException("chosen " + chosen + " is not one of " + tried.size() + " points tried");
    }
  }

  public Tried best() {
    return tried.get(chosen);
  }
}
