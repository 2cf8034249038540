package io.caudal.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import org.junit.jupiter.api.Test;

class RecommendOptionsTest {
  @Test
  void parsesEveryOption() {
    RecommendOptions o = RecommendOptions.parse("--root", "hdfs://nn:8020/caudal", "--ratings", "/r", "--k", "20",
        "--eval", "none", "--report", "/rep", "--stage", "/s", "--ease-lambda", "300", "--als-rank", "16",
        "--als-iterations", "8", "--seed", "7", "--tune-trials", "5", "--tune-budget", "90").orElseThrow();
    assertThat(o).isEqualTo(new RecommendOptions("hdfs://nn:8020/caudal", "/r", 20, null, "none", "/rep", 300.0, 16, 8,
        7L, "/s", 5, 90));
  }

  @Test
  void defaultsAreWrittenDown() {
    RecommendOptions o = RecommendOptions.parse("--root", "/data").orElseThrow();
    assertThat(o).isEqualTo(new RecommendOptions("/data", null, RecommendOptions.DEFAULT_K, null, "time", null,
        RecommendOptions.DEFAULT_EASE_LAMBDA, RecommendOptions.DEFAULT_ALS_RANK, RecommendOptions.DEFAULT_ALS_ITERATIONS,
        RecommendOptions.DEFAULT_SEED, null, RecommendOptions.DEFAULT_TUNE_TRIALS, RecommendOptions.DEFAULT_TUNE_BUDGET));
    assertThat(RecommendOptions.parse("--movielens", "/ml").orElseThrow().eval()).isEqualTo("ms-benchmark");
  }

  @Test
  void theEaseLambdaIsAnyFiniteNumberAboveZero() {
    assertThat(RecommendOptions.parse("--root", "/d", "--ease-lambda", "0.5").orElseThrow().easeLambda())
        .isEqualTo(0.5);
    assertThat(RecommendOptions.parse("--root", "/d", "--ease-lambda", "250.7").orElseThrow().easeLambda())
        .isEqualTo(250.7);
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--ease-lambda", "0"))
        .isInstanceOf(UsageException.class).hasMessage("--ease-lambda must be a finite number above 0, got '0.0'");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--ease-lambda", "Infinity"))
        .isInstanceOf(UsageException.class).hasMessage("--ease-lambda must be a finite number above 0, got 'Infinity'");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--ease-lambda", "high"))
        .isInstanceOf(UsageException.class).hasMessage("--ease-lambda must be a number, got 'high'");
  }

  @Test
  void aTuneBudgetOfZeroMeasuresOnlyTheGivenSettingsAndTrialsAreAtLeastOne() {
    assertThat(RecommendOptions.parse("--root", "/d", "--tune-budget", "0").orElseThrow().tuneBudget()).isZero();
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--tune-budget", "-1"))
        .isInstanceOf(UsageException.class).hasMessage("--tune-budget must be at least 0, got -1");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--tune-trials", "0"))
        .isInstanceOf(UsageException.class).hasMessage("--tune-trials must be at least 1, got 0");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--tune-budget", "1m"))
        .isInstanceOf(UsageException.class).hasMessage("--tune-budget must be a whole number, got '1m'");
  }

  @Test
  void theSeedIsAnyLongZeroIncluded() {
    assertThat(RecommendOptions.parse("--root", "/d", "--seed", "0").orElseThrow().seed()).isZero();
    assertThat(RecommendOptions.parse("--root", "/d", "--seed", "4294967296").orElseThrow().seed()).isEqualTo(1L << 32);
    assertThat(RecommendOptions.parse("--root", "/d", "--seed", "-3").orElseThrow().seed()).isEqualTo(-3);
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--seed", "9223372036854775808"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--seed must be a whole number within ±2^63, got '9223372036854775808'");
  }

  @Test
  void countsAreWholeNumbersOfAtLeastOne() {
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--k", "2.5"))
        .isInstanceOf(UsageException.class).hasMessage("--k must be a whole number, got '2.5'");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--als-rank", "0"))
        .isInstanceOf(UsageException.class).hasMessage("--als-rank must be at least 1, got 0");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--als-iterations", "many"))
        .isInstanceOf(UsageException.class).hasMessage("--als-iterations must be a whole number, got 'many'");
  }

  @Test
  void refusesUnknownOptionsAndMissingValuesNamingThem() {
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--bogus", "1"))
        .isInstanceOf(UsageException.class).hasMessage("unknown option --bogus");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--k"))
        .isInstanceOf(UsageException.class).hasMessage("--k needs a value");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "--k", "5"))
        .isInstanceOf(UsageException.class).hasMessage("--root needs a value");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "extra"))
        .isInstanceOf(UsageException.class).hasMessage("unexpected argument 'extra'");
  }

  @Test
  void refusesCombinationsThatCannotRun() {
    assertThatThrownBy(() -> RecommendOptions.parse("--k", "5"))
        .isInstanceOf(UsageException.class).hasMessage("missing --root (or --movielens DIR to evaluate on MovieLens)");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--eval", "ms-benchmark"))
        .isInstanceOf(UsageException.class).hasMessage("--eval ms-benchmark needs --movielens DIR");
    assertThatThrownBy(() -> RecommendOptions.parse("--root", "/d", "--eval", "offline"))
        .isInstanceOf(UsageException.class).hasMessage("--eval must be ms-benchmark, time or none, got 'offline'");
  }

  @Test
  void takesTheCommandLinesOfTheSchedulerAndTheBenchmark() {
    // caudal_recommend's train_and_evaluate task
    RecommendOptions nightly = RecommendOptions.parse("--root", "hdfs://nn:8020/caudal", "--stage",
        "hdfs://nn:8020/caudal/staging/recommend/20260101T020000").orElseThrow();
    assertThat(nightly.stage()).isEqualTo("hdfs://nn:8020/caudal/staging/recommend/20260101T020000");
    // bench/recommend.py's job
    RecommendOptions bench = RecommendOptions.parse("--movielens", "/data", "--eval", "time", "--report", "/r",
        "--als-rank", "64", "--als-iterations", "15").orElseThrow();
    assertThat(bench.eval()).isEqualTo("time");
    assertThat(bench.alsRank()).isEqualTo(64);
  }

  @Test
  void helpIsNotAnErrorAndListsEveryOptionWithItsDefault() {
    assertThat(RecommendOptions.parse("--help")).isEmpty();
    assertThat(RecommendOptions.usage()).contains("--root", "--ratings", "--k", "--movielens", "--eval", "--report",
        "--stage", "--ease-lambda", "--als-rank", "--als-iterations", "--seed", "--help", "default 250.0",
        "default 42");
  }
}
