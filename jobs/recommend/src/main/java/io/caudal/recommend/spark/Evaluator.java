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
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Fits candidates on a split's train part and measures them on its test part, the same way for all
 * of them; the job picks the best by nDCG@k on a validation split carved from train alone.
 */
public final class Evaluator {
  private final ToDoubleFunction<Rating> weight;
  private final int k;

  public Evaluator(ToDoubleFunction<Rating> weight, int k) {
    this.weight = weight;
    this.k = k;
  }

  /** A split made ready once (its matrix, relevant titles, popularity) for any number of candidates. */
  public final class OnSplit {
    private final Splits.Split split;
    private final List<Rating> explicitTrain;
    private final List<Rating> explicitTest;
    private final InteractionMatrix train;
    private final Map<String, Set<String>> relevant;
    private final Map<String, Long> itemUsers = new HashMap<>();

    private OnSplit(Splits.Split split, List<Rating> explicitTrain, List<Rating> explicitTest) {
      this.split = split;
      this.explicitTrain = explicitTrain;
      this.explicitTest = explicitTest;
      this.train = InteractionMatrix.of(split.train(), weight);
      this.relevant = relevant(split.test(), weight);
      long[] counts = train.itemUserCounts();
      for (int i = 0; i < counts.length; i++) {
        itemUsers.put(train.itemId(i), counts[i]);
      }
    }

    /** False for the model of star ratings when this split has none to learn from. */
    public boolean canFit(String model) {
      return !(model.equals("als-explicit") && explicitTrain.isEmpty());
    }

    /** Fits {@code candidate} on train and measures it on test; {@code label} names it in progress lines. */
    public ModelMetrics measure(Candidate candidate, String label, Consumer<String> progress) {
      progress.accept("fitting " + label + " on " + split.train().size() + " interactions");
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
          label, k, m.ndcg(), k, m.map(), m.trainSeconds(), m.scoreSeconds()));
      return m;
    }
  }

  /** {@code split} made ready for measuring candidates, with the star ratings of its two parts. */
  public OnSplit on(Splits.Split split, List<Rating> explicitTrain, List<Rating> explicitTest) {
    return new OnSplit(split, explicitTrain, explicitTest);
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
