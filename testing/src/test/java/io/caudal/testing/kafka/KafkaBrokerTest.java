package io.caudal.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleEvents;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@IntegrationTest
class KafkaBrokerTest {
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
  static String startedAt;

  @BeforeAll
  static void rememberTheBroker() {
    startedAt = KAFKA.bootstrapServers();
  }

  @Test
  void createsEveryCaudalTopicWithItsLayout() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      Map<String, TopicDescription> described = admin.describeTopics(
          Topics.all().stream().map(topic -> topic.name()).collect(Collectors.toList())).allTopicNames().get();
      for (var topic : Topics.all()) {
        assertThat(described.get(topic.name()).partitions()).as(topic.name()).hasSize(topic.layout().partitions());
      }
    }
  }

  @Test
  void readsBackWhatATransactionCommitted() {
    PlayerHeartbeat first = SampleEvents.heartbeat("s-read", SampleEvents.EVENING).build();
    PlayerHeartbeat second = SampleEvents.heartbeat("s-read", SampleEvents.EVENING + 1_000)
        .setType(HeartbeatType.STALL_START).build();

    KAFKA.publishCommitted(Topics.HEARTBEAT, first, second);

    assertThat(KAFKA.readCommitted(Topics.HEARTBEAT)).contains(first, second);
    assertThat(KAFKA.readUntil(Topics.HEARTBEAT, seen -> seen.contains(second), Duration.ofSeconds(20)))
        .contains(first, second);
  }

  @Test
  void aReadThatDoesNotGetWhatItWaitsForFailsLoudly() {
    assertThatThrownBy(() -> KAFKA.readUntil(Topics.STEERING, seen -> !seen.isEmpty(), Duration.ofMillis(500)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("qoe.steering")
        .hasMessageContaining("0 records");
  }

  @Nested
  class InANestedClass {
    @Test
    void theOuterClassBrokerIsStillTheOneThatAnswers() {
      assertThat(KAFKA.bootstrapServers()).isEqualTo(startedAt);
      PlayerHeartbeat event = SampleEvents.heartbeat("s-nested", SampleEvents.EVENING).build();
      KAFKA.publishCommitted(Topics.HEARTBEAT, event);
      assertThat(KAFKA.readUntil(Topics.HEARTBEAT, seen -> seen.contains(event), Duration.ofSeconds(20))).contains(event);
    }
  }
}
