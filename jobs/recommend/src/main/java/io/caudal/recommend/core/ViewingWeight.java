package io.caudal.recommend.core;

/**
 * How much a viewing session says about taste: confidence grows with completion and with
 * playing time, a session under 10 % watched is weak evidence, and one that never started says
 * nothing. Explicit stars say more than any viewing: 4–5 strongly, 3 mildly, 1–2 not at all.
 */
public final class ViewingWeight {
  /** Below this completion a session is weak evidence. */
  static final double WEAK_COMPLETION = 0.10;
  static final double WEAK_WEIGHT = 0.1;
  /** Playing time beyond which more minutes add little (a feature's first half hour). */
  static final double PLAYING_SATURATION_MS = 30 * 60_000.0;

  private ViewingWeight() {}

  /**
   * @param started whether the video ever started (startupTimeMs not null)
   * @param completion max playhead ÷ duration, 0–1
   * @param playingMs time spent playing
   */
  public static double ofSession(boolean started, double completion, long playingMs) {
    if (!started || playingMs <= 0) {
      return 0;
    }
    double c = Math.max(0, Math.min(1, completion));
    if (c < WEAK_COMPLETION) {
      return WEAK_WEIGHT * c / WEAK_COMPLETION;
    }
    double time = Math.min(1, playingMs / PLAYING_SATURATION_MS);
    return 0.5 + c + 0.5 * time;
  }

  /** Implicit weight of an explicit 1–5 star rating. */
  public static double ofStars(double stars) {
    if (stars >= 4) {
      return 2 + (stars - 4);
    }
    return stars >= 3 ? 0.5 : 0;
  }
}
