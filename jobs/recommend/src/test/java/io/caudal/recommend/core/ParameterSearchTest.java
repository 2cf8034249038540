package io.caudal.recommend.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.recommend.core.ParameterSearch.Parameter;
import io.caudal.recommend.core.ParameterSearch.Point;
import io.caudal.recommend.core.ParameterSearch.Stop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ParameterSearchTest {
  private static final long NO_DEADLINE = Long.MAX_VALUE / 2;
  private static final List<Parameter> GRID = List.of(
      Parameter.of("a", 1, 2, 3, 4, 5, 6, 7, 8),
      Parameter.of("b", 0.1, 0.2, 0.3, 0.4, 0.5));

  /** A smooth hill with its top at a = 6, b = 0.2. */
  private static final ToDoubleFunction<Point> HILL =
      p -> -Math.pow(p.get("a") - 6, 2) - 40 * Math.pow(p.get("b") - 0.2, 2);

  private static final AtomicLong CLOCK = new AtomicLong();

  @Test
  void climbsFromTheStartToTheTopOfTheGrid() {
    ParameterSearch search = new ParameterSearch(GRID, Map.of("a", 2.0, "b", 0.5));

    ParameterSearch.Outcome outcome = search.run(HILL, 100, NO_DEADLINE, CLOCK::get);

    assertThat(outcome.best().point()).isEqualTo(new Point(Map.of("a", 6.0, "b", 0.2)));
    assertThat(outcome.stop()).isEqualTo(Stop.CONVERGED);
    assertThat(outcome.trials().get(0).point()).isEqualTo(search.start());
    // Fewer than the 40 points of the whole grid, and none measured twice.
    assertThat(outcome.trials()).hasSizeLessThan(20);
    assertThat(outcome.trials().stream().map(ParameterSearch.Trial::point)).doesNotHaveDuplicates();
  }

  @Test
  void theStartIsMeasuredFirstAndIsKeptWhenNothingBeatsIt() {
    ParameterSearch search = new ParameterSearch(GRID, Map.of("a", 6.0, "b", 0.2));

    ParameterSearch.Outcome outcome = search.run(HILL, 100, NO_DEADLINE, CLOCK::get);

    assertThat(outcome.best()).isSameAs(outcome.trials().get(0));
    // Its four neighbours, each a step worse.
    assertThat(outcome.trials()).hasSize(5);
  }

  @Test
  void aStartOffTheGridJoinsIt() {
    ParameterSearch search = new ParameterSearch(List.of(Parameter.of("lambda", 10, 100, 1000)), Map.of("lambda", 300.0));

    assertThat(search.parameters().get(0).values()).containsExactly(10.0, 100.0, 300.0, 1000.0);
    ParameterSearch.Outcome outcome = search.run(p -> -Math.abs(Math.log(p.get("lambda") / 1000)), 10, NO_DEADLINE,
        CLOCK::get);
    assertThat(outcome.trials().stream().map(t -> t.point().get("lambda"))).containsExactly(300.0, 1000.0);
    assertThat(outcome.best().point().get("lambda")).isEqualTo(1000.0);
  }

  @Test
  void stopsAtTheTrialLimitWithTheBestSoFar() {
    ParameterSearch search = new ParameterSearch(GRID, Map.of("a", 1.0, "b", 0.5));

    ParameterSearch.Outcome outcome = search.run(HILL, 3, NO_DEADLINE, CLOCK::get);

    assertThat(outcome.stop()).isEqualTo(Stop.TRIALS);
    assertThat(outcome.trials()).hasSize(3);
    assertThat(outcome.best().point()).isEqualTo(new Point(Map.of("a", 3.0, "b", 0.5)));
  }

  @Test
  void startsNoTrialThatWouldLikelyEndPastTheDeadline() {
    // Every trial takes 10 s on this clock; the deadline is 25 s away.
    AtomicLong clock = new AtomicLong();
    ToDoubleFunction<Point> slowHill = p -> {
      clock.addAndGet(10_000_000_000L);
      return HILL.applyAsDouble(p);
    };
    ParameterSearch search = new ParameterSearch(GRID, Map.of("a", 1.0, "b", 0.5));

    ParameterSearch.Outcome outcome = search.run(slowHill, 100, 25_000_000_000L, clock::get);

    // After two trials (20 s), a third would end at 30 s.
    assertThat(outcome.stop()).isEqualTo(Stop.DEADLINE);
    assertThat(outcome.trials()).hasSize(2);
    assertThat(outcome.trials().get(1).seconds()).isEqualTo(10.0);
  }

  @Test
  void expectsATrialToTakeAsLongAsItsCostSays() {
    // Measuring takes rank³ seconds on this clock, and higher ranks score better; the deadline is 20 s away.
    AtomicLong clock = new AtomicLong();
    ToDoubleFunction<Point> cubic = p -> Math.pow(p.get("rank"), 3);
    ToDoubleFunction<Point> measure = p -> {
      clock.addAndGet((long) (cubic.applyAsDouble(p) * 1e9));
      return p.get("rank");
    };
    ParameterSearch search = new ParameterSearch(List.of(Parameter.of("rank", 1, 2, 4)), Map.of("rank", 1.0));

    ParameterSearch.Outcome priced = search.run(measure, cubic, 10, 20_000_000_000L, clock::get);

    // Rank 1 took 1 s, so rank 2 is expected to take 8 s (ends at 9 s) and rank 4 64 s (would end at 73 s).
    assertThat(priced.trials().stream().map(t -> t.point().get("rank"))).containsExactly(1.0, 2.0);
    assertThat(priced.stop()).isEqualTo(Stop.DEADLINE);

    clock.set(0);
    ParameterSearch.Outcome uniform = search.run(measure, 10, 20_000_000_000L, clock::get);

    // Priced alike, rank 4 looks as quick as the mean of the first two (4.5 s) and starts at 9 s, ending at 73 s.
    assertThat(uniform.trials()).hasSize(3);
    assertThat(clock.get()).isEqualTo(73_000_000_000L);
  }

  @Test
  void theStartIsMeasuredEvenWithNoTimeLeft() {
    ParameterSearch search = new ParameterSearch(GRID, Map.of("a", 4.0, "b", 0.3));

    ParameterSearch.Outcome outcome = search.run(HILL, 100, -1, () -> 0);

    assertThat(outcome.trials()).singleElement().isSameAs(outcome.best());
    assertThat(outcome.stop()).isEqualTo(Stop.DEADLINE);
  }

  @Test
  void aGridWithoutParametersIsOneTrial() {
    ParameterSearch.Outcome outcome = new ParameterSearch(List.of(), Map.of()).run(p -> 0.3, 10, NO_DEADLINE, CLOCK::get);

    assertThat(outcome.trials()).singleElement().satisfies(t -> assertThat(t.score()).isEqualTo(0.3));
    assertThat(outcome.stop()).isEqualTo(Stop.CONVERGED);
  }

  @Test
  void anyScoreBeatsNaN() {
    ParameterSearch search = new ParameterSearch(List.of(Parameter.of("x", 1, 2)), Map.of("x", 1.0));

    ParameterSearch.Outcome outcome = search.run(p -> p.get("x") == 1 ? Double.NaN : 0.0, 10, NO_DEADLINE, CLOCK::get);

    assertThat(outcome.best().point().get("x")).isEqualTo(2.0);
  }

  @Test
  void aStartMustNameEveryParameterAndNoOther() {
    assertThatThrownBy(() -> new ParameterSearch(GRID, Map.of("a", 1.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the start has no finite value for b");
    assertThatThrownBy(() -> new ParameterSearch(GRID, Map.of("a", 1.0, "b", 0.1, "c", 2.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the start names parameters the grid does not have");
    assertThatThrownBy(() -> new ParameterSearch(GRID, Map.of("a", 1.0, "b", 0.1)).run(HILL, 0, NO_DEADLINE, CLOCK::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTrials must be at least 1, got 0");
  }

  @Test
  void valuesPrintAsPeopleWriteThem() {
    assertThat(ParameterSearch.format(64)).isEqualTo("64");
    assertThat(ParameterSearch.format(0.05)).isEqualTo("0.05");
    assertThat(ParameterSearch.format(2.5)).isEqualTo("2.5");
    assertThat(new Point(Map.of("rank", 64.0)).toString()).isEqualTo("{rank=64}");
  }
}
