package io.caudal.recommend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caudal.recommend.core.ColdStart;
import io.caudal.recommend.core.InteractionMatrix;
import io.caudal.recommend.core.ModelMetrics;
import io.caudal.recommend.core.ModelTuning;
import io.caudal.recommend.core.MovieLens;
import io.caudal.recommend.core.ParameterSearch;
import io.caudal.recommend.core.Rating;
import io.caudal.recommend.core.Report;
import io.caudal.recommend.core.Splits;
import io.caudal.recommend.spark.Candidate;
import io.caudal.recommend.spark.CandidateGrid;
import io.caudal.recommend.spark.Evaluator;
import io.caudal.recommend.spark.PlatformData;
import io.caudal.recommend.spark.Publisher;
import io.caudal.recommend.spark.Recommendations;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point: {@code spark-submit --class io.caudal.recommend.RecommendJob caudal-recommend.jar
 * --root URI}. Two uses:
 * <ul>
 *   <li>on the platform's tables: pick the best model by a time-ordered validation, refit it on
 *       all history, write top-N per user (with cold start) to {@code tables/recommendations},
 *       save the model and the evaluation;</li>
 *   <li>on a MovieLens folder ({@code --movielens DIR --eval ms-benchmark}): the public
 *       Microsoft Recommenders benchmark protocol, printing one JSON line of metrics.</li>
 * </ul>
 */
public final class RecommendJob {
  /** Share of history used for training in the splits; the rest is held out. */
  static final double TRAIN_RATIO = 0.75;

  private final SparkSession spark;
  private final RecommendOptions options;
  private final String version;

  /** What a run produced: the evaluation JSON and, on the platform, where the table went. */
  public record Result(ObjectNode evaluation, String chosen, long users, String table) {}

  public RecommendJob(SparkSession spark, RecommendOptions options) {
    this.spark = spark;
    this.options = options;
    this.version = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'", Locale.ROOT)
        .withZone(ZoneOffset.UTC).format(Instant.now());
  }

