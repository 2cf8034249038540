package io.caudal.transcode.core.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed ladder: one rung per size of {@link ResolutionTiers}, at a bitrate that depends on the
 * size only (5 Mbit/s for 1920×1080 at 30 fps, scaled by pixels^0.75, so 1280×720 gets about 2.7
 * and 640×360 about 1 Mbit/s). It ignores the content; the per-title ladder
 * ({@link PerTitleLadder}) does not. It stays for comparison ({@code --ladder fixed}).
 *
 * <p>A source that yields fewer than {@value ResolutionTiers#MIN_SIZES} sizes (fewer than 360
 * lines, or a small square) gets the missing rungs at its smallest size with lower bitrates, so
 * every title can still adapt.
 */
public final class LadderBuilder {
  /** Bitrate of a 1920×1080 rung at 30 fps. */
  static final int FULL_HD_KBPS = 5000;
  /** Bitrates of the extra rungs at the smallest size, as fractions of that size's own. */
  static final double[] LOWER_STEPS = {0.6, 0.35};

  private LadderBuilder() {}

  /**
   * The ladder for a source of display size {@code width}×{@code height} at {@code rate}, highest first.
   *
   * @param maxRungs keep at most this many rungs, highest first (0 = all)
   */
  public static List<RungTarget> build(int width, int height, FrameRate rate, int maxRungs) {
    List<Size> sizes = ResolutionTiers.sizes(width, height);
    List<Size> rungSizes = new ArrayList<>(sizes);
    List<Integer> kbps = new ArrayList<>();
    sizes.forEach(s -> kbps.add(kbpsFor(s, rate)));
    Size smallest = sizes.get(sizes.size() - 1);
    for (int i = 0; rungSizes.size() < ResolutionTiers.MIN_SIZES && i < LOWER_STEPS.length; i++) {
      rungSizes.add(smallest);
      kbps.add(roundKbps(kbpsFor(smallest, rate) * LOWER_STEPS[i]));
    }
    List<RungTarget> rungs = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < rungSizes.size(); i++) {
      rungs.add(RungTarget.capped(rungId(rungSizes.get(i), seen), rungSizes.get(i), kbps.get(i)));
    }
    return maxRungs > 0 && rungs.size() > maxRungs ? List.copyOf(rungs.subList(0, maxRungs)) : List.copyOf(rungs);
  }

  /** The fixed bitrate of a size: 5 Mbit/s at 1920×1080 and 30 fps, scaled by pixels^0.75; 1.5× above 31 fps. */
  static int kbpsFor(Size size, FrameRate rate) {
    double rateFactor = rate.fps() > 31 ? 1.5 : 1.0;
    double pixels = (double) size.pixels() / (1920 * 1080);
    return roundKbps(Math.max(100, FULL_HD_KBPS * Math.pow(pixels, 0.75) * rateFactor));
  }

  static int roundKbps(double kbps) {
    return (int) Math.max(10, Math.round(kbps / 10) * 10);
  }

  /**
   * A rung's id: its lines ("804p"), with "-2", "-3" … for a further rung of the same size, in
   * the order given. {@code seen} counts the ids given so far for one ladder.
   */
  public static String rungId(Size size, Map<String, Integer> seen) {
    String base = size.lines() + "p";
    int n = seen.merge(base, 1, Integer::sum);
    return n == 1 ? base : base + "-" + n;
  }
}
