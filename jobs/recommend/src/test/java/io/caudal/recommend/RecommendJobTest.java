package io.caudal.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.recommend.core.PlantedTasteRatings;
import io.caudal.recommend.core.Rating;
import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.Recommendation;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleTitles;
import io.caudal.testing.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The job on Spark local[2] over generated tables with planted taste clusters. */
@IntegrationTest
class RecommendJobTest {
  private static final int USERS = 300;
  private static final int ITEMS = 200;
  private static final int CLUSTERS = 5;

  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-recommend-test");

  @TempDir
  Path root;

  /** Sessions that finished well for planted tastes, plus a few that never started. */
  private void writeTables(List<Rating> views, List<String> coldUsers, List<Object[]> ratings) {
    StructType sessions = new StructType()
        .add("sessionId", DataTypes.StringType).add("userId", DataTypes.StringType)
        .add("titleId", DataTypes.StringType).add("startupTimeMs", DataTypes.LongType)
        .add("completion", DataTypes.DoubleType).add("playingMs", DataTypes.LongType)
        .add("endTime", DataTypes.LongType).add("region", DataTypes.StringType).add("device", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    int n = 0;
    for (Rating v : views) {
      String region = Integer.parseInt(v.userId().substring(1)) % 2 == 0 ? "eu" : "us";
      rows.add(RowFactory.create("s" + n++, v.userId(), v.itemId(), 800L, 0.3 + 0.14 * v.value(),
          20 * 60_000L, v.timestamp(), region, "tv"));
    }
    for (String user : coldUsers) {
      rows.add(RowFactory.create("s" + n++, user, "t1", null, 0.0, 0L, 1_700_000_000_000L, "eu", "tv"));
    }
    SPARK.session().createDataFrame(rows, sessions).write().parquet(root.resolve("tables/qoe_sessions").toString());
    if (ratings != null) {
      StructType schema = new StructType().add("userId", DataTypes.StringType).add("titleId", DataTypes.StringType)
          .add("stars", DataTypes.IntegerType).add("ratedAt", DataTypes.LongType);
      List<Row> r = new ArrayList<>();
      ratings.forEach(x -> r.add(RowFactory.create(x)));
      SPARK.session().createDataFrame(r, schema).write().parquet(root.resolve("tables/ratings").toString());
    }
  }

  /** The job with small ALS, and only the given settings measured unless a test asks for a search. */
  private RecommendJob.Result run(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--root", root.toString(), "--als-iterations", "8", "--als-rank", "16",
        "--ease-lambda", "50", "--tune-budget", "0"));
    args.addAll(List.of(extra));
    return new RecommendJob(SPARK.session(), RecommendOptions.parse(args.toArray(String[]::new)).orElseThrow()).run();
  }

  private List<Recommendation> recommendations() throws IOException {
    return TableReader.of(Tables.RECOMMENDATIONS, root.toString(), new Configuration()).readAll();
  }

  /** Each user's list, best first. */
  private Map<String, List<String>> readRecommendations() throws IOException {
    Map<String, List<String>> lists = new HashMap<>();
    recommendations().stream()
        .sorted(Comparator.comparing(Recommendation::getUserId).thenComparingInt(Recommendation::getRank))
        .forEach(r -> lists.computeIfAbsent(r.getUserId(), u -> new ArrayList<>()).add(r.getTitleId()));
    return lists;
  }

  @Test
  void choosesAModelThatBeatsPopularityClearlyOnPlantedTastes() throws Exception {
    writeTables(PlantedTasteRatings.generate(USERS, ITEMS, 12_000, CLUSTERS, 7), List.of(), null);

    // The default 15 iterations: enough to need ALS's checkpoints.
    RecommendJob.Result result = run("--als-iterations", "15");

    JsonNode json = result.evaluation();
    double chosen = json.get("chosen").get("ndcg_at_10").asDouble();
    double popularity = json.get("models").get("popularity").get("ndcg_at_10").asDouble();
    assertThat(json.get("models").fieldNames()).toIterable()
        .contains("popularity", "cooccurrence", "als-implicit", "ease", "rp3beta");
    assertThat(chosen).isGreaterThan(1.5 * popularity);
    assertThat(result.chosen()).isNotEqualTo("popularity");
    assertThat(Files.exists(root.resolve("tables/recommendations"))).isTrue();
    assertThat(Files.list(root.resolve("reports/recommend")).findFirst().orElseThrow().resolve("report.html"))
        .content().contains("<svg", "nDCG@10");
  }

  @Test
  void listsAreTopTenOfUnseenTitlesMostlyOfTheUsersOwnTaste() throws Exception {
    List<Rating> views = PlantedTasteRatings.generate(USERS, ITEMS, 12_000, CLUSTERS, 11);
    writeTables(views, List.of(), null);

    run();

    Map<String, Set<String>> seen = new HashMap<>();
    views.forEach(v -> seen.computeIfAbsent(v.userId(), u -> new HashSet<>()).add(v.itemId()));
    Map<String, List<String>> lists = readRecommendations();
    assertThat(lists).hasSize(seen.size());
    long inTaste = 0, total = 0;
    for (Map.Entry<String, List<String>> e : lists.entrySet()) {
      assertThat(e.getValue()).hasSize(10).doesNotHaveDuplicates();
      assertThat(e.getValue()).as("seen titles of " + e.getKey()).doesNotContainAnyElementsOf(seen.get(e.getKey()));
      int taste = PlantedTasteRatings.tasteOfUser(Integer.parseInt(e.getKey().substring(1)), CLUSTERS);
      for (String t : e.getValue()) {
        total++;
        inTaste += PlantedTasteRatings.tasteOfItem(Integer.parseInt(t.substring(1)), CLUSTERS) == taste ? 1 : 0;
      }
    }
    // Most users have already seen most of their taste's 40 titles, so a top ten of unseen ones holds some from
    // elsewhere (popular ones, which the held-out part also holds); popularity's lists are about one in five.
    assertThat((double) inTaste / total).isGreaterThan(0.5);
  }

  @Test
  void userWhoseSessionsNeverStartedGetsThePopularTitlesOfTheirRegion() throws Exception {
    writeTables(PlantedTasteRatings.generate(USERS, ITEMS, 12_000, CLUSTERS, 3), List.of("newcomer"), null);

    RecommendJob.Result result = run();

    assertThat(result.evaluation().get("cold_start_users").asInt()).isEqualTo(1);
    assertThat(readRecommendations().get("newcomer")).hasSize(10);
  }

  @Test
  void starRatingsOutsideOneToFiveAreCountedAndNotUsed() throws Exception {
    List<Object[]> ratings = List.of(new Object[] {"u1", "t1", 5, 1L}, new Object[] {"u2", "t2", 9, 1L},
        new Object[] {"u3", "t3", 0, 1L});
    writeTables(PlantedTasteRatings.generate(USERS, ITEMS, 12_000, CLUSTERS, 5), List.of(), ratings);

    RecommendJob.Result result = run();

    assertThat(result.evaluation().get("refused_input").asText()).startsWith("2 rating outside 1-5");
  }

  @Test
  void aNewTitleReachesTheUsersWhoseFavouriteCategoryItIsIn() throws Exception {
    List<Rating> views = PlantedTasteRatings.generate(USERS, ITEMS, 12_000, CLUSTERS, 13);
    writeTables(views, List.of(), null);
    for (int i = 0; i < ITEMS; i++) {
      String category = "taste" + PlantedTasteRatings.tasteOfItem(i, CLUSTERS);
      SampleTitles.writeCatalog(root, SampleTitles.entry("t" + i, "Title " + i, category));
    }
    // Nobody has watched it yet, and it is the newest title.
    CatalogEntry premiere = SampleTitles.entry("premiere", "Premiere", "taste2");
    SampleTitles.writeCatalog(root,
        CatalogEntry.newBuilder(premiere).setCreatedAt(premiere.getCreatedAt() + 1).build());

    run();

    Map<String, List<String>> lists = readRecommendations();
    for (Map.Entry<String, List<String>> e : lists.entrySet()) {
      boolean tasteTwo = PlantedTasteRatings.tasteOfUser(Integer.parseInt(e.getKey().substring(1)), CLUSTERS) == 2;
      if (tasteTwo) {
        assertThat(e.getValue()).as(e.getKey()).hasSize(10).endsWith("premiere");
      }
    }
    long reached = lists.values().stream().filter(l -> l.contains("premiere")).count();
    long tasteTwoUsers = lists.keySet().stream()
        .filter(u -> PlantedTasteRatings.tasteOfUser(Integer.parseInt(u.substring(1)), CLUSTERS) == 2).count();
    assertThat(reached).isGreaterThanOrEqualTo(tasteTwoUsers).isLessThan(lists.size() / 2);
  }

  @Test
  void savesTheChosenModelUnderItsVersion() throws Exception {
    writeTables(PlantedTasteRatings.generate(USERS, ITEMS, 12_000, CLUSTERS, 17), List.of(), null);

    RecommendJob.Result result = run();

    Path model = Path.of(result.evaluation().get("model_dir").asText());
    assertThat(model.getFileName().toString()).isEqualTo(result.evaluation().get("model_version").asText());
    assertThat(model.resolve("model.json")).content().contains("\"chosen\"");
    assertThat(model.resolve("items.txt")).exists();
    assertThat(Files.list(model.getParent()).map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.startsWith(".staging"));
  }

  @Test
  void msBenchmarkProtocolOnAMovieLensFolderReportsEveryModelItsTuningAndTheChosenOne() throws Exception {
    Path movieLens = root.resolve("ml-1m");
    PlantedTasteRatings.writeMovieLens1m(movieLens, PlantedTasteRatings.generate(USERS, ITEMS, 12_000, CLUSTERS, 19),
        ITEMS, CLUSTERS);

    RecommendJob.Result result = new RecommendJob(SPARK.session(), RecommendOptions.parse("--movielens", movieLens.toString(),
        "--eval", "ms-benchmark", "--report", root.resolve("report").toString(), "--als-iterations", "8",
        "--als-rank", "16", "--ease-lambda", "50", "--tune-trials", "3", "--tune-budget", "1200").orElseThrow()).run();

    JsonNode json = result.evaluation();
    List<String> tuned = List.of("ease", "rp3beta", "als-implicit", "als-explicit");
    for (String model : List.of("popularity", "cooccurrence", "als-implicit", "als-explicit", "ease", "rp3beta",
        "chosen")) {
      for (String metric : List.of("precision_at_10", "recall_at_10", "ndcg_at_10", "map_at_10")) {
        assertThat(json.get(model).get(metric).asDouble()).as(model + " " + metric).isBetween(0.0, 1.0);
      }
    }
    assertThat(json.get("als-explicit").get("rmse").asDouble()).isPositive();
    assertThat(json.get("dataset").asText()).startsWith("ML_1M");
    assertThat(json.get("chosen").get("ndcg_at_10").asDouble())
        .isGreaterThan(json.get("popularity").get("ndcg_at_10").asDouble());
    assertThat(result.table()).isNull();

    JsonNode tuning = json.get("tuning").get("models");
    assertThat(tuning.fieldNames()).toIterable()
        .containsExactlyInAnyOrder("popularity", "cooccurrence", "ease", "rp3beta", "als-explicit", "als-implicit");
    assertThat(tuning.get("ease").get("start").get("lambda").asDouble()).isEqualTo(50);
    assertThat(tuning.get("rp3beta").get("start").fieldNames()).toIterable()
        .containsExactly("alpha", "beta", "neighbours");
    double bestOnValidation = 0;
    for (String model : tuned) {
      JsonNode t = tuning.get(model);
      JsonNode tried = t.get("tried");
      // The start and at least one neighbour of it, within the limit of three (the budget is ample: ALS at twice
      // the rank is expected to take eight times as long).
      assertThat(tried.size()).as(model).isBetween(2, 3).isEqualTo(t.get("trials").asInt());
      double best = 0;
      for (JsonNode one : tried) {
        best = Math.max(best, one.get("ndcg_at_10").asDouble());
      }
      assertThat(t.get("validation_ndcg_at_10").asDouble()).as(model).isEqualTo(best);
      assertThat(json.get("models").get(model).get("params")).as(model).isEqualTo(t.get("chosen"));
      bestOnValidation = Math.max(bestOnValidation, best);
    }
    String chosen = json.get("chosen").get("model").asText();
    assertThat(tuning.get(chosen).get("validation_ndcg_at_10").asDouble()).isEqualTo(bestOnValidation);
    assertThat(json.get("chosen").get("params")).isEqualTo(tuning.get(chosen).get("chosen"));
    assertThat(root.resolve("report/report.html")).content().contains("Hyper-parameters tried", "lambda=50");
  }

  @Test
  void missingSessionsTableIsAClearError() {
    assertThatThrownBy(this::run).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no table at " + root + "/tables/qoe_sessions: qoe-stream writes it");
  }

  @Test
  void emptyHistoryIsAClearError() throws Exception {
    writeTables(List.of(), List.of("a", "b"), null);

    assertThatThrownBy(this::run).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no usable viewing history in " + root + "/tables/qoe_sessions");
  }

  @Test
  void rerunReplacesTheTableWithTheNewModelVersion() throws Exception {
    writeTables(PlantedTasteRatings.generate(USERS, ITEMS, 12_000, CLUSTERS, 9), List.of(), null);

    RecommendJob.Result first = run();
    RecommendJob.Result second = run();

    List<String> versions = recommendations().stream().map(Recommendation::getModelVersion).distinct().toList();
    assertThat(second.evaluation().get("model_version").asText())
        .isNotEqualTo(first.evaluation().get("model_version").asText());
    assertThat(versions).singleElement().satisfies(version ->
        assertThat(version).isEqualTo(second.evaluation().get("model_version").asText()));
    assertThat(Files.list(root.resolve("tables/.staging")).toList()).isEmpty();
  }

  private String liveVersion() throws IOException {
    List<String> versions = recommendations().stream().map(Recommendation::getModelVersion).distinct().toList();
    assertThat(versions).hasSize(1);
    return versions.get(0);
  }

  @Test
  void stagedListsWaitBesideThePublishedTableUntilPublishedOnce() throws Exception {
    writeTables(PlantedTasteRatings.generate(USERS, ITEMS, 12_000, CLUSTERS, 21), List.of(), null);
    String published = run().evaluation().get("model_version").asText();
    Path stage = root.resolve("staging/recommend/run-1");

    RecommendJob.Result staged = run("--stage", stage.toString());

    String candidate = staged.evaluation().get("model_version").asText();
    assertThat(candidate).isNotEqualTo(published);
    assertThat(liveVersion()).isEqualTo(published);
    assertThat(staged.table()).endsWith("staging/recommend/run-1/recommendations");
    assertThat(SPARK.session().read().parquet(stage.resolve("recommendations").toString()).count()).isPositive();
    assertThat(stage.resolve("evaluation.json")).content().contains("\"chosen\"", candidate);

    PublishStaged.Outcome outcome = PublishStaged.publish(SPARK.session(), root.toString(), stage.toString());

    assertThat(outcome).isEqualTo(new PublishStaged.Outcome(candidate, root + "/tables/recommendations", false));
    assertThat(liveVersion()).isEqualTo(candidate);
    assertThat(root.resolve("reports/recommend/published.json")).hasSameTextualContentAs(stage.resolve("evaluation.json"));
    assertThat(stage.resolve("recommendations")).doesNotExist();

    PublishStaged.Outcome again = PublishStaged.publish(SPARK.session(), root.toString(), stage.toString());

    assertThat(again.alreadyPublished()).isTrue();
    assertThat(liveVersion()).isEqualTo(candidate);
  }

  @Test
  void publishingAnEmptyStageIsAClearError() {
    assertThatThrownBy(() -> PublishStaged.publish(SPARK.session(), root.toString(), root.resolve("nothing").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nothing staged at " + root.resolve("nothing") + ": no evaluation.json (run recommend with --stage first)");
    assertThatThrownBy(() -> RecommendOptions.parse("--movielens", "ml", "--stage", "s"))
        .hasMessage("--stage publishes platform lists; it does not go with --movielens");
  }
}
