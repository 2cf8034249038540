package io.caudal.qoe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.qoe.core.BitrateCapPolicy;
import io.caudal.qoe.core.MinuteContribution;
import io.caudal.qoe.core.TitleLadder;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.QoeSession;
import io.caudal.testing.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The sessionizer's event-time buffering and timers, driven watermark by watermark. Flink's
 * operator test harness starts no cluster, but loading its runtime takes 1.2 s on an idle
 * machine and 3 to 4.5 s on a busy one: too slow for the engine-free tier.
 */
@IntegrationTest
class SessionizerHarnessTest {
  private static final long T0 = 1_795_000_040_000L; // 20 s into a minute
  private static final long MINUTE_END = T0 + 40_000 - 1;

  private static KeyedTwoInputStreamOperatorTestHarness<String, PlayerHeartbeat, PlayerRtcp, QoeSession> harness()
      throws Exception {
    Sessionizer sessionizer = new Sessionizer(60_000, Map.of("t1", new TitleLadder(120_000, new int[] {500, 1000, 3000})),
        new int[] {500, 1000, 3000}, new BitrateCapPolicy());
    var harness = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(sessionizer),
        PlayerHeartbeat::getSessionId, PlayerRtcp::getSessionId, Types.STRING);
    // As the job runs: a state type that would fall back to Kryo fails the test.
    ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig()).setGenericTypes(false);
    harness.setup();
    return harness;
  }

  private static PlayerHeartbeat beat(String id, long t, HeartbeatType type, long playhead) {
    return PlayerHeartbeat.newBuilder().setEventId(id).setSessionId("s").setUserId("u").setTitleId("t1")
        .setEventTime(t).setType(type).setServerId("a").setRegion("eu").setIsp("i").setDevice("d")
        .setPlayheadMs(playhead).setBitrateKbps(3000).setBufferMs(30_000L).setThroughputKbps(8000).build();
  }

  @Test
  void appliesEventsInEventTimeOrderOnlyOnceTheWatermarkPassesThem() throws Exception {
    try (var harness = harness()) {
      harness.open();
      harness.processElement1(beat("2", T0 + 1500, HeartbeatType.STARTED, 0), T0 + 1500);
      harness.processElement1(beat("1", T0, HeartbeatType.PLAY_REQUESTED, 0), T0);
      harness.processElement1(beat("1", T0, HeartbeatType.PLAY_REQUESTED, 0), T0); // a resend: dropped
      harness.processElement1(beat("3", T0 + 10_000, HeartbeatType.ENDED, 8500), T0 + 10_000);
      assertThat(harness.extractOutputValues()).isEmpty();

      harness.processBothWatermarks(new Watermark(T0 + 9_999));
      assertThat(harness.extractOutputValues()).as("ENDED is still ahead of the watermark").isEmpty();

      harness.processBothWatermarks(new Watermark(T0 + 10_000));
      List<QoeSession> rows = harness.extractOutputValues();
      assertThat(rows).singleElement().satisfies(row -> {
        assertThat(row.getStartupTimeMs()).isEqualTo(1500L);
        assertThat(row.getPlayingMs()).isEqualTo(8500L);
        assertThat(row.getCompletion()).isEqualTo(8500.0 / 120_000);
        assertThat(row.getEndReason().toString()).isEqualTo("ended");
      });
      List<MinuteContribution> minutes = values(harness, Sessionizer.MINUTES);
      assertThat(minutes).singleElement().satisfies(m -> {
        assertThat(m.contribution().attempt()).isTrue();
        assertThat(m.contribution().play()).isTrue();
      });
      assertThat(harness.numKeyedStateEntries()).as("state is cleared once the session closed").isZero();
    }
  }

  @Test
  void handsInAMinuteAtItsEndAndClosesASilentSessionAfterTheInactivityTimeout() throws Exception {
    try (var harness = harness()) {
      harness.open();
      harness.processElement1(beat("1", T0, HeartbeatType.PLAY_REQUESTED, 0), T0);
      harness.processElement1(beat("2", T0 + 1000, HeartbeatType.STARTED, 0), T0 + 1000);
      harness.processBothWatermarks(new Watermark(MINUTE_END));
      List<MinuteContribution> first = values(harness, Sessionizer.MINUTES);
      assertThat(first).singleElement().satisfies(m -> {
        assertThat(m.minute()).isEqualTo(MINUTE_END + 1 - 60_000);
        assertThat(m.contribution().playingMs()).as("playing from 1 s to the minute's end").isEqualTo(39_000L);
      });
      assertThat(harness.extractOutputValues()).isEmpty();

      // The timer set by the first event fires at T0 + 60 s, but the session was heard from at T0 + 1 s.
      harness.processBothWatermarks(new Watermark(T0 + 1000 + 60_000 - 1));
      assertThat(harness.extractOutputValues()).as("60 s after the last event, not the first").isEmpty();
      harness.processBothWatermarks(new Watermark(T0 + 1000 + 60_000));
      assertThat(harness.extractOutputValues()).singleElement()
          .satisfies(row -> assertThat(row.getEndReason().toString()).isEqualTo("inactivity"));
    }
  }

  @Test
  void refusesAnEventBehindTheWatermarkAsLate() throws Exception {
    try (var harness = harness()) {
      harness.open();
      harness.processBothWatermarks(new Watermark(T0 + 5000));
      harness.processElement1(beat("1", T0, HeartbeatType.PLAY_REQUESTED, 0), T0);
      assertThat(values(harness, Sessionizer.DEAD_LETTERS)).singleElement()
          .satisfies(letter -> assertThat(letter.getReason().toString()).isEqualTo("late"));
      assertThat(harness.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void aRestoreFromASnapshotMidSessionGivesTheSameRow() throws Exception {
    OperatorSubtaskState snapshot;
    QoeSession uninterrupted;
    try (var harness = harness()) {
      harness.open();
      harness.processElement1(beat("1", T0, HeartbeatType.PLAY_REQUESTED, 0), T0);
      harness.processElement1(beat("2", T0 + 1500, HeartbeatType.STARTED, 0), T0 + 1500);
      harness.processBothWatermarks(new Watermark(T0 + 2000));
      snapshot = harness.snapshot(1, T0 + 2000);
      harness.processElement1(beat("3", T0 + 9000, HeartbeatType.EXIT, 7000), T0 + 9000);
      harness.processBothWatermarks(new Watermark(T0 + 9000));
      uninterrupted = harness.extractOutputValues().get(0);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement1(beat("3", T0 + 9000, HeartbeatType.EXIT, 7000), T0 + 9000);
      restored.processBothWatermarks(new Watermark(T0 + 9000));
      assertThat(restored.extractOutputValues()).containsExactly(uninterrupted);
    }
  }

  private static <X> List<X> values(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> harness,
      org.apache.flink.util.OutputTag<X> tag) {
    var records = harness.getSideOutput(tag);
    return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
  }
}
