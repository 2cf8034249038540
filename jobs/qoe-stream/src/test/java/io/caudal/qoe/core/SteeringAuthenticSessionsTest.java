package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.SteeringDecision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A server is excluded for poor QoE only on enough distinct sessions that started in the window:
 * a few sessions kept open and stalling (what a forger with one playback grant can do) are many
 * session-minutes, but not many starts.
 */
class SteeringAuthenticSessionsTest {
  private static final long MINUTE = 60_000;
  /** A named instant: the start of the first minute of the window. */
  private static final long T0 = 1_764_000_000_000L - 1_764_000_000_000L % MINUTE;
  private static final long NOW = T0 + 5 * MINUTE;
  private static final String REGION = "eu-west";

  private final SteeringPolicy policy = new SteeringPolicy();

  @Test
  void aFewStallingSessionsKeptOpenDoNotExcludeAServer() {
    Map<Long, RegionActivity> minutes = new HashMap<>();
    play(minutes, "healthy", 30, false);
    play(minutes, "victim", 5, true);

    Map<String, SteeringPolicy.ServerQoe> qoe = RegionActivity.qoeByServer(minutes, NOW);
    assertThat(qoe.get("victim").sessions()).as("session-minutes: enough for the old rule")
        .isGreaterThanOrEqualTo(SteeringPolicy.DEFAULT_MIN_QOE_SESSIONS);
    assertThat(qoe.get("victim").authenticSessions()).isEqualTo(5);
    assertThat(qoe.get("victim").rebufferingRatio()).isGreaterThan(SteeringPolicy.DEFAULT_POOR_REBUFFERING_RATIO);

    SteeringDecision d = decide(qoe);
    assertThat(d.getExcluded()).isEmpty();
    assertThat(d.getPathwayPriority()).startsWith("healthy").contains("victim");
  }

  @Test
  void manyStallingSessionsExcludeTheServer() {
    Map<Long, RegionActivity> minutes = new HashMap<>();
    play(minutes, "healthy", 30, false);
    play(minutes, "stally", 25, true);

    SteeringDecision d = decide(RegionActivity.qoeByServer(minutes, NOW));

    assertThat(d.getExcluded()).extracting(ExcludedServer::getServerId).containsExactly("stally");
    assertThat(d.getExcluded().get(0).getReason()).startsWith("poor_qoe: ").endsWith("(25 started)");
  }

  @Test
  void theBoundIsAnOption() {
    Map<Long, RegionActivity> minutes = new HashMap<>();
    play(minutes, "healthy", 30, false);
    play(minutes, "victim", 5, true);
    SteeringPolicy trusting = new SteeringPolicy(SteeringPolicy.Config.defaults().withMinAuthenticSessions(5));

    SteeringDecision d = trusting.decide(REGION, List.of(server("healthy"), server("victim")),
        RegionActivity.qoeByServer(minutes, NOW), Map.of(), NOW);

    assertThat(d.getExcluded()).extracting(ExcludedServer::getServerId).containsExactly("victim");
  }

  private SteeringDecision decide(Map<String, SteeringPolicy.ServerQoe> qoe) {
    return policy.decide(REGION, List.of(server("healthy"), server("victim"), server("stally")), qoe, Map.of(), NOW);
  }

  /**
   * {@code sessions} sessions on a server, each started at the first minute and kept playing through
   * five minutes, stalling 20 s of every minute when {@code stalling}; their minutes go into the
   * region's activity as the job feeds it.
   */
  private static void play(Map<Long, RegionActivity> minutes, String server, int sessions, boolean stalling) {
    for (int s = 0; s < sessions; s++) {
      String id = server + "-" + s;
      SessionQoe qoe = new SessionQoe();
      qoe.onHeartbeat(event(id, server, HeartbeatType.PLAY_REQUESTED, T0 + 1_000));
      qoe.onHeartbeat(event(id, server, HeartbeatType.STARTED, T0 + 2_000));
      for (int m = 0; m < 5; m++) {
        long minute = T0 + m * MINUTE;
        if (stalling) {
          qoe.onHeartbeat(event(id, server, HeartbeatType.STALL_START, minute + 30_000));
          qoe.onHeartbeat(event(id, server, HeartbeatType.STALL_END, minute + 50_000));
        }
        qoe.accrueTo(minute + MINUTE);
        minutes.computeIfAbsent(minute, k -> new RegionActivity()).add(new MinuteContribution(minute, server, REGION,
            "isp", "web", "title-1", qoe.drainMinute()));
      }
    }
  }

  private static PlayerHeartbeat event(String session, String server, HeartbeatType type, long t) {
    return PlayerHeartbeat.newBuilder().setEventId(UUID.randomUUID().toString()).setSessionId(session)
        .setUserId("viewer-" + session).setTitleId("title-1").setEventTime(t).setType(type).setServerId(server)
        .setRegion(REGION).setIsp("isp").setDevice("web").setPlayheadMs(0).setBitrateKbps(3000).build();
  }

  private static ServerHealth server(String id) {
    return ServerHealth.newBuilder().setServerId(id).setRegion(REGION).setEventTime(NOW - 5_000).setCpuUtil(0.2)
        .setMemUtil(0.2).setDiskFreeBytes(1L << 40).setPendingBytes(0).setActiveSessions(10).setEgressMbps(100)
        .setCapacityMbps(1_000).setTitles(List.of("title-1")).build();
  }
}
