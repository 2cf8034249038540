package io.caudal.recommend;

import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Options of the recommend job, read from its command line.
 *
 * @param root Caudal root: reads {@code tables/qoe_sessions}, {@code tables/catalog}, writes
 *     {@code tables/recommendations}, {@code models/recommend/<version>}, {@code reports/recommend/<version>}
 * @param ratings star ratings table (default {@code <root>/tables/ratings}); optional
 * @param k the length of every list
 * @param movieLens a MovieLens folder to evaluate on instead of the platform's tables, or null
 * @param eval {@code ms-benchmark} (MovieLens only), {@code time} or {@code none}
 * @param report where the evaluation report goes (default under the root)
 * @param easeLambda EASE's L2 regularization, added to the diagonal of the item-item Gram matrix: any
 *     finite number above 0
 * @param alsRank ALS factors
 * @param alsIterations ALS iterations
 * @param seed seed of the splits and of ALS: any long
 * @param tuneTrials at most this many hyper-parameter settings measured per model on the validation split
 * @param tuneBudget seconds the whole hyper-parameter search may take (0: only the given settings)
 * @param stage when set, the lists and the evaluation go to this folder instead of
 *     {@code tables/recommendations}, for a scheduler to compare and publish with {@link PublishStaged}
 */
public record RecommendOptions(String root, String ratings, int k, String movieLens, String eval, String report,
    double easeLambda, int alsRank, int alsIterations, long seed, String stage, int tuneTrials, int tuneBudget)
    implements Serializable {

  public static final int DEFAULT_K = 10;
  public static final double DEFAULT_EASE_LAMBDA = 250.0;
  public static final int DEFAULT_ALS_RANK = 64;
  public static final int DEFAULT_ALS_ITERATIONS = 15;
  public static final long DEFAULT_SEED = 42;
  /** Enough for a pass over every parameter's neighbours and a few steps of walking. */
  public static final int DEFAULT_TUNE_TRIALS = 16;
  /** Ten minutes: a nightly run on a platform's history, or MovieLens 1M on two cores. */
  public static final int DEFAULT_TUNE_BUDGET = 600;
  /** The protocols of {@code --eval}. */
  public static final List<String> EVAL_PROTOCOLS = List.of("ms-benchmark", "time", "none");

  /**
   * Parses the command line.
   *
   * @return the options, or empty when help was asked for
   * @throws UsageException naming the option and what is wrong with it
   */
  public static Optional<RecommendOptions> parse(String... args) {
    return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
  }

  /** The help text: every option with its default. */
  public static String usage() {
    return CommandLines.usage(new Cli());
  }

  @Command(name = "caudal-recommend", sortOptions = false,
      customSynopsis = {
          "caudal-recommend --root URI [--stage URI] [OPTIONS]",
          "       caudal-recommend --movielens DIR [--eval ms-benchmark|time] [OPTIONS]"},
      description = "Trains and evaluates recommendation models and publishes top-N titles per user.")
  static final class Cli {
    @Option(names = "--root", paramLabel = "URI",
        description = "Caudal root: reads tables/qoe_sessions, tables/ratings, tables/catalog; writes "
            + "tables/recommendations, models/ and reports/ (required unless --movielens)")
    String root;
    @Option(names = "--ratings", paramLabel = "URI", description = "star ratings table (default <root>/tables/ratings)")
    String ratings;
    @Option(names = "--k", paramLabel = "N", description = "list length (default ${DEFAULT-VALUE})")
    int k = DEFAULT_K;
    @Option(names = "--movielens", paramLabel = "DIR",
        description = "evaluate on a MovieLens folder (100k or 1M layout) instead of the platform's tables")
    String movieLens;
    @Option(names = "--eval", paramLabel = "PROTOCOL",
        description = "ms-benchmark (with --movielens), time or none "
            + "(default ms-benchmark with --movielens, else time)")
    String eval;
    @Option(names = "--report", paramLabel = "DIR",
        description = "where the evaluation goes (default <root>/reports/recommend/<version>)")
    String report;
    @Option(names = "--stage", paramLabel = "URI",
        description = "write the lists and the evaluation here instead of publishing them (see PublishStaged)")
    String stage;
    @Option(names = "--ease-lambda", paramLabel = "L",
        description = "EASE's L2 regularization where its search starts, any finite number above 0, e.g. 0.5 "
            + "(default ${DEFAULT-VALUE})")
    double easeLambda = DEFAULT_EASE_LAMBDA;
    @Option(names = "--als-rank", paramLabel = "N",
        description = "ALS factors where the search starts (default ${DEFAULT-VALUE})")
    int alsRank = DEFAULT_ALS_RANK;
    @Option(names = "--als-iterations", paramLabel = "N", description = "ALS iterations (default ${DEFAULT-VALUE})")
    int alsIterations = DEFAULT_ALS_ITERATIONS;
    @Option(names = "--tune-trials", paramLabel = "N",
        description = "at most N hyper-parameter settings measured per model on the validation split "
            + "(default ${DEFAULT-VALUE})")
    int tuneTrials = DEFAULT_TUNE_TRIALS;
    @Option(names = "--tune-budget", paramLabel = "SECONDS",
        description = "time for the whole hyper-parameter search; 0 measures only the settings given "
            + "(default ${DEFAULT-VALUE})")
    int tuneBudget = DEFAULT_TUNE_BUDGET;
    @Option(names = "--seed", paramLabel = "S",
        description = "seed of the splits and of ALS, any long (default ${DEFAULT-VALUE})")
    long seed = DEFAULT_SEED;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    RecommendOptions toOptions() {
      CommandLines.atLeast("--k", 1, k);
      CommandLines.atLeast("--als-rank", 1, alsRank);
      CommandLines.atLeast("--als-iterations", 1, alsIterations);
      CommandLines.atLeast("--tune-trials", 1, tuneTrials);
      CommandLines.atLeast("--tune-budget", 0, tuneBudget);
      // G + lambda*I is positive definite for any lambda > 0, since the Gram matrix G is positive semi-definite.
      if (!(easeLambda > 0) || Double.isInfinite(easeLambda)) {
        throw new UsageException("--ease-lambda must be a finite number above 0, got '" + easeLambda + "'");
      }
      if (eval != null && !EVAL_PROTOCOLS.contains(eval)) {
        throw new UsageException("--eval must be ms-benchmark, time or none, got '" + eval + "'");
      }
      if (movieLens == null && root == null) {
        throw new UsageException("missing --root (or --movielens DIR to evaluate on MovieLens)");
      }
      if (movieLens == null && "ms-benchmark".equals(eval)) {
        throw new UsageException("--eval ms-benchmark needs --movielens DIR");
      }
      if (stage != null && movieLens != null) {
        throw new UsageException("--stage publishes platform lists; it does not go with --movielens");
      }
      String protocol = eval != null ? eval : movieLens != null ? "ms-benchmark" : "time";
      return new RecommendOptions(root, ratings, k, movieLens, protocol, report, easeLambda, alsRank, alsIterations,
          seed, stage, tuneTrials, tuneBudget);
    }
  }
}
