package io.caudal.qoe.core.alert;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * One series' recent normal minutes (a ring of the last {@code capacity} values judged normal)
 * and its robust level and spread: the median and 1.4826 × the median absolute deviation (the
 * spread a normal distribution's standard deviation would give), never below the metric's floor.
 */
public final class Baseline {
  /** MAD × this estimates a standard deviation for normally distributed minutes. */
  static final double MAD_TO_SIGMA = 1.4826;

  private double[] values;
  private int size;
  private int next;

  public Baseline(int capacity) {
    values = new double[capacity];
  }

  /**
   * A level and spread, and how many minutes they rest on. For a {@link Metric#relative()}
   * metric the spread is of the logarithm: a score is how many spreads ln(value / level) is off.
   */
  public record Level(double level, double spread, int minutes) {
    /** How far {@code value} is from the level in spreads, positive when worse. */
    public double score(double value, Metric metric) {
      double off = metric.relative()
          ? Math.log(Math.max(value, 1e-9) / Math.max(level, 1e-9)) / spread
          : (value - level) / spread;
      return metric.higherIsWorse() ? off : -off;
    }
  }

  public void add(double value) {
    values[next] = value;
    next = (next + 1) % values.length;
    size = Math.min(size + 1, values.length);
  }

  public int size() {
    return size;
  }

  /** The sum of the values kept. */
  public double sum() {
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += values[i];
    }
    return sum;
  }

  /** The level and spread for {@code metric}'s minutes, the spread floored at {@code minSpread}. */
  public Level level(Metric metric, double minSpread) {
    if (!metric.relative()) {
      return level(minSpread);
    }
    double[] logs = new double[size];
    for (int i = 0; i < size; i++) {
      logs[i] = Math.log(Math.max(values[i], 1e-9));
    }
    Level ofLogs = robust(logs, minSpread);
    return new Level(Math.exp(ofLogs.level()), ofLogs.spread(), size);
  }

  public Level level(double minSpread) {
    return robust(Arrays.copyOf(values, size), minSpread);
  }

  private static Level robust(double[] values, double minSpread) {
    int size = values.length;
    double[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    double median = median(sorted);
    double[] deviations = new double[size];
    for (int i = 0; i < size; i++) {
      deviations[i] = Math.abs(sorted[i] - median);
    }
    Arrays.sort(deviations);
    return new Level(median, Math.max(minSpread, MAD_TO_SIGMA * median(deviations)), size);
  }

  private static double median(double[] sorted) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  void writeTo(DataOutput out) throws IOException {
    out.writeInt(values.length);
    out.writeInt(size);
    out.writeInt(next);
    for (int i = 0; i < size; i++) {
      out.writeDouble(values[i]);
    }
  }

  static Baseline readFrom(DataInput in) throws IOException {
    Baseline b = new Baseline(in.readInt());
    b.size = in.readInt();
    b.next = in.readInt();
    for (int i = 0; i < b.size; i++) {
      b.values[i] = in.readDouble();
    }
    return b;
  }
}
