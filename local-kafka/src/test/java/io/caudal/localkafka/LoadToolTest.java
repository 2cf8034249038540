package io.caudal.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The load tool's modes against a real broker with Caudal's topics (one for the class). */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadToolTest {
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
  private static List<PlannedEvent> plan;

  @BeforeAll
  static void planTheFleet() {
    plan = FleetPlan.generate(FleetPlan.Config.of(2_000, 3, "load-test"));
  }

  @Test
  @Order(1)
  void producesEveryPlannedEventAndThePlainConsumerDecodesThemAll() {
    Producing.Result produced = Producing.run(KAFKA.bootstrapServers(), plan, true);
    assertThat(produced.failed()).isZero();
    assertThat(produced.events()).isEqualTo(plan.size());

    PlainConsumer.Result consumed = PlainConsumer.run(KAFKA.bootstrapServers(),
        List.of(LoadToolOptions.DEFAULT_TOPICS.split(",")), Duration.ofSeconds(60));
    assertThat(consumed.failed()).isZero();
    assertThat(consumed.records()).isEqualTo(plan.size());
    assertThat(consumed.recordsPerSecond()).isPositive();
  }

  @Test
  @Order(2)
  void lagIsTheRecordsAfterTheGroupsCommittedOffsets() throws Exception {
    TopicPartition first = new TopicPartition(Topics.HEARTBEAT.name(), 0);
    Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (Admin client = Admin.create(admin);
        LagSampler sampler = new LagSampler(KAFKA.bootstrapServers(), List.of(Topics.HEARTBEAT.name()),
            Optional.empty())) {
      LagSampler.Sample before = sampler.sample();
      assertThat(before.group()).isEmpty();
      assertThat(before.end()).isPositive();

      client.alterConsumerGroupOffsets("qoe-job", Map.of(first, new OffsetAndMetadata(10))).all().get();
      LagSampler.Sample after = sampler.sample();
      assertThat(after.group()).contains("qoe-job");
      // Partition 0 is 10 records in; the other partitions count from their start.
      assertThat(after.lag()).isEqualTo(after.end() - 10);
    }
  }

  @Test
  @Order(3)
  void decisionLatencyIsReadTimeMinusTheDecisionsEventTime() throws Exception {
    long started = System.currentTimeMillis();
    CompletableFuture<DecisionLatency.Result> measuring = CompletableFuture.supplyAsync(
        () -> DecisionLatency.run(KAFKA.bootstrapServers(), Duration.ofSeconds(8)));
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "decisions-test");
    // The measuring consumer starts at the topic's end once it is up: keep deciding for 6 s, one
    // transaction per decision, so most of them come after that.
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      producer.initTransactions();
      long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      int sent = 0;
      while (System.nanoTime() < deadline && !measuring.isDone()) {
        producer.beginTransaction();
        // Decided on a heartbeat observed 1.5 s ago; every tenth on one from an hour before the
        // measuring started, which is counted apart.
        long observed = sent % 10 == 9 ? started - 3_600_000 : System.currentTimeMillis() - 1_500;
        BitrateDecision decision = BitrateDecision.newBuilder()
            .setSessionId("s" + sent++)
            .setEventTime(observed)
            .setMaxBitrateKbps(1_750)
            .setReason("low_throughput: test")
            .build();
        producer.send(new ProducerRecord<>(Topics.BITRATE.name(), Topics.BITRATE.keyOf(decision),
            JsonAvroCodec.toBytes(decision)));
        producer.commitTransaction();
      }
    }
    DecisionLatency.Result result = measuring.get();
    assertThat(result.decisions()).isPositive();
    assertThat(result.p50Ms()).isGreaterThanOrEqualTo(1_500);
    assertThat(result.p99Ms()).isGreaterThanOrEqualTo(result.p50Ms());
    assertThat(result.maxMs()).isGreaterThanOrEqualTo(result.p99Ms()).isLessThan(3_600_000);
    assertThat(result.forEarlierEvents()).isPositive();
  }
}
