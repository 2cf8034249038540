package io.caudal.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleEvents;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real broker, started in this JVM on a free port in a temporary folder, stopped and started again. */
@IntegrationTest
class LocalBrokerTest {

  @TempDir Path dataDir;

  @Test
  void keepsTopicsAndRecordsAcrossARestartOnTheSameDataDirectory() throws Exception {
    int port = freePort();
    PlayerHeartbeat sent = SampleEvents.heartbeat("session-1", 1_764_000_000_000L).build();

    try (LocalBroker broker = LocalBroker.start(dataDir, port)) {
      assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + port);
      assertCaudalTopicsExist(broker.bootstrapServers());
      try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
        producer.send(new ProducerRecord<>(Topics.HEARTBEAT.name(), Topics.HEARTBEAT.keyOf(sent),
            JsonAvroCodec.toBytes(sent))).get();
      }
      assertThat(readAll(broker.bootstrapServers())).containsExactly(sent);
    }

    try (LocalBroker restarted = LocalBroker.start(dataDir, port)) {
      assertCaudalTopicsExist(restarted.bootstrapServers());
      assertThat(readAll(restarted.bootstrapServers())).containsExactly(sent);
    }
  }

  @Test
  void refusesAPortSomethingAlreadyListensOn() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> LocalBroker.start(dataDir.resolve("unused"), taken.getLocalPort()))
          .isInstanceOf(LocalBroker.PortInUseException.class)
          .hasMessage("port " + taken.getLocalPort()
              + " is already in use (is a broker already running? choose another with --port)");
    }
  }

  private static void assertCaudalTopicsExist(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Set<String> names = Topics.all().stream().map(topic -> topic.name()).collect(Collectors.toSet());
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      assertThat(described.get(Topics.HEARTBEAT.name()).partitions()).hasSize(Topics.HEARTBEAT.layout().partitions());
      assertThat(described.get(Topics.BITRATE.name()).partitions()).hasSize(Topics.BITRATE.layout().partitions());
      assertThat(described.keySet()).containsExactlyInAnyOrderElementsOf(names);
      for (Topic<?> topic : Topics.all()) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        topic.layout().configs().forEach((name, value) ->
            assertThat(config.get(name).value()).as("%s of %s", name, topic.name()).isEqualTo(value));
      }
    }
  }

  /** Every heartbeat on the topic, read from the start of each partition up to its current end. */
  private static List<PlayerHeartbeat> readAll(String bootstrap) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.HEARTBEAT.name()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<PlayerHeartbeat> read = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        assertThat(System.nanoTime()).as("read to the end offsets within 30 s").isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          read.add(JsonAvroCodec.fromBytes(record.value(), PlayerHeartbeat.class));
        }
      }
      return read;
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.ACKS_CONFIG, "all"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
