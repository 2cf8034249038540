package io.caudal.qoe.core;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One minute of one region as steering weighs it: QoE by server and sessions by title. Steering
 * keeps one per minute and reads the minutes of its window with {@link #qoeByServer} and
 * {@link #demandByTitle}. It also keeps, per server, the ids of the sessions that started
 * (PLAY_REQUESTED) in the minute, so that steering counts distinct started sessions over the window
 * rather than session-minutes: a forger must start many sessions, not keep a few open.
 */
public final class RegionActivity implements Serializable {
  /** Steering weighs the last five minutes: long enough to smooth a bad minute, short enough to react. */
  public static final long WINDOW_MS = 5 * 60_000L;
  private static final long MINUTE_MS = 60_000;

  private final HashMap<String, MinuteAggregate> qoeByServer = new HashMap<>();
  private final HashMap<String, Long> sessionsByTitle = new HashMap<>();
  private final HashMap<String, HashSet<String>> startedSessionsByServer = new HashMap<>();

  /** Adds one session's share of this minute. */
  public void add(MinuteContribution c) {
    qoeByServer.computeIfAbsent(c.keyOf("server"), s -> new MinuteAggregate()).add(c.contribution());
    sessionsByTitle.merge(c.keyOf("title"), 1L, Long::sum);
    if (c.contribution().attempt() && c.contribution().sessionId() != null) {
      startedSessionsByServer.computeIfAbsent(c.keyOf("server"), s -> new HashSet<>()).add(c.contribution().sessionId());
    }
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
    Map<String, Set<String>> started = new HashMap<>();
    minutes.forEach((minute, activity) -> {
      if (inWindow(minute, now)) {
        activity.qoeByServer.forEach(
            (server, aggregate) -> merged.computeIfAbsent(server, s -> new MinuteAggregate()).merge(aggregate));
        activity.startedSessionsByServer.forEach(
            (server, ids) -> started.computeIfAbsent(server, s -> new HashSet<>()).addAll(ids));
      }
    });
    Map<String, SteeringPolicy.ServerQoe> qoe = new HashMap<>();
    merged.forEach((server, aggregate) -> {
      SteeringPolicy.ServerQoe all = aggregate.toServerQoe();
      long distinctStarts = started.getOrDefault(server, Set.of()).size();
      qoe.put(server, new SteeringPolicy.ServerQoe(all.rebufferingRatio(), all.startupP95Ms(), all.lossFraction(),
          all.sessions(), Math.min(distinctStarts, all.sessions())));
    });
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

  /** The version of the encoding {@link #writeTo} writes; see {@link SessionQoe#STATE_FORMAT} for the rule. */
  public static final int STATE_FORMAT = 2;

  /** Writes the minute in the current {@link #STATE_FORMAT} (its aggregates in theirs). */
  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(qoeByServer.size());
    for (Map.Entry<String, MinuteAggregate> server : qoeByServer.entrySet()) {
      out.writeUTF(server.getKey());
      server.getValue().writeTo(out);
    }
    out.writeInt(sessionsByTitle.size());
    for (Map.Entry<String, Long> title : sessionsByTitle.entrySet()) {
      out.writeUTF(title.getKey());
      out.writeLong(title.getValue());
    }
    // Since format 2.
    out.writeInt(startedSessionsByServer.size());
    for (Map.Entry<String, HashSet<String>> server : startedSessionsByServer.entrySet()) {
      out.writeUTF(server.getKey());
      out.writeInt(server.getValue().size());
      for (String sessionId : server.getValue()) {
        out.writeUTF(sessionId);
      }
    }
  }

  /**
   * Reads a minute {@link #writeTo} wrote in {@code format}.
   *
   * @param aggregateFormat the format its aggregates were written in
   */
  public static RegionActivity readFrom(DataInput in, int format, int aggregateFormat) throws IOException {
    if (format < 1 || format > STATE_FORMAT) {
      throw new IOException("region activity format " + format + " is not one of 1.." + STATE_FORMAT);
    }
    RegionActivity activity = new RegionActivity();
    for (int i = in.readInt(); i > 0; i--) {
      activity.qoeByServer.put(in.readUTF(), MinuteAggregate.readFrom(in, aggregateFormat));
    }
    for (int i = in.readInt(); i > 0; i--) {
      activity.sessionsByTitle.put(in.readUTF(), in.readLong());
    }
    // A minute restored from format 1 knows no starts: it cannot count towards an exclusion.
    if (format >= 2) {
      for (int i = in.readInt(); i > 0; i--) {
        HashSet<String> ids = new HashSet<>();
        String server = in.readUTF();
        for (int j = in.readInt(); j > 0; j--) {
          ids.add(in.readUTF());
        }
        activity.startedSessionsByServer.put(server, ids);
      }
    }
    return activity;
  }
}
