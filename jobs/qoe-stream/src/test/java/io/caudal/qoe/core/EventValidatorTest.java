package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private static final long NOW = 1_764_000_000_000L;
  private static final byte[] KEY = "s1".getBytes(StandardCharsets.UTF_8);
  private final EventValidator validator = new EventValidator();

  private static PlayerHeartbeat.Builder heartbeat() {
    return PlayerHeartbeat.newBuilder().setEventId("e1").setSessionId("s1").setUserId("u1").setTitleId("t1")
        .setEventTime(NOW - 2_000).setType(HeartbeatType.HEARTBEAT).setServerId("edge-1").setRegion("eu")
        .setIsp("isp").setDevice("tv").setPlayheadMs(5_000).setBitrateKbps(3000).setBufferMs(12_000L)
        .setThroughputKbps(8000).setTopBitrateKbps(5000).setDroppedFrames(0).setErrorCode(null);
  }

  @Test
  void acceptsAWellFormedHeartbeat() {
    EventValidator.Checked checked = validator.check("player.heartbeat", KEY, JsonAvroCodec.toBytes(heartbeat().build()), NOW);

    assertThat(checked.valid()).isTrue();
    assertThat(checked.event()).isEqualTo(heartbeat().build());
  }

  @Test
  void refusesBytesThatAreNotAnEventAndKeepsThemWhole() {
    byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);

    DeadLetter dead = validator.check("player.heartbeat", KEY, garbage, NOW).deadLetter();

    assertThat(dead.getReason()).isEqualTo("malformed");
    assertThat(dead.getSourceTopic()).isEqualTo("player.heartbeat");
    assertThat(dead.getReceivedTime()).isEqualTo(NOW);
    assertThat(dead.getPayload().array()).isEqualTo(garbage);
    assertThat(dead.getKey().array()).isEqualTo(KEY);
  }

  @Test
  void refusesBytesOfAnUnreleasedSchemaAsUnknownSchemaWithTheFingerprint() {
    byte[] bytes = JsonAvroCodec.toBytes(heartbeat().build());
    byte[] unreleased = bytes.clone();
    unreleased[2] ^= 0x5A; // the fingerprint's first byte: no schema has that one

    DeadLetter dead = validator.check("player.heartbeat", KEY, unreleased, NOW).deadLetter();

    long fingerprint = java.nio.ByteBuffer.wrap(unreleased, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(dead.getReason()).isEqualTo("unknown_schema");
    assertThat(dead.getDetail()).contains(String.format("0x%016X", fingerprint));
    assertThat(dead.getPayload().array()).isEqualTo(unreleased);
  }

  @Test
  void refusesAnUnknownHeartbeatType() {
    byte[] heartbeat = JsonAvroCodec.toBytes(heartbeat().build());
    byte[] seek = JsonAvroCodec.toBytes(heartbeat().setType(HeartbeatType.SEEK).build());
    byte[] unknown = heartbeat.clone();
    for (int i = 0; i < unknown.length; i++) {
      if (heartbeat[i] != seek[i]) {
        unknown[i] = 0x7E; // enum index 63: no such type
      }
    }

    DeadLetter dead = validator.check("player.heartbeat", KEY, unknown, NOW).deadLetter();

    assertThat(dead.getReason()).isEqualTo("malformed");
    assertThat(dead.getDetail()).isNotBlank();
  }

  @Test
  void refusesNegativeValuesNamingEachField() {
    byte[] bad = JsonAvroCodec.toBytes(heartbeat().setBufferMs(-1L).setBitrateKbps(-300).build());

    DeadLetter dead = validator.check("player.heartbeat", KEY, bad, NOW).deadLetter();

    assertThat(dead.getReason()).isEqualTo("invalid");
    assertThat(dead.getDetail()).isEqualTo("bitrateKbps -300 is negative; bufferMs -1 is negative");
  }

  @Test
  void refusesEventTimesImplausiblyFarFromNow() {
    byte[] old = JsonAvroCodec.toBytes(heartbeat().setEventTime(NOW - 2 * 86_400_000L).build());
    byte[] future = JsonAvroCodec.toBytes(heartbeat().setEventTime(NOW + 3_600_000L).build());

    assertThat(List.of(validator.check("player.heartbeat", KEY, old, NOW).deadLetter(),
        validator.check("player.heartbeat", KEY, future, NOW).deadLetter()))
        .allSatisfy(d -> assertThat(d.getReason()).isEqualTo("implausible_time"));
    assertThat(validator.check("player.heartbeat", KEY, future, NOW).deadLetter().getDetail())
        .isEqualTo("eventTime 1764003600000 is 3600.0 s from the processing time 1764000000000");
  }

  @Test
  void refusesAnRtcpReportWithLossOutsideItsRangeOrNoClockRate() {
    PlayerRtcp rtcp = PlayerRtcp.newBuilder().setEventId("r1").setSessionId("s1").setServerId("edge-1")
        .setEventTime(NOW).setSsrc(7).setFractionLost(300).setCumulativeLost(0).setHighestSeq(10).setJitter(90)
        .setClockRate(0).setLsr(0).setDlsr(0).setRttMs(null).build();

    DeadLetter dead = validator.check("player.rtcp", KEY, JsonAvroCodec.toBytes(rtcp), NOW).deadLetter();

    assertThat(dead.getDetail()).isEqualTo("fractionLost 300 is outside 0-255; clockRate 0 must be positive");
  }

  @Test
  void refusesHealthWithUtilizationOutsideZeroToOne() {
    ServerHealth health = ServerHealth.newBuilder().setServerId("edge-1").setRegion("eu").setEventTime(NOW)
        .setCpuUtil(1.5).setMemUtil(0.4).setDiskFreeBytes(10).setPendingBytes(0).setActiveSessions(3)
        .setEgressMbps(10).setCapacityMbps(1000).setTitles(List.of("t1")).build();

    DeadLetter dead = validator.check("server.health", "edge-1".getBytes(StandardCharsets.UTF_8),
        JsonAvroCodec.toBytes(health), NOW).deadLetter();

    assertThat(dead.getReason()).isEqualTo("invalid");
    assertThat(dead.getDetail()).isEqualTo("cpuUtil 1.5 is outside 0-1");
  }

  @Test
  void refusesRecordsOfATopicItDoesNotRead() {
    DeadLetter dead = validator.check("qoe.bitrate", KEY, new byte[] {1, 2}, NOW).deadLetter();

    assertThat(dead.getDetail()).isEqualTo("no events are read from topic 'qoe.bitrate'");
  }

  @Test
  void lateEventsGetTheirOwnReason() {
    DeadLetter dead = EventValidator.late("player.heartbeat", KEY, new byte[] {9}, NOW, NOW - 90_000, NOW - 10_000);

    assertThat(dead.getReason()).isEqualTo("late");
    assertThat(dead.getDetail()).contains("behind the watermark");
  }

  @Test
  void refusesNonPositiveTimeBounds() {
    assertThatThrownBy(() -> new EventValidator(0, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("time bounds must be positive, got 0 and 1");
  }
}
