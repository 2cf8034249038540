package io.caudal.recommend.spark;

import io.caudal.recommend.core.InteractionMatrix;
import io.caudal.recommend.core.ItemItemModel;
import io.caudal.recommend.core.Rating;
import java.util.Arrays;
import java.util.List;
import java.io.IOException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Item-item models: EASE (a closed-form linear autoencoder, known to rank among the best on
 * top-N benchmarks) and the item co-occurrence baseline. The Gram matrix is built from the
 * interactions, solved on the driver, and users are scored on Spark.
 */
public final class ItemItemCandidate implements Candidate {
  private final JavaSparkContext spark;
  private final String name;
  private final double lambda;

  private ItemItemCandidate(JavaSparkContext spark, String name, double lambda) {
    this.spark = spark;
    this.name = name;
    this.lambda = lambda;
  }

  /** EASE with L2 regularization {@code lambda} on binary interactions. */
  public static ItemItemCandidate ease(JavaSparkContext spark, double lambda) {
    return new ItemItemCandidate(spark, "ease", lambda);
  }

  public static ItemItemCandidate coOccurrence(JavaSparkContext spark) {
    return new ItemItemCandidate(spark, "cooccurrence", 0);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Fitted fit(InteractionMatrix train, List<Rating> explicit) {
    double[] gram = train.gram(true);
    ItemItemModel model = name.equals("ease")
        ? ItemItemModel.ease(gram, train.items(), lambda)
        : ItemItemModel.coOccurrence(gram, train.items());
    return new Fitted() {
      @Override
      public Recommendations recommendAll(int k) {
        return ItemScoring.topK(spark, train, model, (m, matrix, u) -> {
          int[] items = matrix.itemsOf(u);
          double[] ones = new double[items.length];
          Arrays.fill(ones, 1.0);
          return m.score(items, ones);
        }, k);
      }

      @Override
      public void save(SparkSession session, String dir) throws IOException {
        // Row i of the item-item matrix is the scores item i contributes: one item's weights per row.
        Publisher.writeModel(session, dir, "item_item", train, i -> {
          int[] one = {i};
          return model.score(one, new double[] {1.0});
        });
      }
    };
  }
}
