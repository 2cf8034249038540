package io.caudal.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTimesTest {
  private static final long NOW = 1_764_000_000_000L;

  @Test
  void rewritesTheTimeOfEachInputTypeWithoutTouchingTheOtherFields() {
    PlayerHeartbeat heartbeat = PlayerHeartbeat.newBuilder()
        .setEventId("é-unicode-id").setSessionId("s").setUserId("u").setTitleId("t").setEventTime(NOW)
        .setType(HeartbeatType.HEARTBEAT).setServerId("srv").setRegion("r").setIsp("i").setDevice("d")
        .setPlayheadMs(5L).setBufferMs(1_000L).build();
    PlayerRtcp rtcp = PlayerRtcp.newBuilder()
        .setEventId("e").setSessionId("s").setServerId("srv").setEventTime(NOW).setSsrc(1).setFractionLost(3)
        .setCumulativeLost(4).setHighestSeq(5).setJitter(6).setClockRate(90_000).setLsr(0).setDlsr(0).build();
    ServerHealth health = ServerHealth.newBuilder()
        .setServerId("srv").setRegion("r").setEventTime(NOW).setCpuUtil(0.5).setMemUtil(0.5).setDiskFreeBytes(1)
        .setPendingBytes(2).setActiveSessions(3).setEgressMbps(4).setCapacityMbps(5).setTitles(List.of("t1")).build();

    long later = NOW + 123_456_789L;
    byte[] bytes = JsonAvroCodec.toBytes(heartbeat);
    EventTimes.rewrite(bytes, EventTimes.offsetOf(heartbeat), later);
    heartbeat.setEventTime(later);
    assertThat(JsonAvroCodec.fromBytes(bytes, PlayerHeartbeat.class)).isEqualTo(heartbeat);

    bytes = JsonAvroCodec.toBytes(rtcp);
    EventTimes.rewrite(bytes, EventTimes.offsetOf(rtcp), later);
    rtcp.setEventTime(later);
    assertThat(JsonAvroCodec.fromBytes(bytes, PlayerRtcp.class)).isEqualTo(rtcp);

    bytes = JsonAvroCodec.toBytes(health);
    EventTimes.rewrite(bytes, EventTimes.offsetOf(health), later);
    health.setEventTime(later);
    assertThat(JsonAvroCodec.fromBytes(bytes, ServerHealth.class)).isEqualTo(health);
  }

  @Test
  void refusesATimeThatWouldChangeTheEncodedLength() {
    assertThatThrownBy(() -> EventTimes.rewrite(new byte[32], 10, 1_000L))
        .hasMessage("eventTime 1000 is outside [2^34, 2^41) ms, where it takes 6 bytes");
  }
}
