package io.caudal.qoe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.QoeSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sessionization on a Flink MiniCluster, fed scripted sessions out of order. */
class SessionPipelineTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final long T0 = 1_764_000_000_000L;
  private int ids;

  private PlayerHeartbeat event(String session, long offsetMs, HeartbeatType type, long playheadMs) {
    return PlayerHeartbeat.newBuilder().setEventId("e" + ids++).setSessionId(session).setUserId("u-" + session)
        .setTitleId("t1").setEventTime(T0 + offsetMs).setType(type).setServerId("edge-1").setRegion("eu")
        .setIsp("isp").setDevice("tv").setPlayheadMs(playheadMs).setBitrateKbps(2000).setBufferMs(null)
        .setThroughputKbps(null).setTopBitrateKbps(null).setDroppedFrames(null).setErrorCode(null).build();
  }

  @Test
  void resentEventsCountOnce() throws Exception {
    PlayerHeartbeat request = event("x", 0, HeartbeatType.PLAY_REQUESTED, 0);
    PlayerHeartbeat started = event("x", 900, HeartbeatType.STARTED, 0);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);

    List<String> ids = new ArrayList<>();
    QoePipeline.distinct(env.fromData(request, started, request, started, request))
        .map(PlayerHeartbeat::getEventId).executeAndCollect().forEachRemaining(ids::add);

    assertThat(ids).containsExactlyInAnyOrder(request.getEventId(), started.getEventId());
  }

  @Test
  void buildsOneRowPerSessionFromOutOfOrderEventsAndClosesIdleOnes() throws Exception {
    List<PlayerHeartbeat> events = new ArrayList<>(List.of(
        // a: starts after 1.5 s, stalls 2 s, ends; its STARTED arrives after its first heartbeat
        event("a", 0, HeartbeatType.PLAY_REQUESTED, 0),
        event("a", 11_500, HeartbeatType.HEARTBEAT, 10_000),
        event("a", 1_500, HeartbeatType.STARTED, 0),
        event("a", 21_500, HeartbeatType.STALL_START, 20_000),
        event("a", 23_500, HeartbeatType.STALL_END, 20_000),
        event("a", 43_500, HeartbeatType.ENDED, 40_000),
        // b: fails to start
        event("b", 100, HeartbeatType.PLAY_REQUESTED, 0),
        event("b", 3_100, HeartbeatType.ERROR, 0),
        // c: plays, then goes silent
        event("c", 200, HeartbeatType.PLAY_REQUESTED, 0),
        event("c", 700, HeartbeatType.STARTED, 0),
        event("c", 10_700, HeartbeatType.HEARTBEAT, 10_000),
        // d: leaves before the first frame
        event("d", 0, HeartbeatType.PLAY_REQUESTED, 0),
        event("d", 30_000, HeartbeatType.EXIT, 0),
        // e: silent for 140 s, so closed by inactivity before its stray EXIT; it also moves the
        // watermark past c's inactivity
        event("e", 0, HeartbeatType.PLAY_REQUESTED, 0),
        event("e", 140_000, HeartbeatType.EXIT, 0)));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    DataStream<PlayerHeartbeat> heartbeats = env.fromData(events)
        .assignTimestampsAndWatermarks(QoePipeline.heartbeatWatermarks(QoePipeline.DEFAULT_OUT_OF_ORDERNESS));
    var sessions = QoePipeline.sessions(heartbeats, QoePipeline.DEFAULT_INACTIVITY, Map.of("t1", 100_000L));
    var rowsOut = sessions.collectAsync();
    var straysOut = sessions.getSideOutput(Sessionizer.AFTER_CLOSE).collectAsync();
    env.execute("sessions");
    List<QoeSession> rows = new ArrayList<>();
    rowsOut.forEachRemaining(rows::add);
    List<String> strays = new ArrayList<>();
    straysOut.forEachRemaining(e -> strays.add(e.getSessionId() + "/" + e.getType()));
    rows.sort(Comparator.comparing(QoeSession::getSessionId));

    assertThat(strays).containsExactly("e/EXIT");
    assertThat(rows).extracting(QoeSession::getSessionId).containsExactly("a", "b", "c", "d", "e");
    QoeSession a = rows.get(0);
    assertThat(a.getStartupTimeMs()).isEqualTo(1_500L);
    assertThat(a.getStalledMs()).isEqualTo(2_000);
    assertThat(a.getPlayingMs()).isEqualTo(40_000);
    assertThat(a.getRebufferingRatio()).isEqualTo(2_000.0 / 42_000);
    assertThat(a.getCompletion()).isEqualTo(0.4);
    assertThat(a.getEndReason()).isEqualTo("ended");
    assertThat(rows.get(1).getVideoStartFailure()).isTrue();
    assertThat(rows.get(2).getEndReason()).isEqualTo("inactivity");
    assertThat(rows.get(2).getEndTime()).isEqualTo(T0 + 10_700);
    assertThat(rows.get(3).getExitBeforeVideoStart()).isTrue();
  }
}
