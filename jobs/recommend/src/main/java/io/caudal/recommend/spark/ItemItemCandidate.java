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
 * top-N benchmarks), RP3beta (a popularity-penalised random walk over the item-user graph, as
 * strong on many benchmarks, and sparse) and the item co-occurrence baseline. The item-item
 * weights are built from the binary interactions on the driver, and users are scored on Spark.
 */
public final class ItemItemCandidate implements Candidate {
  /** Builds the item-item weights from the training interactions. */
  private interface Builder {
    ItemItemModel build(InteractionMatrix train);
  }

  private final JavaSparkContext spark;
  private final String name;
  private final Builder builder;

  private ItemItemCandidate(JavaSparkContext spark, String name, Builder builder) {
    this.spark = spark;
    this.name = name;
    this.builder = builder;
  }

  /** EASE with L2 regularization {@code lambda} on binary interactions. */
  public static ItemItemCandidate ease(JavaSparkContext spark, double lambda) {
    return new ItemItemCandidate(spark, "ease", train -> ItemItemModel.ease(train.gram(true), train.items(), lambda));
  }

  /** RP3beta on binary interactions; see {@link ItemItemModel#rp3beta}. */
  public static ItemItemCandidate rp3beta(JavaSparkContext spark, double alpha, double beta, int neighbours) {
    return new ItemItemCandidate(spark, "rp3beta", train -> ItemItemModel.rp3beta(train, alpha, beta, neighbours));
  }

  public static ItemItemCandidate coOccurrence(JavaSparkContext spark) {
    return new ItemItemCandidate(spark, "cooccurrence",
        train -> ItemItemModel.coOccurrence(train.gram(true), train.items()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Fitted fit(InteractionMatrix train, List<Rating> explicit) {
    ItemItemModel model = builder.build(train);
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
