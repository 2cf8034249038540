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

  /** Replaces {@code <root>/tables/recommendations} with these lists; returns its location. */
  public static String publishRecommendations(SparkSession spark, String root,
      Map<String, List<Recommendations.Scored>> byUser, String modelVersion) throws IOException {
    List<Row> rows = new ArrayList<>();
    byUser.forEach((user, list) -> {
      for (int n = 0; n < list.size(); n++) {
        rows.add(RowFactory.create(user, n + 1, list.get(n).itemId(), list.get(n).score(), modelVersion));
      }
    });
    Path table = new Path(Tables.RECOMMENDATIONS.location(root));
    Path staging = new Path(root, "tables/.staging/recommendations-" + UUID.randomUUID());
    Path retired = new Path(root, "tables/.staging/retired-" + UUID.randomUUID());
    spark.createDataFrame(rows, SCHEMA).orderBy("userId", "rank").coalesce(1)
        .write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
    FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
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
