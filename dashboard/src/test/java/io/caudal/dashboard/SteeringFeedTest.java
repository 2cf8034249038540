package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.ReplicationRequest;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The steering panel fed from qoe.steering on an in-process KRaft broker. */
@IntegrationTest
class SteeringFeedTest {

  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.empty();
  @TempDir static Path root;
  static SteeringFeed feed;
  static RunningDashboard dashboard;
  static DashboardClient client;

  @BeforeAll
  static void start() throws Exception {
    KAFKA.createTopics(List.<Topic<?>>of(Topics.STEERING));
    feed = new SteeringFeed(KAFKA.bootstrapServers()).start();
    dashboard = RunningDashboard.start(root, 1, 2_000, 100, FixtureTables.oneUser("ops", "a long enough password"),
        Optional.of(feed));
    client = new DashboardClient(dashboard.port);
    client.login("ops", "a long enough password");
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
    feed.close();
  }

  private static SteeringDecision decision(String region, long time, List<String> priority,
      List<ExcludedServer> excluded, List<ReplicationRequest> replications) {
    return SteeringDecision.newBuilder().setRegion(region).setEventTime(time).setTtlSeconds(30)
        .setPathwayPriority(priority).setExcluded(excluded).setReplications(replications).build();
  }

  /** Sends decisions in a transaction that is then aborted, as a failed qoe-stream checkpoint leaves them. */
  private static void publishAborted(SteeringDecision... decisions) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "steering-test-aborted");
    try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (SteeringDecision decision : decisions) {
        producer.send(new ProducerRecord<>(Topics.STEERING.name(), Topics.STEERING.keyOf(decision),
            JsonAvroCodec.toBytes(decision)));
      }
      producer.abortTransaction();
    }
  }

  @Test
  void keepsTheLatestCommittedDecisionPerRegionAndShowsItInTheApi() throws Exception {
    KAFKA.publishCommitted(Topics.STEERING,
        decision("eu-west", 1_000, List.of("srv-1", "srv-2"), List.of(), List.of()),
        decision("us-east", 1_000, List.of("srv-4"), List.of(), List.of()));
    KAFKA.publishCommitted(Topics.STEERING, decision("eu-west", 2_000, List.of("srv-2", "srv-1", "srv-3"),
        List.of(new ExcludedServer("srv-3", "cpu_over_threshold")),
        List.of(new ReplicationRequest("t-9", "srv-2", "no_eligible_holder"))));
    // Aborted: read_committed never shows it, though it is the newest.
    publishAborted(decision("eu-west", 3_000, List.of("srv-9"), List.of(), List.of()));
    // An older decision arriving late does not replace the newer one.
    KAFKA.publishCommitted(Topics.STEERING, decision("us-east", 500, List.of("srv-stale"), List.of(), List.of()),
        decision("ap-south", 2_500, List.of("srv-7"), List.of(), List.of()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(feed.state().latest()).extracting(SteeringDecision::getRegion)
            .contains("ap-south", "eu-west", "us-east"));

    JsonNode body = client.getJson("/api/steering");
    assertThat(body.get("status").asText()).isEqualTo("ok");
    JsonNode euWest = region(body, "eu-west");
    assertThat(euWest.get("region").asText()).isEqualTo("eu-west");
    assertThat(euWest.get("pathwayPriority")).extracting(JsonNode::asText).containsExactly("srv-2", "srv-1", "srv-3");
    assertThat(euWest.at("/excluded/0/reason").asText()).isEqualTo("cpu_over_threshold");
    assertThat(euWest.at("/replications/0/titleId").asText()).isEqualTo("t-9");
    assertThat(region(body, "us-east").get("pathwayPriority")).extracting(JsonNode::asText).containsExactly("srv-4");
    assertThat(body.at("/feed/subscribed").asBoolean()).isTrue();
  }

  private static JsonNode region(JsonNode body, String name) {
    for (JsonNode region : body.get("regions")) {
      if (region.get("region").asText().equals(name)) {
        return region;
      }
    }
    throw new AssertionError("no region " + name + " in " + body);
  }

  @Test
  void countsARecordThatIsNotADecisionAndKeepsGoing() throws Exception {
    KAFKA.send(List.of(new ProducerRecord<>(Topics.STEERING.name(), "xx".getBytes(), "not avro".getBytes())));
    KAFKA.publishCommitted(Topics.STEERING, decision("sa-east", 4_000, List.of("srv-8"), List.of(), List.of()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(feed.health().get("undecodableRecords")).isEqualTo(1L);
      assertThat(feed.state().latest()).extracting(SteeringDecision::getRegion).contains("sa-east");
    });
  }
}
