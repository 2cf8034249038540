package io.caudal.recommend.spark;

import io.caudal.recommend.core.InteractionMatrix;
import io.caudal.recommend.core.Rating;
import java.util.List;

/**
 * A model the job can choose: fitted on a training matrix, it gives every user in it a top-k
 * of titles they have not interacted with.
 */
public interface Candidate {
  String name();

  /**
   * @param train the training interactions (weights already applied)
   * @param explicit the training star ratings, for models that use them (may be empty)
   */
  Fitted fit(InteractionMatrix train, List<Rating> explicit);

  /** A fitted model. */
  interface Fitted {
    /** Top {@code k} unseen titles for every user of the training matrix. */
    Recommendations recommendAll(int k);

    /** Predicted stars for (user, item) pairs, or null when the model does not predict stars. */
    default double[] predictStars(List<Rating> pairs) {
      return null;
    }

    /** Saves what the model learned under {@code dir} (a FileSystem URI). */
    void save(org.apache.spark.sql.SparkSession spark, String dir) throws java.io.IOException;
  }
}
