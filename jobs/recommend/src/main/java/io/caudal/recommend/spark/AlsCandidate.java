package io.caudal.recommend.spark;

import io.caudal.recommend.core.InteractionMatrix;
import io.caudal.recommend.core.Rating;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark MLlib ALS, implicit (confidence-weighted interactions) or explicit (star ratings).
 * {@code recommendForAllUsers} would return titles the user has already seen, so users are
 * scored here from the factors with seen titles excluded before the top-k.
 */
public final class AlsCandidate implements Candidate {
  /**
   * Iterations between checkpoints. Without a checkpoint directory Spark ignores the interval,
   * and the factors' lineage grows until deserializing a task overflows the thread stack (seen
   * at 15 iterations on MovieLens-1M-sized data, well before the often quoted 30).
   */
  static final int CHECKPOINT_INTERVAL = 10;

  /**
   * ALS hyper-parameters.
   *
   * @param alpha confidence scaling for implicit feedback
   * @param blockSize rows per block in ALS's blockified matrix products
   */
  public record Params(int rank, int iterations, double regParam, double alpha, int blockSize, long seed)
      implements Serializable {
    public static Params implicitDefaults() {
      return new Params(64, 15, 0.05, 20.0, 4096, 42);
    }

    public static Params explicitDefaults() {
      return new Params(32, 15, 0.1, 1.0, 4096, 42);
    }

    /** These settings with another rank, iteration count and seed. */
    public Params with(int rank, int iterations, long seed) {
      return new Params(rank, iterations, regParam, alpha, blockSize, seed);
    }
  }

  private final SparkSession spark;
  private final boolean implicit;
  private final Params params;
  private final String checkpointDir;

  private AlsCandidate(SparkSession spark, boolean implicit, Params params, String checkpointDir) {
    this.spark = spark;
    this.implicit = implicit;
    this.params = params;
    this.checkpointDir = checkpointDir;
  }

  public static AlsCandidate implicitFeedback(SparkSession spark, Params params, String checkpointDir) {
    return new AlsCandidate(spark, true, params, checkpointDir);
  }

  public static AlsCandidate explicitStars(SparkSession spark, Params params, String checkpointDir) {
    return new AlsCandidate(spark, false, params, checkpointDir);
  }

  @Override
  public String name() {
    return implicit ? "als-implicit" : "als-explicit";
  }

  @Override
  public Fitted fit(InteractionMatrix train, List<Rating> explicit) {
    if (params.iterations() > CHECKPOINT_INTERVAL) {
      spark.sparkContext().setCheckpointDir(checkpointDir);
    }
    // One block per task slot: ALS's default of 10 blocks only adds shuffle overhead on a few cores.
    int blocks = Math.max(2, spark.sparkContext().defaultParallelism());
    Dataset<Row> rows = implicit ? implicitRows(train) : explicitRows(train, explicit);
    ALS als = new ALS().setUserCol("user").setItemCol("item").setRatingCol("rating")
        .setImplicitPrefs(implicit).setRank(params.rank()).setMaxIter(params.iterations())
        .setRegParam(params.regParam()).setAlpha(params.alpha()).setBlockSize(params.blockSize())
        .setSeed(params.seed()).setCheckpointInterval(CHECKPOINT_INTERVAL).setColdStartStrategy("nan")
        .setNumUserBlocks(blocks).setNumItemBlocks(blocks);
    ALSModel model = als.fit(rows);
    float[][] itemFactors = factors(model.itemFactors(), train.items());
    float[][] userFactors = factors(model.userFactors(), train.users());
    Factors f = new Factors(userFactors, itemFactors);
    return new Fitted() {
      @Override
      public Recommendations recommendAll(int k) {
        return ItemScoring.topK(new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()), train, f,
            (fac, matrix, u) -> fac.scores(u), k);
      }

      @Override
      public void save(SparkSession session, String dir) throws java.io.IOException {
        model.write().overwrite().save(dir + "/als");
        Publisher.writeText(session, dir + "/users.txt", String.join("\n", ids(train.users(), train::userId)) + "\n");
        Publisher.writeText(session, dir + "/items.txt", String.join("\n", ids(train.items(), train::itemId)) + "\n");
      }

      @Override
      public double[] predictStars(List<Rating> pairs) {
        if (implicit) {
          return null;
        }
        double[] out = new double[pairs.size()];
        for (int n = 0; n < pairs.size(); n++) {
          int u = train.userIndex(pairs.get(n).userId());
          int i = train.itemIndex(pairs.get(n).itemId());
          out[n] = u < 0 || i < 0 ? Double.NaN : f.dot(u, i);
        }
        return out;
      }
    };
  }

  /** Both factor matrices, indexed like the training matrix (absent rows are zeros). */
  record Factors(float[][] users, float[][] items) implements Serializable {
    double[] scores(int u) {
      double[] out = new double[items.length];
      float[] x = users[u];
      if (x == null) {
        return out;
      }
      for (int i = 0; i < items.length; i++) {
        out[i] = items[i] == null ? Double.NEGATIVE_INFINITY : dot(x, items[i]);
      }
      return out;
    }

    double dot(int u, int i) {
      return users[u] == null || items[i] == null ? Double.NaN : dot(users[u], items[i]);
    }

    private static double dot(float[] a, float[] b) {
      double s = 0;
      for (int r = 0; r < a.length; r++) {
        s += a[r] * b[r];
      }
      return s;
    }
  }

  /** The ids behind ALS's integer user and item columns, in index order. */
  private static List<String> ids(int count, java.util.function.IntFunction<String> id) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(id.apply(i));
    }
    return out;
  }

  private static float[][] factors(Dataset<Row> factors, int size) {
    float[][] out = new float[size][];
    for (Row row : factors.collectAsList()) {
      List<Float> values = row.getList(1);
      float[] v = new float[values.size()];
      for (int r = 0; r < v.length; r++) {
        v[r] = values.get(r);
      }
      out[row.getInt(0)] = v;
    }
    return out;
  }

  private static final StructType SCHEMA = new StructType()
      .add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType).add("rating", DataTypes.FloatType);

  private Dataset<Row> implicitRows(InteractionMatrix train) {
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < train.users(); u++) {
      int[] items = train.itemsOf(u);
      double[] weights = train.weightsOf(u);
      for (int n = 0; n < items.length; n++) {
        rows.add(RowFactory.create(u, items[n], (float) weights[n]));
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  private Dataset<Row> explicitRows(InteractionMatrix train, List<Rating> explicit) {
    List<Row> rows = new ArrayList<>();
    for (Rating r : explicit) {
      int u = train.userIndex(r.userId());
      int i = train.itemIndex(r.itemId());
      if (u >= 0 && i >= 0) {
        rows.add(RowFactory.create(u, i, (float) r.value()));
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
