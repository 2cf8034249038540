package io.caudal.transcode;

import io.caudal.transcode.spark.Progress;
import io.caudal.transcode.spark.Transcoder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One Spark local[2] context per test class, UI off, bound to loopback. */
abstract class SparkTestBase {
  protected static JavaSparkContext spark;

  @BeforeAll
  static void startSpark() {
    SparkConf conf = new SparkConf()
        .setMaster("local[2]")
        .setAppName("caudal-transcode-test")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
    spark = new JavaSparkContext(conf);
    spark.setLogLevel("WARN");
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }

  protected static Transcoder.Result transcode(File input, String root, String... extra) throws IOException {
    return transcode(input.getPath(), root, extra);
  }

  protected static Transcoder.Result transcode(String input, String root, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("--input", input, "--name", input.substring(input.lastIndexOf('/') + 1),
        "--category", "test", "--root", root, "--segment-seconds", "2", "--segments-per-chunk", "2"));
    args.addAll(List.of(extra));
    return new Transcoder(spark, TranscodeOptions.parse(args.toArray(String[]::new)), new Progress(System.out)).run();
  }

  /** Every file under {@code dir}, relative, sorted; empty when it does not exist. */
  protected static List<String> filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
