package io.caudal.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void listsEveryKafkaTopicByItsName() {
    assertThat(Topics.all()).extracting(Topic::name).containsExactly(
        "player.heartbeat", "player.rtcp", "server.health", "qoe.bitrate", "qoe.steering", "qoe.alerts",
        "events.dlq");
  }

  @Test
  void findsATopicByName() {
    assertThat(Topics.byName("qoe.steering")).containsSame(Topics.STEERING);
    assertThat(Topics.byName("player.clicks")).isEmpty();
  }

  @Test
  void keysPlayerEventsAndBitrateDecisionsBySession() {
    assertThat(Topics.HEARTBEAT.keyOf(Samples.heartbeat())).asString(StandardCharsets.UTF_8).isEqualTo("s-42");
    assertThat(Topics.RTCP.keyOf(Samples.rtcp())).asString(StandardCharsets.UTF_8).isEqualTo("s-42");
    assertThat(Topics.BITRATE.keyOf(Samples.bitrateDecision())).asString(StandardCharsets.UTF_8).isEqualTo("s-42");
  }

  @Test
  void keysServerHealthByServerAndSteeringByRegion() {
    assertThat(Topics.SERVER_HEALTH.keyOf(Samples.serverHealth())).asString(StandardCharsets.UTF_8)
        .isEqualTo("edge-eu-1");
    assertThat(Topics.STEERING.keyOf(Samples.steeringDecision())).asString(StandardCharsets.UTF_8)
        .isEqualTo("eu-west");
  }

  @Test
  void keysADeadLetterByTheRefusedRecordsOwnKey() {
    assertThat(Topics.DEAD_LETTER.keyOf(Samples.deadLetter())).asString(StandardCharsets.UTF_8).isEqualTo("s-42");

    DeadLetter keyless = DeadLetter.newBuilder(Samples.deadLetter()).setKey(null).build();
    assertThat(Topics.DEAD_LETTER.keyOf(keyless)).isNull();
  }

  @Test
  void givesEachTopicItsValueSchema() {
    assertThat(Topics.HEARTBEAT.valueSchema()).isEqualTo(PlayerHeartbeat.getClassSchema());
    assertThat(Topics.all()).allSatisfy(topic ->
        assertThat(topic.valueSchema().getNamespace()).isEqualTo("io.caudal.schemas"));
  }

  @Test
  void refusesATopicKeyedByAFieldItsValuesLack() {
    assertThatThrownBy(() -> new Topic<>("player.heartbeat", "sid", PlayerHeartbeat.class, TopicLayout.INPUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic player.heartbeat: PlayerHeartbeat has no key field sid");
  }

  @Test
  void laysOutInputsForParallelReadsAndKeepsDecisionsLonger() {
    assertThat(Topics.HEARTBEAT.layout().partitions()).isEqualTo(4);
    assertThat(Topics.SERVER_HEALTH.layout().partitions()).isEqualTo(4);
    assertThat(Topics.BITRATE.layout().partitions()).isEqualTo(2);
    assertThat(Topics.DEAD_LETTER.layout().partitions()).isEqualTo(2);
    assertThat(Topics.RTCP.layout().configs())
        .containsEntry("retention.ms", Long.toString(24 * 3_600_000L))
        .containsEntry("retention.bytes", Long.toString(1L << 30))
        .containsEntry("cleanup.policy", "delete");
    assertThat(Topics.STEERING.layout().configs())
        .containsEntry("retention.ms", Long.toString(7 * 24 * 3_600_000L))
        .doesNotContainKey("retention.bytes");
  }

  @Test
  void refusesALayoutWithoutPartitionsOrWithAnUnknownCleanupPolicy() {
    assertThatThrownBy(() -> new TopicLayout(0, 1, -1, "delete"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one partition");
    assertThatThrownBy(() -> new TopicLayout(1, 1, -1, "forget"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delete or compact, got forget");
  }
}
