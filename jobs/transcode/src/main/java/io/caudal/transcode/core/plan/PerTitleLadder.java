package io.caudal.transcode.core.plan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses a title's rungs from its complexity probe: the upper convex hull of quality against
 * log bitrate over every probed size, then rungs on that hull.
 *
 * <p>Each rung is then encoded at the CRF that gives its bitrate on this title's probe (or a higher
 * one that already reaches its quality), capped at 1.5× that bitrate.
 *
 * <ul>
 *   <li>top: the lowest bitrate that reaches {@link Targets#topQuality()}, or earlier where one
 *       more doubling of bits would buy less than {@link Targets#minGainPerDoubling()};
 *   <li>below it, one rung per {@link Targets#qualityStep()} of quality (a step a viewer can
 *       see), each at least {@link Targets#minRatio()} times cheaper than the one above;
 *   <li>bottom: {@link Targets#floorKbps()}, or lower when the ladder still has fewer than
 *       {@link Targets#minRungs()} rungs (then the range down to a quarter of the top is split
 *       evenly in log bitrate);
 *   <li>each rung at the size whose own rate-quality curve is highest at its bitrate, and never
 *       larger than the size of the rung above.
 * </ul>
 */
public final class PerTitleLadder {
  /**
   * What the rungs aim at, in the units of {@link QualityScale}.
   *
   * @param topQuality quality of the top rung
   * @param minGainPerDoubling below this quality gain per doubling of bitrate, more bits do not pay
   * @param qualityStep quality between neighbouring rungs
   * @param floorKbps bitrate of the bottom rung
   * @param minRatio least bitrate ratio between neighbouring rungs
   * @param minRungs fewest rungs
   * @param maxRungs most rungs
   */
  public record Targets(double topQuality, double minGainPerDoubling, double qualityStep, int floorKbps,
      double minRatio, int minRungs, int maxRungs) implements Serializable {
    /**
     * VMAF 94.5 on top (the estimate is within about 1.5 points of VMAF there on the benchmark's
     * clips, so the rung lands in 93–97), no more bits on top once a doubling buys under 1.5
     * points, a rung per 6 points (a step a viewer sees), 150 kbit/s at the bottom.
     */
    public static Targets defaults() {
      return new Targets(94.5, 1.5, 6, 150, 1.45, 3, 6);
    }
  }

  /**
   * A chosen rung and why it is there.
   *
   * @param rung what the encoder is asked for
   * @param predictedQuality the quality the probe predicts at that size and bitrate
   * @param reason why this bitrate: "top: quality target", "top: gain per doubling", "step", "floor", "spread"
   */
  public record Chosen(RungTarget rung, double predictedQuality, String reason) implements Serializable {}

  /** The hull and the rungs on it, highest first. */
  public record Ladder(List<ProbePoint> hull, List<Chosen> rungs) implements Serializable {
    public List<RungTarget> targets() {
      return rungs.stream().map(Chosen::rung).toList();
    }

    /**
     * The rungs with a VBV buffer of at least one segment at the peak rate: on easy content most
     * of a segment's bits are its IDR, which a two-second buffer at a low average would starve
     * (a slide show's top rung fell from the probe's prediction to a smear). The peak of a
     * segment still stays under the rung's maximum rate.
     */
    public List<RungTarget> targets(double segmentSeconds) {
      return targets().stream().map(r -> new RungTarget(r.id(), r.width(), r.height(), r.targetKbps(), r.maxKbps(),
          Math.max(r.bufferKbits(), (int) Math.round(segmentSeconds * r.maxKbps())), r.crf(), r.codec())).toList();
    }
  }

  private PerTitleLadder() {}

  public static Ladder choose(List<ProbePoint> points, Targets targets) {
    return choose(points, targets, VideoCodec.H264);
  }

  /** Why a title got the fixed ladder after its probe: see {@link #choose(List, Targets, VideoCodec, List)}. */
  public static final String FIXED_REASON = "fixed: the probe cannot tell rungs apart";

  /**
   * The rungs of {@code codec} on its probe's hull, or {@code fixed} when the probe's quality spans
   * less than two {@link Targets#qualityStep() quality steps} over every size and rate factor: a
   * probe that cannot separate two rungs cannot place them, and the fixed ladder is the safer
   * guess (when the job measured SSIM, heavy grain did this: no encode keeps the grain, SSIM stayed
   * low at any bitrate, and a grainy film's top rung fell to the floor at VMAF 53).
   */
  public static Ladder choose(List<ProbePoint> points, Targets targets, VideoCodec codec, List<RungTarget> fixed) {
    List<ProbePoint> hull = points.isEmpty() ? List.of() : hull(points);
    if (!fixed.isEmpty() && !hull.isEmpty()
        && hull.get(hull.size() - 1).quality() - hull.get(0).quality() < 2 * targets.qualityStep()) {
      return new Ladder(hull, fixed.stream()
          .map(r -> new Chosen(r, qualityAt(hull, Math.log(r.targetKbps())), FIXED_REASON)).toList());
    }
    return choose(points, targets, codec);
  }

  /**
   * The rungs of {@code codec} on the hull of its own probe points: the same rules for every
   * codec, the rate factors on the codec's own scale and the ids with its suffix.
   */
  public static Ladder choose(List<ProbePoint> points, Targets targets, VideoCodec codec) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no probe points");
    }
    List<ProbePoint> hull = hull(points);
    Top found = top(hull, targets);
    // A title so easy that its top would fall under the floor gets the floor on top: a few
    // more bits cost nothing, and the rungs below stay apart.
    double top = Math.max(found.x(), Math.log(targets.floorKbps()));
    String topReason = found.x() < top ? "top: floor" : found.reason();
    List<double[]> chosen = new ArrayList<>(); // {log kbps}
    List<String> reasons = new ArrayList<>();
    chosen.add(new double[] {top});
    reasons.add(topReason);
    double floor = Math.log(targets.floorKbps());
    double minStep = Math.log(targets.minRatio());
    double q = qualityAt(hull, top);
    while (chosen.size() < targets.maxRungs() - 1) {
      q -= targets.qualityStep();
      double x = Math.min(xAt(hull, q), chosen.get(chosen.size() - 1)[0] - minStep);
      if (x < floor + minStep) {
        break;
      }
      chosen.add(new double[] {x});
      reasons.add("step");
    }
    if (floor <= chosen.get(chosen.size() - 1)[0] - minStep) {
      chosen.add(new double[] {floor});
      reasons.add("floor");
    }
    if (chosen.size() < targets.minRungs()) {
      // Too little range between floor and top: spread the rungs evenly down to a quarter of the top.
      double low = Math.min(chosen.get(chosen.size() - 1)[0], top - Math.log(4));
      chosen.clear();
      reasons.clear();
      int n = targets.minRungs();
      for (int i = 0; i < n; i++) {
        chosen.add(new double[] {top - (top - low) * i / (n - 1)});
        reasons.add(i == 0 ? topReason : "spread");
      }
    }
    List<Chosen> rungs = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    Size above = null;
    for (int i = 0; i < chosen.size(); i++) {
      double x = chosen.get(i)[0];
      int kbps = LadderBuilder.roundKbps(Math.exp(x));
      Size size = bestSize(points, Math.log(kbps), above);
      if (size.equals(above) && Math.abs(aim(curve(points, size), kbps, targets, codec).quality()
          - rungs.get(i - 1).predictedQuality()) < targets.qualityStep() / 4) {
        // The probe sees no difference from the rung above at this size: an easy picture at the
        // encoder's least bits, where every rate factor gives about the same stream. The next
        // size down makes a rung that differs; the same size would repeat the one above.
        size = nextSmaller(points, size).orElse(size);
      }
      above = size;
      RungTarget capped = RungTarget.capped(LadderBuilder.rungId(size, seen) + codec.rungSuffix(), size, kbps);
      Aim aim = aim(curve(points, size), kbps, targets, codec);
      rungs.add(new Chosen(new RungTarget(capped.id(), capped.width(), capped.height(), kbps, capped.maxKbps(),
          capped.bufferKbits(), aim.crf(), codec), round2(aim.quality()), reasons.get(i)));
    }
    return new Ladder(hull, List.copyOf(rungs));
  }

  /** A rung's rate factor and the quality the probe predicts for it. */
  private record Aim(double crf, double quality) {}

  /**
   * The rate factor that gives a rung of this size's curve its bitrate, or a higher one that
   * already reaches the quality the probe predicts there (at most the top's target): a picture at
   * the encoder's least bits spends them at any rate factor, and the lowest would give it more
   * quality than any rung aims at, for nothing.
   */
  private static Aim aim(List<ProbePoint> curve, int kbps, Targets targets, VideoCodec codec) {
    double x = Math.log(kbps);
    double byRate = crfFor(curve, x, codec);
    double byQuality = crfReaching(curve, Math.min(qualityOn(curve, x), targets.topQuality()));
    return byQuality > byRate ? new Aim(byQuality, qualityAtCrf(curve, byQuality)) : new Aim(byRate, qualityOn(curve, x));
  }

  /** Quality on a size's probe at rate factor {@code crf}, interpolated between the probed ones (their ends beyond). */
  static double qualityAtCrf(List<ProbePoint> curve, double crf) {
    List<ProbePoint> byCrf = byCrf(curve);
    if (crf <= byCrf.get(0).crf()) {
      return byCrf.get(0).quality();
    }
    for (int i = 0; i + 1 < byCrf.size(); i++) {
      ProbePoint a = byCrf.get(i);
      ProbePoint b = byCrf.get(i + 1);
      if (crf <= b.crf()) {
        return a.quality() + (b.quality() - a.quality()) * (crf - a.crf()) / (b.crf() - a.crf());
      }
    }
    return byCrf.get(byCrf.size() - 1).quality();
  }

  private record Top(double x, String reason) {}

  /** Where the top rung goes, on the hull's log-bitrate axis, and why. */
  private static Top top(List<ProbePoint> hull, Targets targets) {
    // Walk up the hull until a segment gains too little per doubling or the target is crossed.
    for (int i = 0; i + 1 < hull.size(); i++) {
      ProbePoint a = hull.get(i);
      ProbePoint b = hull.get(i + 1);
      if (a.quality() >= targets.topQuality()) {
        return new Top(a.x(), "top: quality target");
      }
      double gainPerDoubling = (b.quality() - a.quality()) / (b.x() - a.x()) * Math.log(2);
      if (gainPerDoubling < targets.minGainPerDoubling()) {
        return new Top(a.x(), "top: gain per doubling");
      }
      if (b.quality() >= targets.topQuality()) {
        return new Top(a.x() + (b.x() - a.x()) * (targets.topQuality() - a.quality()) / (b.quality() - a.quality()),
            "top: quality target");
      }
    }
    ProbePoint last = hull.get(hull.size() - 1);
    return new Top(last.x(), last.quality() >= targets.topQuality() ? "top: quality target" : "top: highest probed");
  }

  /**
   * The upper convex hull of the points in the (log bitrate, quality) plane, by bitrate, cut after
   * its highest quality: every point on it is the best quality any probed size reached for its bits.
   */
  public static List<ProbePoint> hull(List<ProbePoint> points) {
    List<ProbePoint> sorted = points.stream()
        .sorted(Comparator.comparingDouble(ProbePoint::x).thenComparingDouble(ProbePoint::quality)).toList();
    List<ProbePoint> upper = new ArrayList<>();
    for (ProbePoint p : sorted) {
      while (upper.size() >= 2 && cross(upper.get(upper.size() - 2), upper.get(upper.size() - 1), p) >= 0) {
        upper.remove(upper.size() - 1);
      }
      if (!upper.isEmpty() && upper.get(upper.size() - 1).x() == p.x()) {
        upper.remove(upper.size() - 1);
      }
      upper.add(p);
    }
    int best = 0;
    for (int i = 1; i < upper.size(); i++) {
      if (upper.get(i).quality() > upper.get(best).quality()) {
        best = i;
      }
    }
    return List.copyOf(upper.subList(0, best + 1));
  }

  /** > 0 when o→a→b turns left (b above the line through o and a). */
  private static double cross(ProbePoint o, ProbePoint a, ProbePoint b) {
    return (a.x() - o.x()) * (b.quality() - o.quality()) - (a.quality() - o.quality()) * (b.x() - o.x());
  }

  /** Quality along the hull at log bitrate x (flat beyond its ends). */
  static double qualityAt(List<ProbePoint> hull, double x) {
    return qualityOn(hull, x);
  }

  /** Log bitrate at which the hull reaches quality q (its ends beyond its range). */
  static double xAt(List<ProbePoint> hull, double q) {
    if (q <= hull.get(0).quality()) {
      return hull.get(0).x() - (hull.get(0).quality() - q) / Math.max(1e-9, slope(hull, 0));
    }
    for (int i = 0; i + 1 < hull.size(); i++) {
      ProbePoint a = hull.get(i);
      ProbePoint b = hull.get(i + 1);
      if (q <= b.quality()) {
        return a.x() + (b.x() - a.x()) * (q - a.quality()) / (b.quality() - a.quality());
      }
    }
    return hull.get(hull.size() - 1).x();
  }

  private static double slope(List<ProbePoint> curve, int i) {
    if (curve.size() < 2) {
      return 1; // one point: a dB per e-fold, only to place rungs below it
    }
    ProbePoint a = curve.get(i);
    ProbePoint b = curve.get(i + 1);
    return (b.quality() - a.quality()) / (b.x() - a.x());
  }

  /**
   * Quality on a curve sorted by bitrate at log bitrate x: interpolated inside, flat above its
   * highest point (more bits are not assumed to help), and falling along its first segment below
   * its lowest.
   */
  static double qualityOn(List<ProbePoint> curve, double x) {
    ProbePoint first = curve.get(0);
    if (x <= first.x()) {
      return first.quality() - (first.x() - x) * Math.max(0, slope(curve, 0));
    }
    for (int i = 0; i + 1 < curve.size(); i++) {
      ProbePoint a = curve.get(i);
      ProbePoint b = curve.get(i + 1);
      if (x <= b.x()) {
        return a.quality() + (b.quality() - a.quality()) * (x - a.x()) / (b.x() - a.x());
      }
    }
    return curve.get(curve.size() - 1).quality();
  }

  /**
   * The constant rate factor that gives log bitrate x on a size's curve: CRF is close to linear
   * in log bitrate, so interpolated between the probe's points (in CRF order) that bracket x,
   * and beyond them extended by x264's rule of thumb, 6 CRF per halving of the bitrate (a
   * picture so easy that its bitrate hardly moves with CRF gets a low CRF, which costs nothing);
   * within x264's useful range, to a tenth.
   */
  static double crfFor(List<ProbePoint> curve, double x) {
    return crfFor(curve, x, VideoCodec.H264);
  }

  /** {@link #crfFor(List, double)} on {@code codec}'s rate factor scale. */
  static double crfFor(List<ProbePoint> curve, double x, VideoCodec codec) {
    List<ProbePoint> byCrf = byCrf(curve);
    ProbePoint best = byCrf.get(0);
    ProbePoint worst = byCrf.get(byCrf.size() - 1);
    double crf;
    if (x >= best.x()) {
      crf = best.crf() - codec.crfPerHalving() * (x - best.x()) / Math.log(2);
    } else if (x <= worst.x()) {
      crf = worst.crf() + codec.crfPerHalving() * (worst.x() - x) / Math.log(2);
    } else {
      crf = best.crf();
      for (int i = 0; i + 1 < byCrf.size(); i++) {
        ProbePoint a = byCrf.get(i);
        ProbePoint b = byCrf.get(i + 1);
        if (x <= a.x() && x >= b.x()) {
          crf = a.x() == b.x() ? (a.crf() + b.crf()) / 2.0 : a.crf() + (b.crf() - a.crf()) * (a.x() - x) / (a.x() - b.x());
          break;
        }
      }
    }
    return Math.round(Math.max(codec.minCrf(), Math.min(codec.maxCrf(), crf)) * 10) / 10.0;
  }

  /**
   * The highest rate factor at which a size's probe still reaches quality {@code goal}: between the
   * last probed rate factor that reaches it and the next, which does not, interpolated; the highest
   * probed when all do, the lowest when none does.
   */
  static double crfReaching(List<ProbePoint> curve, double goal) {
    List<ProbePoint> byCrf = byCrf(curve);
    double crf = byCrf.get(0).crf();
    for (int i = 0; i < byCrf.size(); i++) {
      ProbePoint p = byCrf.get(i);
      if (p.quality() >= goal) {
        crf = p.crf();
      } else if (i > 0 && byCrf.get(i - 1).quality() >= goal) {
        ProbePoint a = byCrf.get(i - 1);
        return Math.round((a.crf() + (p.crf() - a.crf()) * (a.quality() - goal) / (a.quality() - p.quality())) * 10) / 10.0;
      }
    }
    return crf;
  }

  /** x264: about 6 more CRF halves the bitrate. */
  static final double CRF_PER_HALVING = 6;

  /** x264's CRF beyond these buys nothing a viewer sees, or nothing worth watching. */
  static final double MIN_CRF = 14;
  static final double MAX_CRF = 45;

  private static List<ProbePoint> curve(List<ProbePoint> points, Size size) {
    return points.stream().filter(p -> p.size().equals(size)).sorted(Comparator.comparingDouble(ProbePoint::x)).toList();
  }

  /** A size's probe points in rate-factor order, lowest first. */
  private static List<ProbePoint> byCrf(List<ProbePoint> curve) {
    return curve.stream().sorted(Comparator.comparingInt(ProbePoint::crf)).toList();
  }

  /**
   * How far below its cheapest probe point a size's curve is trusted: a rung placed on the hull
   * between two sizes' points lands a little under the larger one's cheapest (the slide show's AV1
   * top at 170 kbit/s against 1080p's 176), but far below it the extrapolation flatters a large
   * size over the measured quality of smaller ones (the motion clip got six 1080p rungs, the
   * lowest at VMAF 39 where 540p measured 70).
   */
  static final double EXTRAPOLATION_RATIO = 1.25;

  /**
   * The probed size with the highest quality at log bitrate x, no larger than {@code cap}; the
   * smaller on a tie. Only sizes probed down to within {@link #EXTRAPOLATION_RATIO} of x compete
   * (all, when none is).
   */
  private static Size bestSize(List<ProbePoint> points, double x, Size cap) {
    List<Size> allowed = points.stream().map(ProbePoint::size).distinct()
        .filter(s -> cap == null || s.pixels() <= cap.pixels())
        .sorted(Comparator.comparingLong(Size::pixels)).toList();
    List<Size> probedThatLow = allowed.stream()
        .filter(s -> curve(points, s).get(0).x() <= x + Math.log(EXTRAPOLATION_RATIO) + 1e-9).toList();
    List<Size> sizes = probedThatLow.isEmpty() ? allowed : probedThatLow;
    Size best = null;
    double bestQ = Double.NEGATIVE_INFINITY;
    for (Size s : sizes) {
      double q = qualityOn(curve(points, s), x);
      if (q > bestQ + 1e-9) {
        best = s;
        bestQ = q;
      }
    }
    return best;
  }

  /** The largest probed size smaller than {@code size}, if any. */
  private static Optional<Size> nextSmaller(List<ProbePoint> points, Size size) {
    return points.stream().map(ProbePoint::size).filter(s -> s.pixels() < size.pixels())
        .max(Comparator.comparingLong(Size::pixels));
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
