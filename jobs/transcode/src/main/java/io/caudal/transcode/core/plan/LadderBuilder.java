package io.caudal.transcode.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Derives the H.264 ladder from the source: 1080p, 720p, 540p, 360p and 240p, never upscaled.
 *
 * <p>A rung is named by its short side, so a portrait source gets portrait rungs. Rungs above the
 * source are dropped; a source smaller than the lowest rung gets a single rung at its own size.
 * Bitrates are for 30 fps and scale up for higher rates.
 */
public final class LadderBuilder {
  /** Short side and bitrate at 30 fps, highest first. */
  private static final int[][] DEFAULT_RUNGS = {
      {1080, 5000}, {720, 3000}, {540, 2000}, {360, 1000}, {240, 400}};

  private LadderBuilder() {}

  /**
   * The ladder for a source of display size {@code width}×{@code height} at {@code rate}.
   *
   * @param maxRungs keep at most this many rungs, highest first (0 = all)
   */
  public static List<RungTarget> build(int width, int height, FrameRate rate, int maxRungs) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("source size must be positive, got " + width + "x" + height);
    }
    boolean portrait = height > width;
    int shortSide = Math.min(width, height);
    int longSide = Math.max(width, height);
    double rateFactor = rate.fps() > 31 ? 1.5 : 1.0;
    List<RungTarget> rungs = new ArrayList<>();
    for (int[] rung : DEFAULT_RUNGS) {
      if (rung[0] <= shortSide) {
        rungs.add(rung(rung[0], longSide, shortSide, portrait, (int) Math.round(rung[1] * rateFactor)));
      }
    }
    if (rungs.isEmpty()) {
      int kbps = (int) Math.max(100, Math.round(400.0 * shortSide * longSide / (240 * 426) * rateFactor));
      rungs.add(rung(shortSide, longSide, shortSide, portrait, kbps));
    }
    return maxRungs > 0 && rungs.size() > maxRungs ? List.copyOf(rungs.subList(0, maxRungs)) : List.copyOf(rungs);
  }

  private static RungTarget rung(int targetShort, int longSide, int shortSide, boolean portrait, int kbps) {
    int outShort = even(targetShort);
    int outLong = even((int) Math.round((double) longSide * targetShort / shortSide));
    int w = portrait ? outShort : outLong;
    int h = portrait ? outLong : outShort;
    return new RungTarget(outShort + "p", w, h, kbps, kbps * 3 / 2, kbps * 2);
  }

  private static int even(int v) {
    return Math.max(2, v - (v % 2));
  }
}
