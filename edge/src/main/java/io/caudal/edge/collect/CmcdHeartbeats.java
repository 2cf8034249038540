package io.caudal.edge.collect;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import java.util.Map;
import java.util.UUID;

/**
 * Maps CMCD keys onto a player.heartbeat event: sid to sessionId, cid to titleId, br to
 * bitrateKbps, bl to bufferMs, mtp to throughputKbps, tb to topBitrateKbps, pt (CMCD v2 playhead,
 * ms) to playheadMs. A buffer starvation flag (bs) is a STALL_START, anything else a HEARTBEAT.
 * CMCD has no user, ISP or device: they come from the playback token, or the custom keys
 * {@code caudal-uid}, {@code caudal-isp}, {@code caudal-device}; the server and region are this edge's.
 */
public final class CmcdHeartbeats {

  public static final String UNKNOWN = "unknown";

  private CmcdHeartbeats() {}

  /**
   * @param cmcd keys from every CMCD header or the query argument, merged
   * @param userId the user from the playback token, or null
   * @param titleId the title from the request path, or null (then cid is required)
   * @throws IllegalArgumentException naming a missing or ill-typed key
   */
  public static PlayerHeartbeat toHeartbeat(Map<String, Object> cmcd, String userId, String titleId,
      String serverId, String region, long nowMillis) {
    String sid = text(cmcd, "sid");
    if (sid == null || sid.isBlank()) {
      throw new IllegalArgumentException("CMCD: missing sid (session id)");
    }
    String cid = text(cmcd, "cid");
    String title = titleId != null ? titleId : cid;
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("CMCD: missing cid (content id)");
    }
    String user = userId != null ? userId : orElse(text(cmcd, "caudal-uid"), UNKNOWN);
    Long playhead = whole(cmcd, "pt");
    return PlayerHeartbeat.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSessionId(sid)
        .setUserId(user)
        .setTitleId(title)
        .setEventTime(nowMillis)
        .setType(Boolean.TRUE.equals(cmcd.get("bs")) ? HeartbeatType.STALL_START : HeartbeatType.HEARTBEAT)
        .setServerId(serverId)
        .setRegion(region)
        .setIsp(orElse(text(cmcd, "caudal-isp"), UNKNOWN))
        .setDevice(orElse(text(cmcd, "caudal-device"), "web"))
        .setPlayheadMs(playhead == null ? 0 : playhead)
        .setBitrateKbps(toInt(whole(cmcd, "br")))
        .setBufferMs(whole(cmcd, "bl"))
        .setThroughputKbps(toInt(whole(cmcd, "mtp")))
        .setTopBitrateKbps(toInt(whole(cmcd, "tb")))
        .build();
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

  private static Long whole(Map<String, Object> cmcd, String key) {
    Object value = cmcd.get(key);
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
