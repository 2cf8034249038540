package io.caudal.recommend.spark;

import io.caudal.recommend.core.ParameterSearch;
import io.caudal.recommend.core.ParameterSearch.Parameter;
import io.caudal.recommend.core.ParameterSearch.Point;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Every model the job can choose, each with the grid its hyper-parameters are searched on and the
 * point the search starts from (the job's options, or the defaults below).
 *
 * <p>The grids span what the literature reports as good on MovieLens-like data (EASE's λ from tens to
 * thousands, RP3beta's α near 1 and β between 0 and 1, ALS's regularization and confidence across
 * decades) with a step small enough that a neighbour is a real alternative.
 */
public final class CandidateGrid {
  /** EASE: L2 regularization. */
  static final Parameter EASE_LAMBDA = Parameter.of("lambda", 10, 25, 50, 100, 250, 500, 1000, 2500, 5000);

  static final Parameter RP3_ALPHA = Parameter.of("alpha", 0.25, 0.5, 0.75, 1.0, 1.25, 1.5);
  static final Parameter RP3_BETA = Parameter.of("beta", 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8);
  static final Parameter RP3_NEIGHBOURS = Parameter.of("neighbours", 10, 25, 50, 100, 200, 500);
  /** Where RP3beta starts: the plain walk, a mild popularity penalty, 100 neighbours. */
  static final Map<String, Double> RP3_START = Map.of("alpha", 1.0, "beta", 0.3, "neighbours", 100.0);

  static final Parameter ALS_RANK = Parameter.of("rank", 8, 16, 32, 64, 128);
  static final Parameter ALS_REG = Parameter.of("regParam", 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5);
  static final Parameter ALS_ALPHA = Parameter.of("alpha", 1, 2.5, 5, 10, 20, 40, 80);

  /**
   * A kind of model: its name, the search over its hyper-parameters (none for the baselines) and how a
   * point of it becomes a candidate.
   */
  public record Family(String name, ParameterSearch search, Function<Point, Candidate> candidate,
      ToDoubleFunction<Point> cost) {
    /** A family whose points all take about as long to measure. */
    Family(String name, ParameterSearch search, Function<Point, Candidate> candidate) {
      this(name, search, candidate, p -> 1);
    }

    /** True when there is nothing to search: one point only. */
    public boolean fixed() {
      return search.parameters().stream().allMatch(p -> p.values().size() == 1);
    }
  }

  private CandidateGrid() {}

  /**
   * Every family in the order they are searched (cheap ones first, so the time they leave goes to
   * ALS), starting from the given settings.
   *
   * @param easeLambda EASE's start
   * @param alsRank implicit ALS's start rank (explicit ALS starts at this or 32, the smaller)
   * @param alsIterations ALS iterations, not searched (more is slower, rarely worse)
   * @param checkpoints where ALS checkpoints its lineage
   */
  public static List<Family> families(SparkSession spark, double easeLambda, int alsRank, int alsIterations,
      long seed, String checkpoints) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    AlsCandidate.Params implicitDefaults = AlsCandidate.Params.implicitDefaults();
    AlsCandidate.Params explicitDefaults = AlsCandidate.Params.explicitDefaults();
    // Star ratings are fewer than viewings: the explicit model starts at no more factors than its default.
    int explicitRank = Math.min(explicitDefaults.rank(), alsRank);
    return List.of(
        new Family("popularity", none(), p -> new PopularityCandidate(sc)),
        new Family("cooccurrence", none(), p -> ItemItemCandidate.coOccurrence(sc)),
        new Family("ease", new ParameterSearch(List.of(EASE_LAMBDA), Map.of("lambda", easeLambda)),
            p -> ItemItemCandidate.ease(sc, p.get("lambda"))),
        new Family("rp3beta", new ParameterSearch(List.of(RP3_ALPHA, RP3_BETA, RP3_NEIGHBOURS), RP3_START),
            p -> ItemItemCandidate.rp3beta(sc, p.get("alpha"), p.get("beta"), (int) p.get("neighbours"))),
        new Family("als-explicit", new ParameterSearch(List.of(ALS_RANK, ALS_REG),
            Map.of("rank", (double) explicitRank, "regParam", explicitDefaults.regParam())),
            p -> AlsCandidate.explicitStars(spark, new AlsCandidate.Params((int) p.get("rank"), alsIterations,
                p.get("regParam"), explicitDefaults.alpha(), explicitDefaults.blockSize(), seed), checkpoints),
            CandidateGrid::alsCost),
        new Family("als-implicit", new ParameterSearch(List.of(ALS_RANK, ALS_REG, ALS_ALPHA),
            Map.of("rank", (double) alsRank, "regParam", implicitDefaults.regParam(), "alpha", implicitDefaults.alpha())),
            p -> AlsCandidate.implicitFeedback(spark, new AlsCandidate.Params((int) p.get("rank"), alsIterations,
                p.get("regParam"), p.get("alpha"), implicitDefaults.blockSize(), seed), checkpoints),
            CandidateGrid::alsCost));
  }

  /**
   * ALS's time grows with the cube of the rank (a rank × rank solve per user and title; measured: rank 128
   * took 8.7 times as long as rank 64 on MovieLens 1M's size), so the search does not start a doubling
   * its budget cannot pay for.
   */
  static double alsCost(Point p) {
    return Math.pow(p.get("rank"), 3);
  }

  private static ParameterSearch none() {
    return new ParameterSearch(List.of(), Map.of());
  }
}
