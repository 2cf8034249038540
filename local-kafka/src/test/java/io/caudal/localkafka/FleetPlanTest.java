package io.caudal.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FleetPlanTest {
  private static final int RATE = 5_000;
  private static final int SECONDS = 20;
  private static final long START = 1_764_000_000_000L;

  private static List<PlannedEvent> plan;
  private static List<SpecificRecord> decoded;

  @BeforeAll
  static void generate() {
    plan = FleetPlan.generate(FleetPlan.Config.of(RATE, SECONDS, "test"));
    decoded = new ArrayList<>();
    for (PlannedEvent event : plan) {
      byte[] value = event.value().clone();
      EventTimes.rewrite(value, event.timeOffset(), START + event.sendAtMs() - event.observedBeforeMs());
      decoded.add(JsonAvroCodec.fromBytes(value));
    }
  }

  @Test
  void holdsTheRateFromTheFirstSecondToTheLast() {
    assertThat(plan.size()).isBetween(RATE * SECONDS * 9 / 10, RATE * SECONDS * 11 / 10);
    Map<Long, Long> perSecond = plan.stream().collect(Collectors.groupingBy(e -> e.sendAtMs() / 1_000,
        Collectors.counting()));
    assertThat(perSecond).hasSize(SECONDS);
    assertThat(perSecond.values()).allSatisfy(count -> assertThat(count).isBetween(RATE * 8L / 10, RATE * 12L / 10));
    assertThat(plan).isSortedAccordingTo(Comparator.comparingLong(PlannedEvent::sendAtMs));
  }

  @Test
  void everyEventDecodesWithItsTimeAndKey() {
    for (int i = 0; i < plan.size(); i++) {
      PlannedEvent event = plan.get(i);
      SpecificRecord record = decoded.get(i);
      long time = (Long) record.get(record.getSchema().getField("eventTime").pos());
      assertThat(time).isEqualTo(START + event.sendAtMs() - event.observedBeforeMs());
      assertThat(event.observedBeforeMs()).isBetween(0, FleetPlan.MAX_OBSERVED_BEFORE_MS);
      String keyField = Topics.byName(event.topic()).orElseThrow().keyField();
      assertThat(new String(event.key())).isEqualTo(record.get(record.getSchema().getField(keyField).pos()).toString());
    }
  }

  @Test
  void mixesTheThreeInputsWithHeartbeatsTheMost() {
    Map<String, Long> perTopic = plan.stream().collect(Collectors.groupingBy(PlannedEvent::topic, Collectors.counting()));
    assertThat(perTopic.keySet()).containsExactlyInAnyOrder(
        Topics.HEARTBEAT.name(), Topics.RTCP.name(), Topics.SERVER_HEALTH.name());
    assertThat(perTopic.get(Topics.HEARTBEAT.name())).isGreaterThan(perTopic.get(Topics.RTCP.name()));
    assertThat(perTopic.get(Topics.SERVER_HEALTH.name()))
        .isEqualTo((long) SECONDS * FleetPlan.REGIONS.length * FleetPlan.SERVERS_PER_REGION);
  }

  @Test
  void sessionsStartEndAndSometimesRunShortOfBufferAndThroughput() {
    Map<String, List<PlayerHeartbeat>> sessions = new HashMap<>();
    decoded.stream().filter(r -> r instanceof PlayerHeartbeat).map(r -> (PlayerHeartbeat) r)
        .forEach(h -> sessions.computeIfAbsent(h.getSessionId().toString(), k -> new ArrayList<>()).add(h));
    // Sessions that start and end inside the run open with PLAY_REQUESTED and close with ENDED, EXIT or ERROR.
    List<List<PlayerHeartbeat>> whole = sessions.values().stream()
        .filter(events -> events.stream().anyMatch(h -> h.getType() == HeartbeatType.PLAY_REQUESTED))
        .toList();
    assertThat(whole).isNotEmpty();
    for (List<PlayerHeartbeat> events : whole) {
      List<PlayerHeartbeat> ordered = events.stream().sorted(Comparator.comparingLong(PlayerHeartbeat::getEventTime)
          .thenComparing(h -> h.getEventId().toString().length()).thenComparing(h -> h.getEventId().toString()))
          .toList();
      assertThat(ordered.get(0).getEventId().toString()).endsWith("-e0");
    }
    long endings = sessions.values().stream().flatMap(List::stream)
        .filter(h -> h.getType() == HeartbeatType.ENDED).count();
    assertThat(endings).isPositive();
    List<PlayerHeartbeat> beats = sessions.values().stream().flatMap(List::stream)
        .filter(h -> h.getType() == HeartbeatType.HEARTBEAT).toList();
    // Enough low buffers and low throughputs that a cap policy has decisions to make.
    assertThat(beats.stream().filter(h -> h.getBufferMs() < 10_000).count()).isGreaterThan(beats.size() / 20);
    assertThat(beats.stream().filter(h -> h.getThroughputKbps() < 3_000).count()).isGreaterThan(beats.size() / 20);
    assertThat(sessions.values().stream().flatMap(List::stream)
        .filter(h -> h.getType() == HeartbeatType.STALL_START).count()).isPositive();
  }
}
