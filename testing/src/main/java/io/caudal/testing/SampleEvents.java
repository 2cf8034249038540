package io.caudal.testing;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import java.util.List;

/**
 * Player and server events as the fleet sends them, prefilled with plausible values: a test sets
 * only the fields its case is about, e.g.
 * {@code SampleEvents.heartbeat("s-1", t).setType(HeartbeatType.STALL_START).build()}.
 */
public final class SampleEvents {

  /** 2025-03-14T20:15:00Z: an evening, when a VOD service is busiest. */
  public static final long EVENING = 1_741_983_300_000L;
  public static final String TITLE = "t-big-buck-bunny";
  public static final String SERVER = "edge-eu-1";
  public static final String REGION = "eu-west";

  private SampleEvents() {}

  /** A playing session's heartbeat at {@code eventTime}, 3 Mbit/s of a 6 Mbit/s ladder, buffer 18 s. */
  public static PlayerHeartbeat.Builder heartbeat(String sessionId, long eventTime) {
    return PlayerHeartbeat.newBuilder()
        .setEventId(sessionId + "-" + eventTime)
        .setSessionId(sessionId)
        .setUserId("u-" + sessionId)
        .setTitleId(TITLE)
        .setEventTime(eventTime)
        .setType(HeartbeatType.HEARTBEAT)
        .setServerId(SERVER)
        .setRegion(REGION)
        .setIsp("telco-a")
        .setDevice("web")
        .setPlayheadMs(9_800)
        .setBitrateKbps(3_000)
        .setBufferMs(18_400L)
        .setThroughputKbps(24_500)
        .setTopBitrateKbps(6_000)
        .setDroppedFrames(0)
        .setErrorCode(null);
  }

  /** A session's receiver report at {@code eventTime}: 2 % loss, 15 ms of jitter at 90 kHz. */
  public static PlayerRtcp.Builder rtcp(String sessionId, long eventTime) {
    return PlayerRtcp.newBuilder()
        .setEventId(sessionId + "-rtcp-" + eventTime)
        .setSessionId(sessionId)
        .setServerId(SERVER)
        .setEventTime(eventTime)
        .setSsrc(0xDEADBEEFL)
        .setFractionLost(5)
        .setCumulativeLost(17)
        .setHighestSeq(70_123L)
        .setJitter(1_350L)
        .setClockRate(90_000)
        .setLsr(0)
        .setDlsr(0)
        .setRttMs(38.5);
  }

  /** A server's health report at {@code eventTime}: 40 % CPU, a tenth of its egress used. */
  public static ServerHealth.Builder health(String serverId, long eventTime) {
    return ServerHealth.newBuilder()
        .setServerId(serverId)
        .setRegion(REGION)
        .setEventTime(eventTime)
        .setCpuUtil(0.4)
        .setMemUtil(0.4)
        .setDiskFreeBytes(1L << 40)
        .setPendingBytes(0)
        .setActiveSessions(120)
        .setEgressMbps(100)
        .setCapacityMbps(1_000)
        .setTitles(List.of(TITLE));
  }
}
