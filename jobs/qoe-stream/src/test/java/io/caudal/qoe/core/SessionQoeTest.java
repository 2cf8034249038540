package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.QoeSession;
import org.junit.jupiter.api.Test;

class SessionQoeTest {
  /** A named instant: the session's request time. */
  private static final long T0 = 1_764_000_000_000L;
  private static final long DURATION_MS = 600_000;

  private final SessionQoe qoe = new SessionQoe();
  private int events;

  private void at(long offsetMs, HeartbeatType type, long playheadMs, Integer kbps) {
    qoe.onHeartbeat(PlayerHeartbeat.newBuilder()
        .setEventId("e" + events++).setSessionId("s1").setUserId("u1").setTitleId("t1")
        .setEventTime(T0 + offsetMs).setType(type).setServerId("edge-1").setRegion("eu").setIsp("isp")
        .setDevice("tv").setPlayheadMs(playheadMs).setBitrateKbps(kbps).setBufferMs(null)
        .setThroughputKbps(null).setTopBitrateKbps(null).setDroppedFrames(null).setErrorCode(null).build());
  }

  private void at(long offsetMs, HeartbeatType type) {
    at(offsetMs, type, 0, null);
  }

  private QoeSession row() {
    return qoe.result(DURATION_MS, "inactivity");
  }

  @Test
  void measuresStartupTimeFromRequestToFirstFrame() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    at(1_200, HeartbeatType.STARTED, 0, 3000);
    at(61_200, HeartbeatType.ENDED, 60_000, 3000);

