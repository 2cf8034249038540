package io.caudal.transcode.core.plan;

import java.io.Serializable;
import java.util.List;

/** A frame rate as an exact fraction, so that 29.97 is 30000/1001 and frame times never drift. */
public record FrameRate(int num, int den) implements Serializable {
  /** The rates players and encoders treat as standard; a variable-rate source is put on one. */
  static final List<FrameRate> STANDARD = List.of(
      new FrameRate(24000, 1001), new FrameRate(24, 1), new FrameRate(25, 1),
      new FrameRate(30000, 1001), new FrameRate(30, 1), new FrameRate(50, 1),
      new FrameRate(60000, 1001), new FrameRate(60, 1));

  public FrameRate {
    if (num <= 0 || den <= 0) {
      throw new IllegalArgumentException("frame rate must be positive, got " + num + "/" + den);
    }
  }

  public double fps() {
    return (double) num / den;
  }

  /** Presentation time of frame {@code index} in microseconds, rounded down. */
  public long frameTimeMicros(long index) {
    return Math.floorDiv(index * den * 1_000_000L, num);
  }

  /** Number of whole frames that fit in {@code micros}, rounded to the nearest frame. */
  public long framesIn(long micros) {
    return Math.round(micros * (double) num / (den * 1_000_000.0));
  }

  /** A timescale in which every frame lasts a whole number of ticks: lcm(90000, num). */
  public int timescale() {
    long a = 90_000, b = num;
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return (int) (90_000L / a * num);
  }

  /** Ticks of {@link #timescale()} per frame. */
  public long frameTicks() {
    return (long) timescale() * den / num;
  }

  /**
   * The output rate for a source: its own nominal rate when constant, otherwise the standard
   * rate nearest its average (a variable-rate title is resampled onto a constant grid, so that
   * every rung has the same frame at the same instant).
   */
  public static FrameRate forOutput(FrameRate nominal, FrameRate average, boolean variable) {
    if (!variable && nominal != null && nominal.fps() <= 120) {
      return nominal;
    }
    FrameRate best = STANDARD.get(0);
    for (FrameRate candidate : STANDARD) {
      if (Math.abs(candidate.fps() - average.fps()) < Math.abs(best.fps() - average.fps())) {
        best = candidate;
      }
    }
    return best;
  }

  @Override
  public String toString() {
    return den == 1 ? Integer.toString(num) : num + "/" + den;
  }
}
