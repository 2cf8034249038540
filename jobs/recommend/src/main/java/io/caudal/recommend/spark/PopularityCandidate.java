package io.caudal.recommend.spark;

import io.caudal.recommend.core.InteractionMatrix;
import io.caudal.recommend.core.Rating;
import java.util.List;
import java.io.IOException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The global popularity baseline: the titles most users interacted with, unseen ones first. */
public final class PopularityCandidate implements Candidate {
  private final JavaSparkContext spark;

  public PopularityCandidate(JavaSparkContext spark) {
    this.spark = spark;
  }

  @Override
  public String name() {
    return "popularity";
  }

  @Override
  public Fitted fit(InteractionMatrix train, List<Rating> explicit) {
    long[] users = train.itemUserCounts();
    double[] popularity = new double[users.length];
    for (int i = 0; i < users.length; i++) {
      popularity[i] = users[i];
    }
    return new Fitted() {
      @Override
      public Recommendations recommendAll(int k) {
        return ItemScoring.topK(spark, train, popularity, (p, matrix, u) -> p, k);
      }

      @Override
      public void save(SparkSession session, String dir) throws IOException {
        Publisher.writeModel(session, dir, "popularity", train, i -> new double[] {popularity[i]});
      }
    };
  }
}