  public static void main(String[] args) {
    Optional<RecommendOptions> parsed;
    try {
      parsed = RecommendOptions.parse(args);
    } catch (UsageException e) {
      System.exit(CommandLines.refuse("caudal-recommend", e, System.err));
      return;
    }
    if (parsed.isEmpty()) {
      System.out.print(RecommendOptions.usage());
      return;
    }
    RecommendOptions options = parsed.get();
    SparkSession spark = SparkSession.builder().appName("caudal-recommend")
        .master(System.getProperty("spark.master", "local[*]")).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int status = 0;
    try {
      Result result = new RecommendJob(spark, options).run();
      System.out.println(Report.toJson(result.evaluation()));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("caudal-recommend: " + e.getMessage());
      status = 1;
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  public Result run() throws IOException {
    return options.movieLens() != null ? evaluateMovieLens() : runOnPlatform();
  }

  private List<CandidateGrid.Family> families() {
    String checkpoints = (options.root() != null ? options.root() : System.getProperty("java.io.tmpdir"))
        + "/tmp/als-checkpoints";
    return CandidateGrid.families(spark, options.easeLambda(), options.alsRank(), options.alsIterations(),
        options.seed(), checkpoints);
  }

  /** The MovieLens protocols: every rating is a positive interaction, the stars feed explicit ALS. */
  private Result evaluateMovieLens() throws IOException {
    MovieLens.Dataset data = MovieLens.read(Path.of(options.movieLens()));
    String dataset = data.layout() + " at " + options.movieLens() + ": " + data.ratings().size() + " ratings";
    progress(dataset + (data.problems().total() > 0 ? "; refused " + data.problems().summary() : ""));
    ToDoubleFunction<Rating> everyRating = r -> 1.0;
    boolean msBenchmark = options.eval().equals("ms-benchmark");
    Splits.Split split = msBenchmark
        ? Splits.stratifiedByItem(data.ratings(), TRAIN_RATIO, options.seed())
        : Splits.byTime(data.ratings(), TRAIN_RATIO);
    String protocol = msBenchmark
        ? "Microsoft Recommenders MovieLens benchmark: 75/25 split per item, seed " + options.seed()
            + ", every test rating relevant, k=" + options.k() + ", seen items removed, MAP over relevant items"
        : "time-ordered 75/25 split, every later rating relevant, k=" + options.k();
    return evaluate(protocol, dataset, split, everyRating, data.ratings(), data.problems().summary(), null);
  }

  private Result runOnPlatform() throws IOException {
    PlatformData data = PlatformData.load(spark, options.root(), options.ratings());
    if (data.problems().total() > 0) {
      progress("refused input: " + data.problems().summary());
    }
    String dataset = data.interactions().size() + " interactions of " + data.segments().size()
        + " users from qoe_sessions and ratings under " + options.root();
    ToDoubleFunction<Rating> weight = Rating::value;
    Splits.Split split = Splits.byTime(data.interactions(), TRAIN_RATIO);
    return evaluate("time-ordered 75/25 split of viewing history, k=" + options.k(), dataset, split, weight,
        data.stars(), data.problems().summary(), data);
  }

  /**
   * Chooses every model's hyper-parameters, and then the model, on a validation split of train alone
   * (nothing of the test part leaks into either choice), reports every model with its chosen settings on
   * the test part, and, on the platform, refits the chosen model on all history and publishes its lists.
   */
  private Result evaluate(String protocol, String dataset, Splits.Split split, ToDoubleFunction<Rating> weight,
      List<Rating> stars, String problems, PlatformData platform) throws IOException {
    List<CandidateGrid.Family> families = families();
    Evaluator evaluator = new Evaluator(weight, options.k());
    boolean msBenchmark = "ms-benchmark".equals(options.eval()) && options.movieLens() != null;
    Splits.Split validation = msBenchmark
        ? Splits.stratifiedByItem(split.train(), TRAIN_RATIO, options.seed() + 1)
        : Splits.byTime(split.train(), TRAIN_RATIO);
    progress("choosing each model's hyper-parameters, then the model, on a validation split of the training part ("
        + searchBounds() + ")");
    Map<String, ModelTuning> tuning = tune(families,
        evaluator.on(validation, starsIn(stars, validation.train()), starsIn(stars, validation.test())));
    ModelMetrics best = Evaluator.best(tuning.values().stream().map(t -> t.best().validation()).toList());
    progress("chosen: " + best.model() + " " + tuning.get(best.model()).best().point()
        + "; measuring every model on the held-out part");
    Evaluator.OnSplit onTest = evaluator.on(split, starsIn(stars, split.train()), starsIn(stars, split.test()));
    List<ModelMetrics> results = new ArrayList<>();
    Map<String, Candidate> tuned = new LinkedHashMap<>();
    for (CandidateGrid.Family family : families) {
      ModelTuning t = tuning.get(family.name());
      Candidate candidate = family.candidate().apply(t != null ? t.best().point() : family.search().start());
      tuned.put(family.name(), candidate);
      if (onTest.canFit(family.name())) {
        results.add(onTest.measure(candidate, family.name(), RecommendJob::progress));
      }
    }
    ModelMetrics chosen = results.stream().filter(m -> m.model().equals(best.model())).findFirst().orElseThrow();
    String search = searchBounds();
    ObjectNode json = Report.json(protocol, dataset, results, chosen, problems, tuning, search);
    String reportDir = options.report() != null ? options.report()
        : (options.root() != null ? options.root() : "caudal-data") + "/reports/recommend/" + version;
    Publisher.writeText(spark, reportDir + "/evaluation.json", Report.toJson(json) + "\n");
    Publisher.writeText(spark, reportDir + "/report.html", Report.html(protocol, dataset, results, chosen, tuning));
    progress("evaluation written to " + reportDir + "/report.html");
    if (platform == null) {
      return new Result(json, chosen.model(), 0, null);
    }
    return publish(json, chosen, tuned.get(chosen.model()), platform);
  }

  private String searchBounds() {
    return "at most " + options.tuneTrials() + " trials per model and " + options.tuneBudget() + " s in all";
  }

  /**
   * Searches each family's grid on the validation split. The time budget is shared: each family gets an equal
   * part of what is left when its turn comes, so time a quick search leaves goes to the ones after it.
   */
  private Map<String, ModelTuning> tune(List<CandidateGrid.Family> families, Evaluator.OnSplit onValidation) {
    List<CandidateGrid.Family> fittable = families.stream().filter(f -> onValidation.canFit(f.name())).toList();
    long deadline = System.nanoTime() + options.tuneBudget() * 1_000_000_000L;
    Map<String, ModelTuning> tuning = new LinkedHashMap<>();
    for (int n = 0; n < fittable.size(); n++) {
      CandidateGrid.Family family = fittable.get(n);
      long now = System.nanoTime();
      long familyDeadline = now + Math.max(0, (deadline - now) / (fittable.size() - n));
      Map<ParameterSearch.Point, ModelMetrics> measured = new HashMap<>();
      ParameterSearch.Outcome outcome = family.search().run(point -> {
        String label = family.fixed() ? family.name() : family.name() + " " + point;
        ModelMetrics m = onValidation.measure(family.candidate().apply(point), label, RecommendJob::progress);
        measured.put(point, m);
        return m.ndcg();
      }, family.cost(), options.tuneTrials(), familyDeadline, System::nanoTime);
      List<ModelTuning.Tried> tried = outcome.trials().stream()
          .map(t -> new ModelTuning.Tried(t.point(), measured.get(t.point()))).toList();
      ModelTuning t = new ModelTuning(family.name(), tried, outcome.trials().indexOf(outcome.best()), outcome.stop());
      tuning.put(family.name(), t);
      if (!family.fixed()) {
        progress(String.format(Locale.ROOT, "tuned %s: %s, validation nDCG@%d %.4f (start %s: %.4f), %d trials, %s",
            family.name(), t.best().point(), options.k(), t.best().validation().ndcg(), tried.get(0).point(),
            tried.get(0).validation().ndcg(), tried.size(), outcome.stop()));
      }
    }
    return tuning;
  }

  private Result publish(ObjectNode json, ModelMetrics chosen, Candidate model, PlatformData data)
      throws IOException {
    InteractionMatrix all = InteractionMatrix.of(data.interactions(), Rating::value);
    progress("refitting " + model.name() + " on all " + data.interactions().size() + " interactions");
    Candidate.Fitted fitted = model.fit(all, data.stars());
    Recommendations lists = fitted.recommendAll(options.k());
    ColdStart coldStart = new ColdStart(data.interactions(), data.segments(), data.catalog());
    Map<String, List<Recommendations.Scored>> byUser = new HashMap<>(lists.byUser());
    Map<String, Map<String, Double>> weights = new HashMap<>();
    data.interactions().forEach(r -> weights.computeIfAbsent(r.userId(), u -> new HashMap<>())
        .merge(r.itemId(), r.value(), Double::sum));
    for (Map.Entry<String, List<Recommendations.Scored>> e : byUser.entrySet()) {
      List<Recommendations.Scored> list = new ArrayList<>(e.getValue());
      String fresh = coldStart.newTitleFor(weights.getOrDefault(e.getKey(), Map.of()),
          list.stream().map(Recommendations.Scored::itemId).toList());
      if (fresh != null) {
        double score = list.isEmpty() ? 0 : list.get(list.size() - 1).score();
        if (list.size() >= options.k()) {
          list.remove(list.size() - 1);
        }
        list.add(new Recommendations.Scored(fresh, score));
      }
      e.setValue(list);
    }
    for (String user : data.coldUsers()) {
      List<Recommendations.Scored> list = new ArrayList<>();
      List<String> popular = coldStart.forNewUser(data.segments().get(user), options.k());
      for (int n = 0; n < popular.size(); n++) {
        list.add(new Recommendations.Scored(popular.get(n), popular.size() - n));
      }
      byUser.put(user, list);
    }
    String modelVersion = chosen.model() + "-" + version;
    String modelDir = saveModel(fitted, modelVersion, json);
    json.put("model_version", modelVersion);
    json.put("model_dir", modelDir);
    json.put("users", byUser.size());
    json.put("cold_start_users", data.coldUsers().size());
    String table = options.stage() != null
        ? Publisher.stageRecommendations(spark, options.stage(), byUser, modelVersion, Report.toJson(json) + "\n")
        : Publisher.publishRecommendations(spark, options.root(), byUser, modelVersion);
    progress("wrote top-" + options.k() + " for " + byUser.size() + " users to " + table);
    return new Result(json, chosen.model(), byUser.size(), table);
  }

  /** Saves the model and its evaluation under a hidden name, then renames it to its version. */
  private String saveModel(Candidate.Fitted fitted, String modelVersion, ObjectNode evaluation) throws IOException {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(options.root(), "models/recommend/" + modelVersion);
    org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(options.root(), "models/recommend/.staging-" + modelVersion);
    fitted.save(spark, staging.toString());
    Publisher.writeText(spark, staging + "/model.json", Report.toJson(evaluation) + "\n");
    org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.rename(staging, dir)) {
      fs.delete(staging, true);
      throw new IOException("cannot publish the model at " + dir);
    }
    return dir.toString();
  }

  private static List<Rating> starsIn(List<Rating> stars, List<Rating> part) {
    if (stars.isEmpty()) {
      return List.of();
    }
    java.util.Set<String> keys = new java.util.HashSet<>();
    part.forEach(r -> keys.add(r.userId() + "\u0000" + r.itemId()));
    return stars.stream().filter(r -> keys.contains(r.userId() + "\u0000" + r.itemId())).toList();
  }

  private static void progress(String line) {
    System.err.println("[recommend] " + line);
  }
}
