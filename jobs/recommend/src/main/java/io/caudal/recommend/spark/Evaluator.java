package io.caudal.recommend.spark;

import io.caudal.recommend.core.InteractionMatrix;
import io.caudal.recommend.core.ModelMetrics;
import io.caudal.recommend.core.Rating;
import io.caudal.recommend.core.RankingMetrics;
import io.caudal.recommend.core.Splits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Fits every candidate on a split's train part and measures it on its test part, the same way
 * for all of them, and picks the best by nDCG@k on a validation split carved from train alone.
 */
public final class Evaluator {
  private final List<Candidate> candidates;
  private final ToDoubleFunction<Rating> weight;
  private final int k;

  public Evaluator(List<Candidate> candidates, ToDoubleFunction<Rating> weight, int k) {
    this.candidates = candidates;
    this.weight = weight;
    this.k = k;
  }

  /** Every candidate's metrics on {@code split}, in candidate order. */
  public List<ModelMetrics> evaluate(Splits.Split split, List<Rating> explicitTrain, List<Rating> explicitTest,
      java.util.function.Consumer<String> progress) {
    InteractionMatrix train = InteractionMatrix.of(split.train(), weight);
    Map<String, Set<String>> relevant = relevant(split.test(), weight);
    Map<String, Long> itemUsers = new HashMap<>();
    long[] counts = train.itemUserCounts();
    for (int i = 0; i < counts.length; i++) {
      itemUsers.put(train.itemId(i), counts[i]);
    }
    List<ModelMetrics> results = new ArrayList<>();
    for (Candidate candidate : candidates) {
      if (candidate.name().equals("als-explicit") && explicitTrain.isEmpty()) {
        continue; // no star ratings to learn from
      }
      progress.accept("fitting " + candidate.name() + " on " + split.train().size() + " interactions");
      long t0 = System.nanoTime();
      Candidate.Fitted fitted = candidate.fit(train, explicitTrain);
      long t1 = System.nanoTime();
      Map<String, List<String>> recs = fitted.recommendAll(k).ids();
      long t2 = System.nanoTime();
      double[] predicted = explicitTest.isEmpty() ? null : fitted.predictStars(explicitTest);
      Double rmse = predicted == null ? null : rmse(predicted, explicitTest);
      ModelMetrics m = new ModelMetrics(candidate.name(),
          RankingMetrics.precisionAtK(recs, relevant, k), RankingMetrics.recallAtK(recs, relevant, k),
          RankingMetrics.ndcgAtK(recs, relevant, k), RankingMetrics.mapAtK(recs, relevant, k),
          RankingMetrics.catalogCoverage(recs, k, train.items()),
          RankingMetrics.novelty(recs, k, itemUsers, train.users()), rmse, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
      progress.accept(String.format(java.util.Locale.ROOT, "%s: nDCG@%d %.4f, MAP@%d %.4f (fit %.1fs, score %.1fs)",
          m.model(), k, m.ndcg(), k, m.map(), m.trainSeconds(), m.scoreSeconds()));
      results.add(m);
    }
    return results;
  }

  /** The best of {@code metrics} by nDCG, then MAP. */
  public static ModelMetrics best(List<ModelMetrics> metrics) {
    return metrics.stream()
        .max(Comparator.comparingDouble(ModelMetrics::ndcg).thenComparingDouble(ModelMetrics::map))
        .orElseThrow(() -> new IllegalStateException("no model could be evaluated"));
  }

  /** Test interactions with positive weight are relevant. */
  static Map<String, Set<String>> relevant(List<Rating> test, ToDoubleFunction<Rating> weight) {
    Map<String, Set<String>> out = new HashMap<>();
    for (Rating r : test) {
      if (weight.applyAsDouble(r) > 0) {
        out.computeIfAbsent(r.userId(), u -> new HashSet<>()).add(r.itemId());
      }
    }
    return out;
  }

  private static Double rmse(double[] predicted, List<Rating> actual) {
    List<double[]> pairs = new ArrayList<>();
    for (int n = 0; n < predicted.length; n++) {
      if (!Double.isNaN(predicted[n])) {
        pairs.add(new double[] {predicted[n], actual.get(n).value()});
      }
    }
    if (pairs.isEmpty()) {
      return null;
    }
    return RankingMetrics.rmse(pairs.stream().mapToDouble(p -> p[0]).toArray(),
        pairs.stream().mapToDouble(p -> p[1]).toArray());
  }
}
