package io.caudal.recommend.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * A search for the hyper-parameters that score best, bounded by a number of trials and a deadline.
 *
 * <p>Coordinate ascent over a grid: the search starts at the given point (always measured, so the
 * defaults are a baseline), tries each parameter's two neighbouring grid values, keeps walking in a
 * direction while the score improves, and makes passes over all parameters until a pass moves
 * nothing. A grid point is measured at most once. Fewer trials than a full grid, and with one
 * parameter it is a walk to the nearest peak.
 *
 * <p>The budget: no trial starts after the deadline, nor when its expected time would carry it past the
 * deadline; the first trial always runs. A trial's expected time is its relative cost (given by the caller,
 * e.g. rank³ for ALS) times the time per unit of cost of the trials so far. The budget bounds when trials
 * start: a trial that costs more than its estimate can still end past the deadline.
 */
public final class ParameterSearch {
  /** One hyper-parameter and the values it may take, ascending (a start value off the grid joins it). */
  public record Parameter(String name, List<Double> values) {
    public Parameter {
      if (values.isEmpty()) {
        throw new IllegalArgumentException(name + " has no values to try");
      }
      values = List.copyOf(new TreeSet<>(values));
    }

    public static Parameter of(String name, double... values) {
      return new Parameter(name, boxed(values));
    }

    Parameter including(double value) {
      List<Double> all = new ArrayList<>(values);
      all.add(value);
      return new Parameter(name, all);
    }

    private static List<Double> boxed(double[] values) {
      List<Double> out = new ArrayList<>();
      for (double v : values) {
        out.add(v);
      }
      return out;
    }
  }

  /** A point of the grid: a value per parameter, in the parameters' order. */
  public record Point(Map<String, Double> values) {
    public Point {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public double get(String name) {
      Double v = values.get(name);
      if (v == null) {
        throw new IllegalArgumentException("no parameter " + name + " in " + this);
      }
      return v;
    }

    /** This point with one value changed. */
    Point with(String name, double value) {
      Map<String, Double> copy = new LinkedHashMap<>(values);
      copy.put(name, value);
      return new Point(copy);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("{");
      values.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(k).append('=').append(format(v)));
      return s.append('}').toString();
    }
  }

  /** One measured point: its score and how long measuring it took. */
  public record Trial(Point point, double score, double seconds) {}

  /** Why the search ended. */
  public enum Stop {
    /** a pass over every parameter found nothing better */
    CONVERGED,
    /** the trial limit was reached */
    TRIALS,
    /** the deadline was reached, or the next trial would likely pass it */
    DEADLINE;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What the search found.
   *
   * @param trials every measured point in the order measured; the first is the start
   * @param best the best of them (the earliest on a tie)
   */
  public record Outcome(List<Trial> trials, Trial best, Stop stop) {}

  private final List<Parameter> parameters;
  private final Point start;

  /**
   * @param parameters the grid, one axis per parameter
   * @param start where the search begins: a value for every parameter (values off the grid join it)
   */
  public ParameterSearch(List<Parameter> parameters, Map<String, Double> start) {
    List<Parameter> axes = new ArrayList<>();
    Map<String, Double> first = new LinkedHashMap<>();
    for (Parameter p : parameters) {
      Double v = start.get(p.name());
      if (v == null || !Double.isFinite(v)) {
        throw new IllegalArgumentException("the start has no finite value for " + p.name() + ": " + start);
      }
      axes.add(p.values().contains(v) ? p : p.including(v));
      first.put(p.name(), v);
    }
    if (!first.keySet().containsAll(start.keySet())) {
      throw new IllegalArgumentException("the start names parameters the grid does not have: " + start.keySet());
    }
    this.parameters = List.copyOf(axes);
    this.start = new Point(first);
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  public Point start() {
    return start;
  }

  /** Runs the search with every point costing the same. */
  public Outcome run(ToDoubleFunction<Point> objective, int maxTrials, long deadlineNanos, LongSupplier clock) {
    return run(objective, p -> 1, maxTrials, deadlineNanos, clock);
  }

  /**
   * Runs the search.
   *
   * @param objective the score of a point, higher is better (a NaN score is never best)
   * @param cost how long a point takes to measure relative to the others (any positive scale)
   * @param maxTrials at most this many points are measured (at least 1)
   * @param deadlineNanos on {@code clock}'s scale
   * @param clock nanoseconds, e.g. {@code System::nanoTime}
   */
  public Outcome run(ToDoubleFunction<Point> objective, ToDoubleFunction<Point> cost, int maxTrials,
      long deadlineNanos, LongSupplier clock) {
    if (maxTrials < 1) {
      throw new IllegalArgumentException("maxTrials must be at least 1, got " + maxTrials);
    }
    Run run = new Run(objective, cost, maxTrials, deadlineNanos, clock);
    Trial best = run.measure(start);
    Stop stop = Stop.CONVERGED;
    boolean moved = true;
    search:
    while (moved) {
      moved = false;
      for (Parameter p : parameters) {
        int at = p.values().indexOf(best.point().get(p.name()));
        for (int direction : new int[] {1, -1}) {
          int next = at + direction;
          boolean walked = false;
          while (next >= 0 && next < p.values().size()) {
            Point point = best.point().with(p.name(), p.values().get(next));
            Trial trial = run.measured(point);
            if (trial == null) {
              Stop refused = run.refusal(point);
              if (refused != null) {
                stop = refused;
                break search;
              }
              trial = run.measure(point);
            }
            if (!better(trial, best)) {
              break;
            }
            best = trial;
            walked = true;
            moved = true;
            next += direction;
          }
          if (walked) {
            break; // the other direction is where we came from
          }
        }
      }
    }
    return new Outcome(List.copyOf(run.trials), best, stop);
  }

  /** A higher score, and any score beats NaN. */
  private static boolean better(Trial a, Trial b) {
    return a.score() > b.score() || (Double.isNaN(b.score()) && !Double.isNaN(a.score()));
  }

  /** The state of one search: what was measured, and the budget. */
  private static final class Run {
    private final ToDoubleFunction<Point> objective;
    private final ToDoubleFunction<Point> cost;
    private final int maxTrials;
    private final long deadline;
    private final LongSupplier clock;
    private final List<Trial> trials = new ArrayList<>();
    private final Map<Point, Trial> byPoint = new LinkedHashMap<>();
    private long spentNanos;
    private double spentCost;

    Run(ToDoubleFunction<Point> objective, ToDoubleFunction<Point> cost, int maxTrials, long deadline,
        LongSupplier clock) {
      this.objective = objective;
      this.cost = cost;
      this.maxTrials = maxTrials;
      this.deadline = deadline;
      this.clock = clock;
    }

    Trial measured(Point point) {
      return byPoint.get(point);
    }

    /** Why measuring {@code next} may not start, or null if it may. */
    Stop refusal(Point next) {
      if (trials.size() >= maxTrials) {
        return Stop.TRIALS;
      }
      double expected = spentCost > 0 ? spentNanos / spentCost * cost.applyAsDouble(next) : 0;
      return clock.getAsLong() + expected > deadline ? Stop.DEADLINE : null;
    }

    Trial measure(Point point) {
      long t0 = clock.getAsLong();
      double score = objective.applyAsDouble(point);
      long took = clock.getAsLong() - t0;
      spentNanos += took;
      spentCost += cost.applyAsDouble(point);
      Trial trial = new Trial(point, score, took / 1e9);
      trials.add(trial);
      byPoint.put(point, trial);
      return trial;
    }
  }

  /** A parameter value as people write it: 64, 0.05, 250. */
  public static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "").replaceAll("\\.?0+e", "e");
  }
}
