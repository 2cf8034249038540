package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state encodings read back what they wrote, field for field, and refuse a format they do not know. */
class StateEncodingTest {
  private static final long T0 = 1_764_000_000_000L;

  private static PlayerHeartbeat beat(int n, long offsetMs, HeartbeatType type, long playheadMs, Integer kbps) {
    return PlayerHeartbeat.newBuilder()
        .setEventId("e" + n).setSessionId("s1").setUserId("u1").setTitleId("t1")
        .setEventTime(T0 + offsetMs).setType(type).setServerId("edge-1").setRegion("eu").setIsp("isp")
        .setDevice("tv").setPlayheadMs(playheadMs).setBitrateKbps(kbps).setBufferMs(12_000L)
        .setThroughputKbps(8_000).build();
  }

  /** A session in the middle of everything: started, switched, stalled, seeking, with RTCP and a minute drained. */
  private static SessionQoe busySession() {
    SessionQoe qoe = new SessionQoe();
    qoe.onHeartbeat(beat(0, 0, HeartbeatType.PLAY_REQUESTED, 0, null));
    qoe.onHeartbeat(beat(1, 1_200, HeartbeatType.STARTED, 0, 3000));
    qoe.onHeartbeat(beat(2, 10_000, HeartbeatType.BITRATE_CHANGE, 8_800, 4500));
    qoe.onRtcp(PlayerRtcp.newBuilder().setEventId("r1").setSessionId("s1").setEventTime(T0 + 11_000)
        .setServerId("edge-1").setSsrc(7).setFractionLost(12).setCumulativeLost(3).setHighestSeq(100)
        .setJitter(900).setClockRate(90_000).setLsr(0).setDlsr(0).setRttMs(35.5).build());
    qoe.onHeartbeat(beat(3, 20_000, HeartbeatType.STALL_START, 18_000, 4500));
    qoe.accrueTo(T0 + 59_999);
    qoe.drainMinute();
    qoe.onHeartbeat(beat(4, 61_000, HeartbeatType.STALL_END, 18_000, 4500));
    qoe.onHeartbeat(beat(5, 62_000, HeartbeatType.SEEK, 30_000, 4500));
    return qoe;
  }