    QoeSession row = row();
    assertThat(row.getStartupTimeMs()).isEqualTo(1_200L);
    assertThat(row.getPlayingMs()).isEqualTo(60_000);
    assertThat(row.getAvgBitrateKbps()).isEqualTo(3000.0);
    assertThat(row.getCompletion()).isEqualTo(0.1);
    assertThat(row.getRebufferingRatio()).isEqualTo(0.0);
    assertThat(row.getEndReason()).isEqualTo("ended");
    assertThat(row.getVideoStartFailure()).isFalse();
    assertThat(row.getExitBeforeVideoStart()).isFalse();
  }

  @Test
  void countsAFatalErrorBeforeStartAsAVideoStartFailure() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    at(4_000, HeartbeatType.ERROR);

    QoeSession row = row();
    assertThat(row.getVideoStartFailure()).isTrue();
    assertThat(row.getExitBeforeVideoStart()).isFalse();
    assertThat(row.getPlaybackFailure()).isFalse();
    assertThat(row.getStartupTimeMs()).isNull();
    assertThat(row.getEndReason()).isEqualTo("error");
  }

  @Test
  void countsAnExitBeforeTheFirstFrameAsExitBeforeVideoStart() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    at(9_000, HeartbeatType.EXIT);

    QoeSession row = row();
    assertThat(row.getExitBeforeVideoStart()).isTrue();
    assertThat(row.getVideoStartFailure()).isFalse();
    assertThat(row.getRebufferingRatio()).isNull();
  }

  @Test
  void countsAnErrorAfterStartAsAPlaybackFailure() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    at(1_000, HeartbeatType.STARTED, 0, 1000);
    at(11_000, HeartbeatType.ERROR, 10_000, 1000);

    QoeSession row = row();
    assertThat(row.getPlaybackFailure()).isTrue();
    assertThat(row.getVideoStartFailure()).isFalse();
    assertThat(row.getPlayingMs()).isEqualTo(10_000);
  }

  @Test
  void rebufferingRatioIsStalledOverPlayingPlusStalled() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    at(1_000, HeartbeatType.STARTED, 0, 2000);
    at(31_000, HeartbeatType.STALL_START, 30_000, 2000);
    at(33_000, HeartbeatType.STALL_END, 30_000, 2000);
    at(61_000, HeartbeatType.STALL_START, 58_000, 2000);
    at(62_000, HeartbeatType.STALL_END, 58_000, 2000);
    at(71_000, HeartbeatType.ENDED, 67_000, 2000);

    QoeSession row = row();
    assertThat(row.getStallCount()).isEqualTo(2);
    assertThat(row.getStalledMs()).isEqualTo(3_000);
    assertThat(row.getPlayingMs()).isEqualTo(67_000);
    assertThat(row.getRebufferingRatio()).isCloseTo(3_000.0 / 70_000, within(1e-12));
  }

  @Test
  void countsStallAfterSeekAsNotRebuffering() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    at(1_000, HeartbeatType.STARTED, 0, 2000);
    at(11_000, HeartbeatType.SEEK, 300_000, 2000);
    at(11_100, HeartbeatType.STALL_START, 300_000, 2000);
    at(13_100, HeartbeatType.STALL_END, 300_000, 2000);
    at(23_100, HeartbeatType.HEARTBEAT, 310_000, 2000);
    at(24_000, HeartbeatType.STALL_START, 310_900, 2000);
    at(25_000, HeartbeatType.STALL_END, 310_900, 2000);
    at(30_000, HeartbeatType.EXIT, 315_900, 2000);

    QoeSession row = row();
    assertThat(row.getStallCount()).isEqualTo(1);
    assertThat(row.getStalledMs()).isEqualTo(1_000);
    assertThat(row.getCompletion()).isCloseTo(315_900.0 / DURATION_MS, within(1e-12));
  }

  @Test
  void pausedTimeIsNeitherPlayingNorStalled() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    at(1_000, HeartbeatType.STARTED, 0, 1000);
    at(11_000, HeartbeatType.PAUSE, 10_000, 1000);
    at(71_000, HeartbeatType.RESUME, 10_000, 1000);
    at(81_000, HeartbeatType.ENDED, 20_000, 1000);

    assertThat(row().getPlayingMs()).isEqualTo(20_000);
  }

  @Test
  void averageBitrateIsWeightedByPlayingTimeAndSwitchesAreCounted() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    at(0, HeartbeatType.STARTED, 0, 1000);
    at(10_000, HeartbeatType.BITRATE_CHANGE, 10_000, 4000);
    at(40_000, HeartbeatType.BITRATE_CHANGE, 40_000, 4000);
    at(40_000, HeartbeatType.ENDED, 40_000, 4000);

    QoeSession row = row();
    assertThat(row.getAvgBitrateKbps()).isEqualTo((1000.0 * 10_000 + 4000.0 * 30_000) / 40_000);
    assertThat(row.getBitrateSwitches()).isEqualTo(1);
  }

  @Test
  void sessionWithoutEndEventClosesWithTheGivenReason() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    at(500, HeartbeatType.STARTED, 0, 1000);
    at(20_500, HeartbeatType.HEARTBEAT, 20_000, 1000);

    assertThat(qoe.isEnded()).isFalse();
    assertThat(row().getEndReason()).isEqualTo("inactivity");
    assertThat(row().getEndTime()).isEqualTo(T0 + 20_500);
  }

  @Test
  void rtcpGivesMeanLossJitterInMillisecondsAndRtt() {
    at(0, HeartbeatType.PLAY_REQUESTED);
    qoe.onRtcp(rtcp(64, 900, 90_000, 12.0));
    qoe.onRtcp(rtcp(0, 1_800, 90_000, 18.0));

    QoeSession row = row();
    assertThat(row.getLossFraction()).isEqualTo(0.125);
    assertThat(row.getJitterMs()).isCloseTo(15.0, within(1e-9));
    assertThat(row.getRttMs()).isEqualTo(15.0);
  }

  @Test
  void rttFollowsFromLastSenderReportAndItsDelay() {
    long arrival = T0 + 500;
    long seconds = arrival / 1000 + 2_208_988_800L;
    long middle = ((seconds & 0xFFFF) << 16) | ((arrival % 1000) * 65_536 / 1000);
    // The sender report left 80 ms + 20 ms of delay before the receiver report arrived.
    long lsr = middle - (long) (0.100 * 65_536);
    long dlsr = (long) (0.020 * 65_536);

    assertThat(SessionQoe.rttFromReport(arrival, lsr, dlsr)).isCloseTo(80.0, within(0.1));
    assertThat(SessionQoe.rttFromReport(arrival, 0, dlsr)).isNull();
  }

  private PlayerRtcp rtcp(int fractionLost, long jitter, int clockRate, Double rttMs) {
    return PlayerRtcp.newBuilder().setEventId("r" + events++).setSessionId("s1").setServerId("edge-1")
        .setEventTime(T0 + 1_000).setSsrc(1).setFractionLost(fractionLost).setCumulativeLost(0).setHighestSeq(1)
        .setJitter(jitter).setClockRate(clockRate).setLsr(0).setDlsr(0).setRttMs(rttMs).build();
  }
}
