package io.caudal.qoe.core;

/**
 * The viewer-experience score of one session, 0–100, from four published sub-scores of 0–100
 * each (the formula is also in the module's README):
 *
 * <ul>
 *   <li><b>startup</b> = 100 up to 1 s, falling linearly to 0 at 10 s:
 *       {@code 100 × clamp(1 − (startup − 1 s) / 9 s)}; a session that never started has none;</li>
 *   <li><b>smoothness</b> = {@code 100 × clamp(1 − 10 × rebufferingRatio) − 5 × stalls}, not below 0:
 *       10 % of the time stalled is the worst, and each stall costs 5 points more;</li>
 *   <li><b>quality</b> = {@code 100 × (0.7 × min(1, avgBitrate ÷ topRung) + 0.3 × reached ÷ rungs)},
 *       where reached is the number of the title's rungs at or below the highest bitrate the
 *       player played: the rungs it could not reach cost up to 30 points;</li>
 *   <li><b>success</b>: a start failure or a playback failure scores the session 0 whatever else
 *       happened.</li>
 * </ul>
 *
 * <p>score = 0.3 × startup + 0.4 × smoothness + 0.3 × quality for a session that played; a
 * sub-score that cannot be known yet (no bitrate reported) is left out and the weights of the
 * others renormalised. A session that exited before video start without an error has no score
 * (EBVS is its own metric); neither has one never attempted.
 */
public final class ExperienceScore {
  static final double STARTUP_GOOD_MS = 1_000;
  static final double STARTUP_WORST_MS = 10_000;
  static final double REBUFFERING_WORST = 0.10;
  static final double POINTS_PER_STALL = 5;
  static final double BITRATE_WEIGHT = 0.7;
  static final double STARTUP_WEIGHT = 0.3;
  static final double SMOOTHNESS_WEIGHT = 0.4;
  static final double QUALITY_WEIGHT = 0.3;

  private ExperienceScore() {}

  /**
   * What the score is computed from.
   *
   * @param failed a start failure or a playback failure
   * @param startupMs null when the session never started
   * @param rebufferingRatio null when nothing played yet
   * @param avgBitrateKbps null when no bitrate was reported while playing
   * @param maxBitrateKbps the highest bitrate played, null when none
   * @param ladderKbps the title's rungs, ascending
   */
  public record Inputs(boolean failed, Long startupMs, Double rebufferingRatio, int stalls, Double avgBitrateKbps,
      Integer maxBitrateKbps, int[] ladderKbps) {}

  /** The session's score, or null when it has none (never started, without failing). */
  public static Double of(Inputs in) {
    if (in.failed()) {
      return 0.0;
    }
    if (in.startupMs() == null) {
      return null;
    }
    double weighted = STARTUP_WEIGHT * startup(in.startupMs());
    double weights = STARTUP_WEIGHT;
    if (in.rebufferingRatio() != null) {
      weighted += SMOOTHNESS_WEIGHT * smoothness(in.rebufferingRatio(), in.stalls());
      weights += SMOOTHNESS_WEIGHT;
    }
    Double quality = quality(in.avgBitrateKbps(), in.maxBitrateKbps(), in.ladderKbps());
    if (quality != null) {
      weighted += QUALITY_WEIGHT * quality;
      weights += QUALITY_WEIGHT;
    }
    return weighted / weights;
  }

  /** 100 up to 1 s, 0 from 10 s, linear between. */
  public static double startup(long startupMs) {
    return 100 * clamp(1 - (startupMs - STARTUP_GOOD_MS) / (STARTUP_WORST_MS - STARTUP_GOOD_MS));
  }

  /** 100 without stalls, 0 at 10 % rebuffering; 5 points less per stall. */
  public static double smoothness(double rebufferingRatio, int stalls) {
    return Math.max(0, 100 * clamp(1 - rebufferingRatio / REBUFFERING_WORST) - POINTS_PER_STALL * stalls);
  }

  /** The average bitrate against the top rung (70 %) and the share of rungs reached (30 %); null without a bitrate. */
  public static Double quality(Double avgBitrateKbps, Integer maxBitrateKbps, int[] ladderKbps) {
    if (avgBitrateKbps == null || ladderKbps == null || ladderKbps.length == 0) {
      return null;
    }
    double top = ladderKbps[ladderKbps.length - 1];
    int reached = 0;
    int highest = maxBitrateKbps == null ? 0 : maxBitrateKbps;
    for (int rung : ladderKbps) {
      reached += rung <= highest ? 1 : 0;
    }
    return 100 * (BITRATE_WEIGHT * Math.min(1, avgBitrateKbps / top)
        + (1 - BITRATE_WEIGHT) * reached / ladderKbps.length);
  }

  private static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }
}
