package io.caudal.transcode.core.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What a track's cues go through before packaging: empty ones dropped, ordered, fitted to the title. */
public final class Cues {
  private Cues() {}

  /**
   * The cues fitted to a title.
   *
   * @param cues in order of start, then end
   * @param empty cues dropped for having no text or no duration
   * @param clipped cues that ran past the title's end, cut there
   * @param dropped cues that start at or after the title's end
   */
  public record Fitted(List<Cue> cues, int empty, int clipped, int dropped) {
    /** "12 cues", and what was dropped or clipped, for the progress line and the report. */
    public String describe() {
      StringBuilder s = new StringBuilder().append(cues.size()).append(cues.size() == 1 ? " cue" : " cues");
      if (empty > 0) {
        s.append(", ").append(empty).append(" empty dropped");
      }
      if (clipped > 0) {
        s.append(", ").append(clipped).append(" clipped at the last frame");
      }
      if (dropped > 0) {
        s.append(", ").append(dropped).append(" after the last frame dropped");
      }
      return s.toString();
    }
  }

  /**
   * Orders the cues (overlapping ones stay: players show them together), drops empty ones, cuts
   * those that run past {@code endMillis} and drops those that start there or later.
   */
  public static Fitted fit(List<Cue> cues, long endMillis) {
    List<Cue> kept = new ArrayList<>();
    int empty = 0;
    int clipped = 0;
    int dropped = 0;
    for (Cue cue : cues) {
      if (cue.plainText().isBlank() || cue.endMillis() <= cue.startMillis()) {
        empty++;
      } else if (cue.startMillis() >= endMillis) {
        dropped++;
      } else if (cue.endMillis() > endMillis) {
        clipped++;
        kept.add(new Cue(cue.startMillis(), endMillis, cue.text(), cue.settings()));
      } else {
        kept.add(cue);
      }
    }
    kept.sort(Comparator.comparingLong(Cue::startMillis).thenComparingLong(Cue::endMillis));
    return new Fitted(List.copyOf(kept), empty, clipped, dropped);
  }
}
