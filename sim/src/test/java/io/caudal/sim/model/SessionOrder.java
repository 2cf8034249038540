package io.caudal.sim.model;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks the life of each session in a stream of heartbeats; lists what breaks it. */
public final class SessionOrder {
  private static final Set<HeartbeatType> TERMINAL = EnumSet.of(HeartbeatType.ENDED, HeartbeatType.EXIT,
      HeartbeatType.ERROR);
  private static final Set<HeartbeatType> AFTER_START = EnumSet.of(HeartbeatType.HEARTBEAT, HeartbeatType.STALL_START,
      HeartbeatType.STALL_END, HeartbeatType.BITRATE_CHANGE, HeartbeatType.SEEK, HeartbeatType.PAUSE,
      HeartbeatType.RESUME, HeartbeatType.ENDED);

  private SessionOrder() {}

  /** Problems found, empty when every session is in order; events of a session in arrival order. */
  public static List<String> problems(List<PlayerHeartbeat> events) {
    Map<String, List<PlayerHeartbeat>> bySession = new LinkedHashMap<>();
    events.forEach(e -> bySession.computeIfAbsent(e.getSessionId(), k -> new ArrayList<>()).add(e));
    List<String> problems = new ArrayList<>();
    bySession.forEach((session, list) -> {
      if (list.get(0).getType() != HeartbeatType.PLAY_REQUESTED) {
        problems.add(session + ": starts with " + list.get(0).getType());
      }
      boolean started = false;
      boolean stalled = false;
      boolean over = false;
      long last = Long.MIN_VALUE;
      for (PlayerHeartbeat e : list) {
        HeartbeatType type = e.getType();
        if (over) {
          problems.add(session + ": " + type + " after the session ended");
        }
        if (e.getEventTime() < last) {
          problems.add(session + ": " + type + " at " + e.getEventTime() + " goes back in time");
        }
        last = e.getEventTime();
        if (type == HeartbeatType.PLAY_REQUESTED && e != list.get(0)) {
          problems.add(session + ": second PLAY_REQUESTED");
        }
        if (type == HeartbeatType.STARTED) {
          if (started) {
            problems.add(session + ": second STARTED");
          }
          started = true;
        }
        if (AFTER_START.contains(type) && !started) {
          problems.add(session + ": " + type + " before STARTED");
        }
        if (type == HeartbeatType.STALL_START) {
          if (stalled) {
            problems.add(session + ": STALL_START while stalled");
          }
          stalled = true;
        }
        if (type == HeartbeatType.STALL_END) {
          if (!stalled) {
            problems.add(session + ": STALL_END without STALL_START");
          }
          stalled = false;
        }
        over = TERMINAL.contains(type);
      }
    });
    return problems;
  }
}
