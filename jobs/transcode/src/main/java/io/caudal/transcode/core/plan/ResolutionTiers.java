package io.caudal.transcode.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The picture sizes a ladder may use for a source: tiers of the long side (the width of a
 * landscape source, the height of a portrait one), the other side from the display aspect
 * ratio, never larger than the source. Both sides are multiples of 4, so the 4:2:0 chroma planes
 * have even sides too: at an odd chroma height (480×270) libx264 wrote different bytes from run
 * to run, and a re-run must write the same title.
 *
 * <p>Tiering by the long side keeps a scope film (1920×804) at full width rather than cutting a
 * tenth of it to fit a 16:9 height. A source between two tiers keeps its own size as the top
 * one. A source of fewer than {@value #MIN_TIERED_LINES} lines is not scaled down at all: its
 * rungs differ by bitrate only.
 */
public final class ResolutionTiers {
  /** Long-side tiers, largest first. */
  public static final int[] TIERS = {1920, 1280, 960, 640, 480};
  /** Smaller tiers, used only while a source would otherwise have fewer than {@link #MIN_SIZES}. */
  public static final int[] SMALL_TIERS = {384, 320};
  /** A source of at least this many lines gets at least {@link #MIN_SIZES} sizes when it can. */
  public static final int MIN_TIERED_LINES = 360;
  public static final int MIN_SIZES = 3;
  /**
   * A tier within this fraction of the source's own size is skipped: 960 below a 1000-wide
   * source would cost a rung and look the same.
   */
  static final double MIN_STEP = 0.85;

  private ResolutionTiers() {}

  /** The candidate sizes for a source of display size {@code width}×{@code height}, largest first. */
  public static List<Size> sizes(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("source size must be positive, got " + width + "x" + height);
    }
    Size source = new Size(mod4(width), mod4(height));
    if (Math.min(width, height) < MIN_TIERED_LINES) {
      return List.of(source);
    }
    int along = Math.max(width, height);
    int top = Math.min(along, TIERS[0]);
    List<Size> sizes = new ArrayList<>();
    sizes.add(top == along ? source : scaled(width, height, top));
    for (int tier : TIERS) {
      if (tier <= top * MIN_STEP) {
        sizes.add(scaled(width, height, tier));
      }
    }
    for (int tier : SMALL_TIERS) {
      if (sizes.size() < MIN_SIZES && tier <= top * MIN_STEP) {
        sizes.add(scaled(width, height, tier));
      }
    }
    return List.copyOf(sizes);
  }

  /** The source scaled so that its long side is {@code along}, even on both sides. */
  static Size scaled(int width, int height, int along) {
    boolean portrait = height > width;
    int longSide = Math.max(width, height);
    int shortSide = Math.min(width, height);
    int across = mod4((int) Math.round((double) shortSide * along / longSide));
    return portrait ? new Size(across, mod4(along)) : new Size(mod4(along), across);
  }

  /** {@code v} rounded down to a multiple of 4 (at least 4). */
  static int mod4(int v) {
    return Math.max(4, v - (v % 4));
  }
}
