package io.caudal.qoe.flink;

import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;

/**
 * One valid input event of any of the three input topics, so that a single watermark covers
 * them all. Exactly one field is set.
 */
public record Event(PlayerHeartbeat heartbeat, PlayerRtcp rtcp, ServerHealth health) {

  public long eventTime() {
    return heartbeat != null ? heartbeat.getEventTime() : rtcp != null ? rtcp.getEventTime() : health.getEventTime();
  }
}
