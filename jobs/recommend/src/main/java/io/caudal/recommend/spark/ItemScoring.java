package io.caudal.recommend.spark;

import io.caudal.recommend.core.InteractionMatrix;
import io.caudal.recommend.core.TopK;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Scores every user on Spark: the model and the interactions are broadcast once, users are split
 * into partitions, and each task keeps only the top k unseen titles per user (seen titles are
 * excluded before the top-k selection, not filtered after it).
 */
final class ItemScoring {
  /** Scores of all items for one user index. */
  @FunctionalInterface
  interface Scorer<M> extends Serializable {
    double[] score(M model, InteractionMatrix matrix, int user);
  }

  private ItemScoring() {}

  static <M extends Serializable> Recommendations topK(JavaSparkContext spark, InteractionMatrix matrix, M model,
      Scorer<M> scorer, int k) {
    Broadcast<InteractionMatrix> sharedMatrix = spark.broadcast(matrix);
    Broadcast<M> sharedModel = spark.broadcast(model);
    List<Integer> users = IntStream.range(0, matrix.users()).boxed().toList();
    int partitions = Math.max(1, Math.min(users.size(), spark.defaultParallelism() * 4));
    List<Tuple2<String, List<Recommendations.Scored>>> lists = spark.parallelize(users, partitions)
        .map(u -> {
          InteractionMatrix m = sharedMatrix.value();
          double[] scores = scorer.score(sharedModel.value(), m, u);
          BitSet seen = new BitSet(m.items());
          for (int i : m.itemsOf(u)) {
            seen.set(i);
          }
          List<Recommendations.Scored> top = new ArrayList<>();
          for (int i : TopK.select(scores, k, seen)) {
            top.add(new Recommendations.Scored(m.itemId(i), scores[i]));
          }
          return new Tuple2<>(m.userId(u), top);
        })
        .collect();
    sharedMatrix.destroy();
    sharedModel.destroy();
    Map<String, List<Recommendations.Scored>> byUser = new HashMap<>();
    lists.forEach(t -> byUser.put(t._1(), t._2()));
    return new Recommendations(byUser);
  }
}
