package io.caudal.edge.collect;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Maps CMCD keys onto a player.heartbeat event: sid to sessionId, cid to titleId, br to
 * bitrateKbps, bl to bufferMs, mtp to throughputKbps, tb to topBitrateKbps, pt (playhead, ms) to
 * playheadMs. CMCD has no user, ISP or device: they come from the playback token, or the custom keys
 * {@code caudal-uid}, {@code caudal-isp}, {@code caudal-device}; the server and region are this edge's.
 *
 * <p>CMCD v1 (no {@code v}, or {@code v=1}): a buffer starvation flag (bs) is a STALL_START,
 * anything else a HEARTBEAT.
 *
 * <p>CMCD v2 ({@code v=2}, CTA-5004-B) adds the player state {@code sta}, the sequence number
 * {@code sn}, the player's clock {@code ts}, the media start delay {@code msd}, error codes
 * {@code ec}, and inner lists for the per-media-type keys ({@code br=(3200 128)}: the first item,
 * the one the player lists first, is kept). An event-mode report (key {@code e}) says what happened:
 * <ul>
 *   <li>{@code e=ps} (play state) maps its {@code sta}: s starting → PLAY_REQUESTED; p playing →
 *       STARTED the first time, STALL_END after rebuffering, RESUME after a pause, else HEARTBEAT;
 *       k → SEEK; r → STALL_START; a → PAUSE; e → ENDED; f → ERROR; q → EXIT; w, d → HEARTBEAT;</li>
 *   <li>{@code e=e} (error) with {@code sta=f} → ERROR, the errorCode from {@code ec} (an error the
 *       player recovers from is a HEARTBEAT: in the contract an ERROR ends the session);</li>
 *   <li>{@code e=bc} (bitrate change) → BITRATE_CHANGE;</li>
 *   <li>{@code e=t} (time interval), {@code e=rr} (response received, with rc, ttfb, ttlb) and
 *       every other event → HEARTBEAT.</li>
 * </ul>
 * A request-mode v2 report maps as v1, with {@code sta=r} a STALL_START too. The event time is
 * always the collector's clock: a player's {@code ts} is kept in clientTime, never trusted for
 * lateness.
 */
public final class CmcdHeartbeats {

  public static final String UNKNOWN = "unknown";
  /** The CMCD versions the collector reads. */
  public static final Set<Long> VERSIONS = Set.of(1L, 2L);

  /**
   * What the collector remembers of a session between its reports, so that a v2 {@code sta=p}
   * can be told apart: the first start, the end of a stall, or the end of a pause.
   *
   * @param lastState the last player state (CMCD sta) reported, or null
   * @param started whether the session has been mapped to STARTED already
   */
  public record SessionState(String lastState, boolean started) {
    public static final SessionState NEW = new SessionState(null, false);

    SessionState after(PlayerHeartbeat h) {
      String state = h.getPlayerState() != null ? h.getPlayerState() : lastState;
      return new SessionState(state, started || h.getType() == HeartbeatType.STARTED);
    }
  }

  private CmcdHeartbeats() {}

  /** A v1 mapping, for callers that keep no session state. */
  public static PlayerHeartbeat toHeartbeat(Map<String, Object> cmcd, String userId, String titleId,
      String serverId, String region, long nowMillis) {
    return toHeartbeat(cmcd, userId, titleId, serverId, region, nowMillis, SessionState.NEW);
  }

