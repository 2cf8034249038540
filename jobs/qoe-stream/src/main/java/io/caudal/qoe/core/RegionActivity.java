package io.caudal.qoe.core;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * One minute of one region as steering weighs it: QoE by server and sessions by title. Steering
 * keeps one per minute and reads the minutes of its window with {@link #qoeByServer} and
 * {@link #demandByTitle}.
 */
public final class RegionActivity implements Serializable {
  /** Steering weighs the last five minutes: long enough to smooth a bad minute, short enough to react. */
  public static final long WINDOW_MS = 5 * 60_000L;
  private static final long MINUTE_MS = 60_000;

  private final HashMap<String, MinuteAggregate> qoeByServer = new HashMap<>();
  private final HashMap<String, Long> sessionsByTitle = new HashMap<>();

  /** Adds one session's share of this minute. */
  public void add(MinuteContribution c) {
    qoeByServer.computeIfAbsent(c.keyOf("server"), s -> new MinuteAggregate()).add(c.contribution());
    sessionsByTitle.merge(c.keyOf("title"), 1L, Long::sum);
  }

  /**
   * Whether a minute counts for a decision at {@code now}: it has ended by then (a decision reads
   * only minutes that were complete, whatever else has arrived), and is within the window.
   */
  public static boolean inWindow(long minute, long now) {
    return minute + MINUTE_MS <= now && minute >= now - WINDOW_MS;
  }

  /** Each server's QoE over the minutes of the window ending at {@code now}. */
  public static Map<String, SteeringPolicy.ServerQoe> qoeByServer(Map<Long, RegionActivity> minutes, long now) {
    Map<String, MinuteAggregate> merged = new HashMap<>();
    minutes.forEach((minute, activity) -> {
      if (inWindow(minute, now)) {
        activity.qoeByServer.forEach(
            (server, aggregate) -> merged.computeIfAbsent(server, s -> new MinuteAggregate()).merge(aggregate));
      }
    });
    Map<String, SteeringPolicy.ServerQoe> qoe = new HashMap<>();
    merged.forEach((server, aggregate) -> qoe.put(server, aggregate.toServerQoe()));
    return qoe;
  }

  /** Demand by title over the window ending at {@code now}: its most sessions in any one minute. */
  public static Map<String, Long> demandByTitle(Map<Long, RegionActivity> minutes, long now) {
    Map<String, Long> demand = new HashMap<>();
    minutes.forEach((minute, activity) -> {
      if (inWindow(minute, now)) {
        activity.sessionsByTitle.forEach((title, n) -> demand.merge(title, n, Math::max));
      }
    });
    return demand;
  }
}
