package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleEvents;
import io.caudal.testing.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The timeline reader against an in-process broker with the topics laid out as in production:
 * several sessions' events interleaved, two of them in the same partition, one event sent late.
 */
@IntegrationTest
class SessionTimelineTest {

  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();

  /** Event times near now: the records' own timestamps (when sent) are then just after them, as in the field. */
  static final long T0 = System.currentTimeMillis() - 3 * 60_000L;
  static final String ASKED = "sess-asked";
  static String neighbour;
  static final String OTHER_PARTITION_SESSION;

  static {
    int partitions = Topics.HEARTBEAT.layout().partitions();
    String other = null;
    for (int i = 0; other == null; i++) {
      String candidate = "sess-" + i;
      if (SessionTimeline.partitionOf(candidate, partitions) != SessionTimeline.partitionOf(ASKED, partitions)) {
        other = candidate;
      }
    }
    OTHER_PARTITION_SESSION = other;
  }

  @BeforeAll
  static void publish() {
    int partitions = Topics.HEARTBEAT.layout().partitions();
    for (int i = 0; neighbour == null; i++) {
      String candidate = "sess-n" + i;
      if (SessionTimeline.partitionOf(candidate, partitions) == SessionTimeline.partitionOf(ASKED, partitions)) {
        neighbour = candidate;
      }
    }
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (String session : List.of(ASKED, neighbour, OTHER_PARTITION_SESSION)) {
      records.add(heartbeat(SampleEvents.heartbeat(session, T0).setType(HeartbeatType.PLAY_REQUESTED)
          .setBitrateKbps(null).setBufferMs(0L).build()));
    }
    for (int second = 1; second <= 60; second++) {
      for (String session : List.of(ASKED, neighbour, OTHER_PARTITION_SESSION)) {
        HeartbeatType type = second == 1 ? HeartbeatType.STARTED
            : second == 20 ? HeartbeatType.STALL_START
            : second == 23 ? HeartbeatType.STALL_END : HeartbeatType.HEARTBEAT;
        // Second 30 of the asked session is sent last, as a late event would be.
        if (!(session.equals(ASKED) && second == 30)) {
          records.add(heartbeat(SampleEvents.heartbeat(session, T0 + second * 1000L).setType(type).build()));
        }
      }
    }
    records.add(heartbeat(SampleEvents.heartbeat(ASKED, T0 + 30_000).build()));
    KAFKA.send(records);
    KAFKA.publishCommitted(Topics.BITRATE,
        cap(ASKED, T0 + 21_000, 1_500), cap(neighbour, T0 + 21_000, 800), cap(ASKED, T0 + 45_000, 6_000));
    KAFKA.publishCommitted(Topics.STEERING,
        steering("eu-west", T0 + 10_000), steering("us-east", T0 + 11_000), steering("eu-west", T0 + 40_000),
        steering("eu-west", T0 + 5 * 3600_000L));
  }

  static ProducerRecord<byte[], byte[]> heartbeat(PlayerHeartbeat event) {
    return new ProducerRecord<>(Topics.HEARTBEAT.name(), Topics.HEARTBEAT.keyOf(event), JsonAvroCodec.toBytes(event));
  }

  static BitrateDecision cap(String session, long time, int kbps) {
    return BitrateDecision.newBuilder().setSessionId(session).setEventTime(time).setMaxBitrateKbps(kbps)
        .setReason("rebuffering").setVersion(time * 1000).build();
  }

  static SteeringDecision steering(String region, long time) {
    return SteeringDecision.newBuilder().setRegion(region).setEventTime(time).setTtlSeconds(30)
        .setPathwayPriority(List.of("edge-eu-1")).setExcluded(List.of()).setReplications(List.of())
        .setVersion(time * 1000).build();
  }

  @Test
  void theProducersPartitionIsTheOneTheReaderComputes() {
    for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommitted(Topics.HEARTBEAT.name())) {
      String key = new String(record.key(), StandardCharsets.UTF_8);
      assertThat(record.partition()).as(key).isEqualTo(SessionTimeline.partitionOf(key, 4));
    }
  }

  @Test
  void readsOnlyTheAskedSessionsEventsInEventTimeOrder() {
    SessionTimeline timeline = new SessionTimeline(KAFKA.bootstrapServers(), SessionTimeline.Limits.DEFAULT);

    SessionTimeline.Events events = timeline.read(ASKED, T0, T0 + 120_000, Optional.empty());

    assertThat(events.heartbeats()).hasSize(61).allMatch(event -> event.getSessionId().equals(ASKED));
    assertThat(events.heartbeats()).extracting(PlayerHeartbeat::getEventTime).isSorted();
    assertThat(events.heartbeats().get(30).getEventTime()).isEqualTo(T0 + 30_000);
    assertThat(events.heartbeats()).extracting(PlayerHeartbeat::getType)
        .containsSubsequence(HeartbeatType.PLAY_REQUESTED, HeartbeatType.STARTED, HeartbeatType.STALL_START,
            HeartbeatType.STALL_END);
    assertThat(events.caps()).extracting(BitrateDecision::getMaxBitrateKbps).containsExactly(1_500, 6_000);
    // The region of its heartbeats, in the range: not us-east's, not the one hours later.
    assertThat(events.steering()).extracting(SteeringDecision::getEventTime).containsExactly(T0 + 10_000, T0 + 40_000);
    assertThat(events.truncated()).isFalse();
    assertThat(events.undecodable()).isZero();
    // Only the key's partition was read: the asked and its neighbour's heartbeats, nothing of the third session's.
    assertThat(events.scanned()).isLessThan(2 * 61 + 2 + 1 + 4 + 10);
  }

  @Test
  void keepsToTheRangeAndItsLimits() {
    SessionTimeline timeline = new SessionTimeline(KAFKA.bootstrapServers(), SessionTimeline.Limits.DEFAULT);
    SessionTimeline.Events middle = timeline.read(ASKED, T0 + 10_000, T0 + 25_000, Optional.of("us-east"));
    assertThat(middle.heartbeats()).extracting(PlayerHeartbeat::getEventTime)
        .first().isEqualTo(T0 + 10_000);
    assertThat(middle.heartbeats()).hasSize(16);
    assertThat(middle.caps()).extracting(BitrateDecision::getEventTime).containsExactly(T0 + 21_000);
    assertThat(middle.steering()).extracting(SteeringDecision::getRegion).containsExactly("us-east");

    SessionTimeline bounded = new SessionTimeline(KAFKA.bootstrapServers(),
        new SessionTimeline.Limits(10, Duration.ofSeconds(10), 10 * 60_000L));
    SessionTimeline.Events cut = bounded.read(ASKED, T0, T0 + 120_000, Optional.empty());
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.heartbeats().size()).isLessThan(61);

    assertThat(timeline.read("sess-nobody", T0, T0 + 120_000, Optional.empty()).heartbeats()).isEmpty();
    assertThatThrownBy(() -> timeline.read(" ", T0, T0 + 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("session: give a session id");
  }
}