  /**
   * @param cmcd keys of one report: from every CMCD header or the query argument, merged, or one line
   * @param userId the user from the playback token, or null
   * @param titleId the title from the request path, or null (then cid is required)
   * @param session what the collector remembers of this report's session
   * @throws IllegalArgumentException naming a missing or ill-typed key
   */
  public static PlayerHeartbeat toHeartbeat(Map<String, Object> cmcd, String userId, String titleId,
      String serverId, String region, long nowMillis, SessionState session) {
    String sid = text(cmcd, "sid");
    if (sid == null || sid.isBlank()) {
      throw new IllegalArgumentException("CMCD: missing sid (session id)");
    }
    String cid = text(cmcd, "cid");
    String title = titleId != null ? titleId : cid;
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("CMCD: missing cid (content id)");
    }
    Long version = whole(cmcd, "v");
    if (version != null && !VERSIONS.contains(version)) {
      throw new IllegalArgumentException("CMCD: v (version) must be 1 or 2, got " + version);
    }
    boolean v2 = version != null && version == 2;
    String event = v2 ? token(cmcd, "e") : null;
    String state = v2 ? token(cmcd, "sta") : null;
    String user = userId != null ? userId : orElse(text(cmcd, "caudal-uid"), UNKNOWN);
    Long playhead = whole(cmcd, "pt");
    HeartbeatType type = v2 ? typeV2(event, state, session) : typeV1(cmcd);
    PlayerHeartbeat.Builder h = PlayerHeartbeat.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSessionId(sid)
        .setUserId(user)
        .setTitleId(title)
        .setEventTime(nowMillis)
        .setType(type)
        .setServerId(serverId)
        .setRegion(region)
        .setIsp(orElse(text(cmcd, "caudal-isp"), UNKNOWN))
        .setDevice(orElse(text(cmcd, "caudal-device"), "web"))
        .setPlayheadMs(playhead == null ? 0 : playhead)
        .setBitrateKbps(toInt(whole(cmcd, "br")))
        .setBufferMs(whole(cmcd, "bl"))
        .setThroughputKbps(toInt(whole(cmcd, "mtp")))
        .setTopBitrateKbps(toInt(whole(cmcd, "tb")))
        .setCmcdVersion(version == null ? 1 : version.intValue());
    if (v2) {
      h.setCmcdEvent(event)
          .setPlayerState(state)
          .setSequenceNumber(whole(cmcd, "sn"))
          .setClientTime(whole(cmcd, "ts"))
          .setMediaStartDelayMs(whole(cmcd, "msd"))
          .setResponseCode(toInt(whole(cmcd, "rc")))
          .setTtfbMs(whole(cmcd, "ttfb"))
          .setTtlbMs(whole(cmcd, "ttlb"));
      if (type == HeartbeatType.ERROR) {
        Object code = first(cmcd, "ec");
        String errorCode = code == null ? "unknown" : String.valueOf(code);
        if (errorCode.length() > EventBatch.MAX_TEXT_LENGTH) {
          throw new IllegalArgumentException("CMCD: ec is longer than " + EventBatch.MAX_TEXT_LENGTH + " characters");
        }
        h.setErrorCode(errorCode);
      }
    }
    return h.build();
  }

  private static HeartbeatType typeV1(Map<String, Object> cmcd) {
    return Boolean.TRUE.equals(cmcd.get("bs")) ? HeartbeatType.STALL_START : HeartbeatType.HEARTBEAT;
  }

  private static HeartbeatType typeV2(String event, String state, SessionState session) {
    if (event == null) {
      return "r".equals(state) ? HeartbeatType.STALL_START : HeartbeatType.HEARTBEAT;
    }
    return switch (event) {
      case "ps" -> playState(state, session);
      case "e" -> "f".equals(state) ? HeartbeatType.ERROR : HeartbeatType.HEARTBEAT;
      case "bc" -> HeartbeatType.BITRATE_CHANGE;
      default -> HeartbeatType.HEARTBEAT;
    };
  }

  private static HeartbeatType playState(String state, SessionState session) {
    if (state == null) {
      throw new IllegalArgumentException("CMCD: a play-state report (e=ps) needs sta");
    }
    return switch (state) {
      case "s" -> HeartbeatType.PLAY_REQUESTED;
      case "p" -> !session.started() ? HeartbeatType.STARTED
          : "r".equals(session.lastState()) ? HeartbeatType.STALL_END
          : "a".equals(session.lastState()) ? HeartbeatType.RESUME
          : HeartbeatType.HEARTBEAT;
      case "k" -> HeartbeatType.SEEK;
      case "r" -> HeartbeatType.STALL_START;
      case "a" -> HeartbeatType.PAUSE;
      case "e" -> HeartbeatType.ENDED;
      case "f" -> HeartbeatType.ERROR;
      case "q" -> HeartbeatType.EXIT;
      case "w", "d" -> HeartbeatType.HEARTBEAT;
      default -> throw new IllegalArgumentException("CMCD: sta must be one of s, p, k, r, a, w, e, f, q, d, got " + state);
    };
  }

  /** A CMCD v2 inner list's first item; any other value as it is. */
  private static Object first(Map<String, Object> cmcd, String key) {
    Object value = cmcd.get(key);
    if (value instanceof List<?> items) {
      return items.isEmpty() ? null : items.get(0);
    }
    return value;
  }

  private static String text(Map<String, Object> cmcd, String key) {
    Object value = cmcd.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("CMCD: " + key + " must be a string, got " + value);
    }
    return s;
  }

  /** A token key (e, sta); v2 event and state codes are short lowercase tokens. */
  private static String token(Map<String, Object> cmcd, String key) {
    String value = text(cmcd, key);
    if (value != null && !value.matches("[a-z]{1,3}")) {
      throw new IllegalArgumentException("CMCD: " + key + " must be a short token, got '"
          + (value.length() > 20 ? value.substring(0, 20) + "..." : value) + "'");
    }
    return value;
  }

  private static Long whole(Map<String, Object> cmcd, String key) {
    Object value = first(cmcd, key);
    if (value == null) {
      return null;
    }
    if (value instanceof Long l && l >= 0) {
      return l;
    }
    if (value instanceof Double d && d >= 0) {
      return Math.round(d);
    }
    throw new IllegalArgumentException("CMCD: " + key + " must be a non-negative number, got " + value);
  }

  private static Integer toInt(Long value) {
    return value == null ? null : (int) Math.min(Integer.MAX_VALUE, value);
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