  private static byte[] write(SessionQoe qoe) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    qoe.writeTo(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  @Test
  void aSessionReadBackIsTheSameSessionFieldForField() throws IOException {
    SessionQoe qoe = busySession();

    SessionQoe read = SessionQoe.readFrom(new DataInputStream(new ByteArrayInputStream(write(qoe))),
        SessionQoe.STATE_FORMAT);

    assertThat(read).usingRecursiveComparison().isEqualTo(qoe);
    assertThat(new SessionQoe()).usingRecursiveComparison().isNotEqualTo(qoe); // the comparison sees the fields
  }

  @Test
  void aSessionReadBackGoesOnAsTheOriginalWould() throws IOException {
    SessionQoe qoe = busySession();
    SessionQoe read = SessionQoe.readFrom(new DataInputStream(new ByteArrayInputStream(write(qoe))),
        SessionQoe.STATE_FORMAT);

    for (SessionQoe session : List.of(qoe, read)) {
      session.onHeartbeat(beat(6, 70_000, HeartbeatType.HEARTBEAT, 38_000, 4500));
      session.onHeartbeat(beat(7, 90_000, HeartbeatType.ENDED, 58_000, 4500));
    }

    assertThat(read.result(600_000, "inactivity")).isEqualTo(qoe.result(600_000, "inactivity"));
    assertThat(read.drainMinute()).isEqualTo(qoe.drainMinute());
  }

  @Test
  void countsTheServersASessionMovedToAfterItStarted() {
    SessionQoe qoe = busySession();
    qoe.onHeartbeat(PlayerHeartbeat.newBuilder(beat(6, 70_000, HeartbeatType.HEARTBEAT, 38_000, 4500)).setServerId("edge-2").build());
    qoe.onHeartbeat(PlayerHeartbeat.newBuilder(beat(7, 80_000, HeartbeatType.HEARTBEAT, 48_000, 4500)).setServerId("edge-2").build());
    qoe.onHeartbeat(beat(8, 90_000, HeartbeatType.HEARTBEAT, 58_000, 4500));

    assertThat(qoe.pathwaySwitches()).isEqualTo(2);
  }

  @Test
  void readsASessionOfFormatOneWithNoPathwaySwitchesCounted() throws IOException {
    SessionQoe qoe = busySession();
    qoe.onHeartbeat(PlayerHeartbeat.newBuilder(beat(6, 70_000, HeartbeatType.HEARTBEAT, 38_000, 4500)).setServerId("edge-2").build());
    byte[] format3 = write(qoe);
    // Format 1 is format 3 without its last two fields (a nullable int, an int).
    byte[] format1 = java.util.Arrays.copyOf(format3, format3.length - 1 - Integer.BYTES - Integer.BYTES);

    SessionQoe read = SessionQoe.readFrom(new DataInputStream(new ByteArrayInputStream(format1)), 1);

    assertThat(qoe.pathwaySwitches()).isEqualTo(1);
    assertThat(read.pathwaySwitches()).isZero();
    assertThat(read).usingRecursiveComparison().ignoringFields("pathwaySwitches").isEqualTo(qoe);
  }

  @Test
  void readsASessionOfFormatTwoWithItsCurrentBitrateAsTheHighest() throws IOException {
    SessionQoe qoe = busySession(); // played 3000, then 4500: the highest is the current one
    byte[] format3 = write(qoe);
    byte[] format2 = java.util.Arrays.copyOf(format3, format3.length - 1 - Integer.BYTES);

    SessionQoe read = SessionQoe.readFrom(new DataInputStream(new ByteArrayInputStream(format2)), 2);

    assertThat(read).usingRecursiveComparison().isEqualTo(qoe);
    assertThat(read.experienceScore(new int[] {3000, 4500})).isEqualTo(qoe.experienceScore(new int[] {3000, 4500}));
  }

  @Test
  void refusesAFormatWrittenByANewerJob() {
    assertThatThrownBy(() -> SessionQoe.readFrom(new DataInputStream(new ByteArrayInputStream(new byte[64])),
        SessionQoe.STATE_FORMAT + 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("session state format " + (SessionQoe.STATE_FORMAT + 1));
  }

  @Test
  void aRegionsMinuteReadBackWeighsServersAndTitlesAlike() throws IOException {
    RegionActivity activity = new RegionActivity();
    SessionQoe qoe = busySession();
    activity.add(new MinuteContribution(T0 - T0 % 60_000, "edge-1", "eu", "isp", "tv", "t1", qoe.drainMinute()));
    SessionQoe other = new SessionQoe();
    other.onHeartbeat(beat(0, 0, HeartbeatType.PLAY_REQUESTED, 0, null));
    other.onHeartbeat(beat(1, 2_500, HeartbeatType.STARTED, 0, 3000));
    activity.add(new MinuteContribution(T0 - T0 % 60_000, "edge-2", "eu", "isp", "tv", "t2", other.drainMinute()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    activity.writeTo(new DataOutputStream(bytes));

    RegionActivity read = RegionActivity.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
        RegionActivity.STATE_FORMAT, MinuteAggregate.STATE_FORMAT);

    long now = T0 - T0 % 60_000 + 60_000;
    var before = java.util.Map.of(T0 - T0 % 60_000, activity);
    var after = java.util.Map.of(T0 - T0 % 60_000, read);
    assertThat(RegionActivity.qoeByServer(after, now).toString()).isEqualTo(RegionActivity.qoeByServer(before, now).toString());
    assertThat(RegionActivity.demandByTitle(after, now)).isEqualTo(RegionActivity.demandByTitle(before, now))
        .containsOnlyKeys("t1", "t2");
  }
}
