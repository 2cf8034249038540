package io.caudal.recommend;

import java.io.Serializable;

/**
 * Options of the recommend job.
 *
 * @param root Caudal root: reads {@code tables/qoe_sessions}, {@code tables/catalog}, writes
 *     {@code tables/recommendations}, {@code models/recommend/<version>}, {@code reports/recommend/<version>}
 * @param ratings star ratings table (default {@code <root>/tables/ratings}); optional
 * @param movieLens a MovieLens folder to evaluate on instead of the platform's tables, or null
 * @param eval {@code ms-benchmark} (MovieLens only), {@code time} or {@code none}
 * @param report where the evaluation report goes (default under the root)
 * @param stage when set, the lists and the evaluation go to this folder instead of
 *     {@code tables/recommendations}, for a scheduler to compare and publish with {@link PublishStaged}
 */
public record RecommendOptions(String root, String ratings, int k, String movieLens, String eval, String report,
    double easeLambda, int alsRank, int alsIterations, long seed, String stage) implements Serializable {

  public static final int DEFAULT_K = 10;
  public static final double DEFAULT_EASE_LAMBDA = 250.0;
  public static final long DEFAULT_SEED = 42;

  static final String USAGE = """
      usage: caudal-recommend --root URI [--ratings URI] [--k 10] [--eval time|none] [--stage URI]
             caudal-recommend --movielens DIR --eval ms-benchmark|time [--report DIR]
        [--ease-lambda 250] [--als-rank 64] [--als-iterations 15] [--seed 42]""";

  public static RecommendOptions parse(String... args) {
    String root = null, ratings = null, movieLens = null, eval = null, report = null, stage = null;
    int k = DEFAULT_K, rank = 64, iterations = 15;
    double lambda = DEFAULT_EASE_LAMBDA;
    long seed = DEFAULT_SEED;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (!option.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + option + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--root" -> root = value;
        case "--ratings" -> ratings = value;
        case "--k" -> k = positive(option, value);
        case "--movielens" -> movieLens = value;
        case "--eval" -> {
          if (!value.equals("ms-benchmark") && !value.equals("time") && !value.equals("none")) {
            throw new IllegalArgumentException("--eval must be ms-benchmark, time or none, got '" + value + "'");
          }
          eval = value;
        }
        case "--report" -> report = value;
        case "--stage" -> stage = value;
        case "--ease-lambda" -> lambda = positive(option, value);
        case "--als-rank" -> rank = positive(option, value);
        case "--als-iterations" -> iterations = positive(option, value);
        case "--seed" -> seed = positive(option, value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (movieLens == null && root == null) {
      throw new IllegalArgumentException("missing --root (or --movielens DIR to evaluate on MovieLens)");
    }
    if (movieLens == null && "ms-benchmark".equals(eval)) {
      throw new IllegalArgumentException("--eval ms-benchmark needs --movielens DIR");
    }
    if (stage != null && movieLens != null) {
      throw new IllegalArgumentException("--stage publishes platform lists; it does not go with --movielens");
    }
    if (eval == null) {
      eval = movieLens != null ? "ms-benchmark" : "time";
    }
    return new RecommendOptions(root, ratings, k, movieLens, eval, report, lambda, rank, iterations, seed, stage);
  }

  private static int positive(String option, String value) {
    try {
      int v = (int) Double.parseDouble(value);
      if (v <= 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a positive number, got '" + value + "'");
    }
  }
}
