package io.caudal.qoe.flink;

import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;

/**
 * One valid input event of any of the three input topics, so that a single watermark covers
 * them all (both inputs of a join see the same event-time progress) and one step drops resends.
 * Exactly one field is set.
 */
public record Event(PlayerHeartbeat heartbeat, PlayerRtcp rtcp, ServerHealth health) {

  public long eventTime() {
    return heartbeat != null ? heartbeat.getEventTime() : rtcp != null ? rtcp.getEventTime() : health.getEventTime();
  }

  /**
   * What makes two deliveries the same event: the producer's event id; a health report has none,
   * and the same server at the same time is the same report.
   */
  public String identity() {
    return heartbeat != null ? heartbeat.getEventId()
        : rtcp != null ? rtcp.getEventId()
        : "health/" + health.getServerId() + "/" + health.getEventTime();
  }
}
