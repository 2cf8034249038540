package io.caudal.recommend.spark;

import io.caudal.schemas.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes outputs through Hadoop's FileSystem so that readers never see a half-written one: the
 * recommendations table is written complete under a hidden staging folder and swapped in by
 * renames; text files are written to a temporary name and renamed.
 */
public final class Publisher {
  static final StructType SCHEMA = new StructType()
      .add("userId", DataTypes.StringType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("titleId", DataTypes.StringType, false)
      .add("score", DataTypes.DoubleType, false)
      .add("modelVersion", DataTypes.StringType, false);

  private Publisher() {}

  /** The staged lists under a stage folder (see {@link #stageRecommendations}). */
  public static final String STAGED_TABLE = "recommendations";
  /** The staged evaluation under a stage folder. */
  public static final String STAGED_EVALUATION = "evaluation.json";

  /** Replaces {@code <root>/tables/recommendations} with these lists; returns its location. */
  public static String publishRecommendations(SparkSession spark, String root,
      Map<String, List<Recommendations.Scored>> byUser, String modelVersion) throws IOException {
    Path staging = new Path(root, "tables/.staging/recommendations-" + UUID.randomUUID());
    write(spark, staging, byUser, modelVersion);
    return swapIn(spark, root, staging);
  }

  /**
   * Writes the lists to {@code <stage>/recommendations} and the evaluation to
   * {@code <stage>/evaluation.json}, replacing what an earlier try left there; the published
   * table is not touched. Returns the staged table's location.
   */
  public static String stageRecommendations(SparkSession spark, String stage,
      Map<String, List<Recommendations.Scored>> byUser, String modelVersion, String evaluationJson) throws IOException {
    Path stageDir = new Path(stage);
    FileSystem fs = stageDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.delete(stageDir, true);
    Path staged = new Path(stageDir, STAGED_TABLE);
    write(spark, staged, byUser, modelVersion);
    // The evaluation comes last: a stage with an evaluation is a complete one.
    writeText(spark, new Path(stageDir, STAGED_EVALUATION).toString(), evaluationJson);
    return staged.toString();
  }

  private static void write(SparkSession spark, Path dir, Map<String, List<Recommendations.Scored>> byUser,
      String modelVersion) {
    List<Row> rows = new ArrayList<>();
    byUser.forEach((user, list) -> {
      for (int n = 0; n < list.size(); n++) {
        rows.add(RowFactory.create(user, n + 1, list.get(n).itemId(), list.get(n).score(), modelVersion));
      }
    });
    spark.createDataFrame(rows, SCHEMA).orderBy("userId", "rank").coalesce(1)
        .write().mode(SaveMode.ErrorIfExists).parquet(dir.toString());
  }

  /**
   * Puts a complete table folder in place of {@code <root>/tables/recommendations} by renames (the
   * previous one is moved aside first and put back if the second rename fails); returns the table.
   */
  public static String swapIn(SparkSession spark, String root, Path staging) throws IOException {
    Path table = new Path(Tables.RECOMMENDATIONS.location(root));
    Path retired = new Path(root, "tables/.staging/retired-" + UUID.randomUUID());
    FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.mkdirs(retired.getParent());
    boolean hadTable = fs.exists(table);
    if (hadTable && !fs.rename(table, retired)) {
      fs.delete(staging, true);
      throw new IOException("cannot move the previous " + table + " aside");
    }
    if (!fs.rename(staging, table)) {
      if (hadTable) {
        fs.rename(retired, table); // put the previous lists back
      }
      fs.delete(staging, true);
      throw new IOException("cannot publish " + table);
    }
    if (hadTable) {
      fs.delete(retired, true);
    }
    return table.toString();
  }

  /**
   * Saves a model as rows of floats, one per item (little-endian float32, {@code <name>.f32}), with
   * the item ids in the same order ({@code items.txt}).
   */
  public static void writeModel(SparkSession spark, String dir, String name,
      io.caudal.recommend.core.InteractionMatrix matrix, java.util.function.IntFunction<double[]> row)
      throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path target = new Path(dir, name + ".f32");
    FileSystem fs = target.getFileSystem(conf);
    fs.setWriteChecksum(false);
    Path temp = new Path(dir, "." + name + "." + UUID.randomUUID() + ".tmp");
    StringBuilder ids = new StringBuilder();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(fs.create(temp)))) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < matrix.items(); i++) {
        for (double v : row.apply(i)) {
          buf.clear();
          out.write(buf.putFloat((float) v).array());
        }
        ids.append(matrix.itemId(i)).append('\n');
      }
    }
    fs.delete(target, false);
    if (!fs.rename(temp, target)) {
      throw new IOException("cannot write " + target);
    }
    writeText(spark, dir + "/items.txt", ids.toString());
  }

  /** The text of {@code uri}, or null when there is no such file. */
  public static String readText(SparkSession spark, String uri) throws IOException {
    Path path = new Path(uri);
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(path)) {
      return null;
    }
    try (var in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Writes {@code text} to {@code uri} through a temporary file and a rename. */
  public static void writeText(SparkSession spark, String uri, String text) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path target = new Path(uri);
    FileSystem fs = target.getFileSystem(conf);
    fs.setWriteChecksum(false);
    fs.mkdirs(target.getParent());
    Path temp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try (FSDataOutputStream out = fs.create(temp, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(target, false);
    if (!fs.rename(temp, target)) {
      fs.delete(temp, false);
      throw new IOException("cannot write " + target);
    }
  }
}
