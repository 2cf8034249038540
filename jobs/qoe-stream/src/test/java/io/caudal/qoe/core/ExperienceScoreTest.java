package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import org.junit.jupiter.api.Test;

/** Sessions played through {@link SessionQoe}, their scores computed by hand from the README's formula. */
class ExperienceScoreTest {
  private static final long T0 = 1_764_000_000_000L;
  private static final int[] LADDER = {1000, 2000, 4000};

  private final SessionQoe qoe = new SessionQoe();
  private int events;

  private void at(long offsetMs, HeartbeatType type, Integer kbps) {
    qoe.onHeartbeat(PlayerHeartbeat.newBuilder()
        .setEventId("e" + events++).setSessionId("s1").setUserId("u1").setTitleId("t1")
        .setEventTime(T0 + offsetMs).setType(type).setServerId("edge-1").setRegion("eu").setIsp("isp")
        .setDevice("tv").setPlayheadMs(0).setBitrateKbps(kbps).setBufferMs(null)
        .setThroughputKbps(null).setTopBitrateKbps(null).setDroppedFrames(null).setErrorCode(null).build());
  }

  private Double score() {
    return qoe.result(600_000, "inactivity", LADDER).getExperienceScore();
  }

  @Test
  void scoresAFastSmoothSessionAtTheTopRungOneHundred() {
    at(0, HeartbeatType.PLAY_REQUESTED, null);
    at(800, HeartbeatType.STARTED, 4000);
    at(60_800, HeartbeatType.ENDED, 4000);

    assertThat(score()).isEqualTo(100.0);
  }

  @Test
  void weighsSlowStartupStallsAndALowRungAsPublished() {
    // startup 5.5 s → 100 × (1 − 4.5/9) = 50
    at(0, HeartbeatType.PLAY_REQUESTED, null);
    at(5_500, HeartbeatType.STARTED, 2000);
    // 57 s playing at 2000, one stall of 3 s: ratio 0.05 → 100 × (1 − 0.5) − 5 = 45
    at(30_500, HeartbeatType.STALL_START, null);
    at(33_500, HeartbeatType.STALL_END, null);
    at(65_500, HeartbeatType.ENDED, 2000);
    // quality: 0.7 × 2000/4000 + 0.3 × 2/3 rungs reached = 0.55 → 55
    // score = 0.3 × 50 + 0.4 × 45 + 0.3 × 55 = 15 + 18 + 16.5 = 49.5
    assertThat(score()).isCloseTo(49.5, within(1e-9));
  }

  @Test
  void countsTheHighestRungReachedNotOnlyTheAverage() {
    at(0, HeartbeatType.PLAY_REQUESTED, null);
    at(1_000, HeartbeatType.STARTED, 1000);
    at(31_000, HeartbeatType.BITRATE_CHANGE, 4000);
    at(61_000, HeartbeatType.ENDED, 4000);
    // average 2500 of 4000 → 0.7 × 0.625 = 0.4375; every rung reached → 0.3; quality 73.75
    // score = 0.3 × 100 + 0.4 × 100 + 0.3 × 73.75 = 92.125
    assertThat(score()).isCloseTo(92.125, within(1e-9));
  }

  @Test
  void scoresAFailedPlaybackZero() {
    at(0, HeartbeatType.PLAY_REQUESTED, null);
    at(1_000, HeartbeatType.STARTED, 4000);
    at(20_000, HeartbeatType.ERROR, null);

    assertThat(score()).isEqualTo(0.0);
  }

  @Test
  void scoresAStartFailureZero() {
    at(0, HeartbeatType.PLAY_REQUESTED, null);
    at(3_000, HeartbeatType.ERROR, null);

    assertThat(score()).isEqualTo(0.0);
  }

  @Test
  void givesNoScoreToAnExitBeforeVideoStart() {
    at(0, HeartbeatType.PLAY_REQUESTED, null);
    at(9_000, HeartbeatType.EXIT, null);

    assertThat(score()).isNull();
  }

  @Test
  void leavesOutTheQualityOfASessionThatReportedNoBitrate() {
    // startup 10 s or more → 0; nothing stalled → 100; no bitrate: (0.3 × 0 + 0.4 × 100) / 0.7
    at(0, HeartbeatType.PLAY_REQUESTED, null);
    at(12_000, HeartbeatType.STARTED, null);
    at(42_000, HeartbeatType.ENDED, null);

    assertThat(score()).isCloseTo(40 / 0.7, within(1e-9));
  }

  @Test
  void givesTheMinuteTheMeanOfItsSessionsScores() {
    MinuteAggregate minute = new MinuteAggregate();
    minute.add(new MinuteAggregate.Contribution("a", true, true, false, false, 900L, 30_000, 0, 0, 0, 0, 0, 0, 0, 90.0));
    minute.add(new MinuteAggregate.Contribution("b", true, true, false, false, 900L, 30_000, 0, 0, 0, 0, 0, 0, 0, 60.5));
    minute.add(new MinuteAggregate.Contribution("c", true, false, false, true, null, 0, 0, 0, 0, 0, 0, 0, 0, null));

    assertThat(minute.toRow(0, "region", "eu").getExperienceScore()).isEqualTo(75.25);
    assertThat(new MinuteAggregate().toRow(0, "region", "eu").getExperienceScore()).isNull();
  }
}
