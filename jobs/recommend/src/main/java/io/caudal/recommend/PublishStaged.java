package io.caudal.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caudal.recommend.spark.Publisher;
import io.caudal.schemas.Tables;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Publishes lists that {@code RecommendJob --stage DIR} staged: swaps {@code <stage>/recommendations}
 * in as {@code <root>/tables/recommendations} by renames and records the staged evaluation as
 * {@code <root>/reports/recommend/published.json}, the one the next candidate is compared with.
 * Running it again after it succeeded changes nothing.
 *
 * <pre>spark-submit --class io.caudal.recommend.PublishStaged caudal-recommend.jar --root URI --stage URI</pre>
 */
public final class PublishStaged {
  /** The evaluation of the lists in {@code tables/recommendations}, relative to the root. */
  public static final String PUBLISHED_EVALUATION = "reports/recommend/published.json";

  /** What a publication did: the version now live, and whether it already was. */
  public record Outcome(String modelVersion, String table, boolean alreadyPublished) {}

  /**
   * The command line of the publication.
   *
   * @param root Caudal root
   * @param stage the folder {@code RecommendJob --stage} wrote
   */
  record Options(String root, String stage) {
    /**
     * Parses the command line.
     *
     * @return the options, or empty when help was asked for
     * @throws UsageException naming the option and what is wrong with it
     */
    static Optional<Options> parse(String... args) {
      return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
    }

    static String usage() {
      return CommandLines.usage(new Cli());
    }
  }

  @Command(name = "PublishStaged", sortOptions = false, customSynopsis = "PublishStaged --root URI --stage URI",
      description = "Swaps the lists that RecommendJob --stage wrote in as tables/recommendations.")
  static final class Cli {
    @Option(names = "--root", paramLabel = "URI", description = "Caudal root (required)")
    String root;
    @Option(names = "--stage", paramLabel = "URI", description = "the folder RecommendJob --stage wrote (required)")
    String stage;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    Options toOptions() {
      if (root == null) {
        throw new UsageException("missing --root");
      }
      if (stage == null) {
        throw new UsageException("missing --stage");
      }
      return new Options(root, stage);
    }
  }

  private PublishStaged() {}

  public static void main(String[] args) {
    Optional<Options> parsed;
    try {
      parsed = Options.parse(args);
    } catch (UsageException e) {
      System.exit(CommandLines.refuse("caudal-recommend publish", e, System.err));
      return;
    }
    if (parsed.isEmpty()) {
      System.out.print(Options.usage());
      return;
    }
    Options options = parsed.get();
    SparkSession spark = SparkSession.builder().appName("caudal-recommend-publish")
        .master(System.getProperty("spark.master", "local[*]")).getOrCreate();
    int status = 0;
    try {
      Outcome outcome = publish(spark, options.root(), options.stage());
      System.out.println("{\"model_version\":\"" + outcome.modelVersion() + "\",\"table\":\"" + outcome.table()
          + "\",\"already_published\":" + outcome.alreadyPublished() + "}");
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("caudal-recommend publish: " + e.getMessage());
      status = 1;
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  public static Outcome publish(SparkSession spark, String root, String stage) throws IOException {
    Path stageDir = new Path(stage);
    String evaluation = Publisher.readText(spark, new Path(stageDir, Publisher.STAGED_EVALUATION).toString());
    if (evaluation == null) {
      throw new IllegalArgumentException("nothing staged at " + stage + ": no " + Publisher.STAGED_EVALUATION
          + " (run recommend with --stage first)");
    }
    JsonNode json = new ObjectMapper().readTree(evaluation);
    String version = json.path("model_version").asText(null);
    if (version == null) {
      throw new IllegalArgumentException(stage + "/" + Publisher.STAGED_EVALUATION + " names no model_version");
    }
    Path staged = new Path(stageDir, Publisher.STAGED_TABLE);
    FileSystem fs = staged.getFileSystem(spark.sparkContext().hadoopConfiguration());
    String table = Tables.RECOMMENDATIONS.location(root);
    boolean already = !fs.exists(staged);
    if (already && !version.equals(liveVersion(spark, fs, table))) {
      throw new IllegalArgumentException("nothing to publish at " + staged + " and " + table + " holds another version than "
          + version);
    }
    if (!already) {
      Publisher.swapIn(spark, root, staged);
    }
    Publisher.writeText(spark, new Path(root, PUBLISHED_EVALUATION).toString(), evaluation);
    return new Outcome(version, table, already);
  }

  private static String liveVersion(SparkSession spark, FileSystem fs, String table) throws IOException {
    if (!fs.exists(new Path(table))) {
      return null;
    }
    List<Row> rows = spark.read().parquet(table).select("modelVersion").limit(1).collectAsList();
    return rows.isEmpty() ? null : rows.get(0).getString(0);
  }
}
