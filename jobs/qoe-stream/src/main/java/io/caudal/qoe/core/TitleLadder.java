package io.caudal.qoe.core;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.Rung;
import java.io.Serializable;
import java.util.Arrays;

/**
 * What the job needs to know of a title: its duration (for completion) and its ladder's rungs in
 * kbit/s, ascending (a bitrate cap is one of them).
 *
 * @param durationMs 0 when unknown
 * @param ladderKbps the advertised (peak) bitrate of each rung, strictly ascending
 */
public record TitleLadder(long durationMs, int[] ladderKbps) implements Serializable {

  /** The title as the catalog row describes it; a rung's cap is its peak, what HLS advertises as BANDWIDTH. */
  public static TitleLadder of(CatalogEntry entry) {
    int[] ladder = entry.getLadder().stream().mapToInt(Rung::getPeakKbps).sorted().distinct().toArray();
    return new TitleLadder(entry.getDurationMs(), ladder);
  }

  /**
   * Parses a ladder such as {@code 145,365,730,2000}.
   *
   * @throws IllegalArgumentException when it is not a list of positive whole kbit/s values
   */
  public static int[] parseLadder(String kbps) {
    int[] ladder;
    try {
      ladder = Arrays.stream(kbps.split(",")).map(String::trim).mapToInt(Integer::parseInt).sorted().distinct()
          .toArray();
    } catch (NumberFormatException e) {
      ladder = new int[0];
    }
    if (ladder.length == 0 || ladder[0] <= 0) {
      throw new IllegalArgumentException("a ladder is a list of positive kbit/s values, e.g. 145,365,730, not '" + kbps + "'");
    }
    return ladder;
  }
}
