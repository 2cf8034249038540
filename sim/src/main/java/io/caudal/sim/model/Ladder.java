package io.caudal.sim.model;

import java.util.List;

/**
 * The bitrate ladder a title is encoded in: video rungs in kbit/s, lowest first.
 *
 * @param rungsKbps distinct positive bitrates, ascending
 */
public record Ladder(List<Integer> rungsKbps) {

  /** A common 7-rung ladder for 1080p VOD (the shape of Apple's HLS authoring ladder). */
  public static final Ladder DEFAULT = new Ladder(List.of(145, 365, 730, 2000, 3000, 4500, 6000));

  public Ladder {
    rungsKbps = List.copyOf(rungsKbps);
    if (rungsKbps.isEmpty()) {
      throw new IllegalArgumentException("a ladder needs at least one rung");
    }
    for (int i = 0; i < rungsKbps.size(); i++) {
      if (rungsKbps.get(i) <= 0) {
        throw new IllegalArgumentException("rung " + rungsKbps.get(i) + " kbps is not positive");
      }
      if (i > 0 && rungsKbps.get(i) <= rungsKbps.get(i - 1)) {
        throw new IllegalArgumentException("rungs must ascend, got " + rungsKbps);
      }
    }
  }

  public int lowest() {
    return rungsKbps.get(0);
  }

  public int top() {
    return rungsKbps.get(rungsKbps.size() - 1);
  }

  /** The highest rung at or under {@code kbps}; the lowest rung when every rung is above it. */
  public int highestAtMost(double kbps) {
    int best = lowest();
    for (int rung : rungsKbps) {
      if (rung <= kbps) {
        best = rung;
      }
    }
    return best;
  }

  /** The rung just under {@code kbps}, or the lowest rung. */
  public int below(int kbps) {
    return highestAtMost(kbps - 1);
  }
}
