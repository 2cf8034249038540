package io.caudal.testing.kafka;

import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-process single-node KRaft broker (Kafka's own test kit) for one test class, with the few
 * client calls tests need. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
 * }</pre>
 *
 * <p>Reads fail loudly: a read that cannot reach what it was asked for by its deadline throws,
 * naming the topic and what it got, instead of handing back a partial list.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

  /** How long a read may wait for records that were committed before it started. */
  public static final Duration READ_DEADLINE = Duration.ofSeconds(60);

  private final boolean caudalTopics;
  private KafkaClusterTestKit cluster;
  /** The test class whose life the broker follows. */
  private String startedBy;

  private KafkaBroker(boolean caudalTopics) {
    this.caudalTopics = caudalTopics;
  }

  /** A broker with no topics: the test creates the ones it needs. */
  public static KafkaBroker empty() {
    return new KafkaBroker(false);
  }

  /** A broker with every Caudal topic, laid out as {@link io.caudal.schemas.TopicLayout} says. */
  public static KafkaBroker withCaudalTopics() {
    return new KafkaBroker(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    // @Nested classes see their outer class's extensions again: one broker for all of them.
    if (startedBy == null) {
      start();
      startedBy = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (context.getUniqueId().equals(startedBy)) {
      stop();
      startedBy = null;
    }
  }

  private void start() throws Exception {
    cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        // One broker: the internal topics cannot have more replicas than that.
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        // Consumers of a new group start at once instead of waiting 3 s for more members.
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    if (caudalTopics) {
      createTopics(Topics.all());
    }
  }

  /** Stops the broker and deletes its data. */
  private void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  public String bootstrapServers() {
    if (cluster == null) {
      throw new IllegalStateException("the broker is not started: register it with @RegisterExtension on a static field");
    }
    return cluster.bootstrapServers();
  }

  /** Creates Caudal topics with their own layout (partitions, retention). */
  public void createTopics(Collection<Topic<?>> topics) throws Exception {
    create(topics.stream().map(topic -> new NewTopic(topic.name(), topic.layout().partitions(), (short) 1)
        .configs(topic.layout().configs())).toList());
  }

  /** Creates topics by name with the given number of partitions each. */
  public void createTopics(int partitions, String... names) throws Exception {
    create(List.of(names).stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList());
  }

  private void create(List<NewTopic> topics) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(topics).all().get();
    }
  }

  /** Sends records in order with an idempotent producer and waits until every one is acknowledged. */
  public void send(List<ProducerRecord<byte[], byte[]>> records) {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, "5"), new ByteArraySerializer(), new ByteArraySerializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  /** Publishes records (Avro single-object encoded, keyed as the topic says) in one committed transaction. */
  @SafeVarargs
  public final <V extends SpecificRecord> void publishCommitted(Topic<V> topic, V... records) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + UUID.randomUUID());
    try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (V record : records) {
        producer.send(new ProducerRecord<>(topic.name(), topic.keyOf(record), JsonAvroCodec.toBytes(record)));
      }
      producer.commitTransaction();
    }
  }

  /** The committed end of a topic's partitions, summed: where a later read of new output starts. */
  public long endOffset(String topic) {
    try (var consumer = consumer()) {
      return consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Every committed record of a topic, all partitions, from the beginning to the committed end. */
  public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    return readCommitted(topic, 0);
  }

  /**
   * Every committed record of a single-partition topic from an offset to its committed end.
   *
   * @throws AssertionError when the end is not reached within {@link #READ_DEADLINE}
   */
  public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, long fromOffset) {
    try (var consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      if (fromOffset > 0 && partitions.size() > 1) {
        throw new IllegalArgumentException(topic + " has " + partitions.size() + " partitions: an offset names a place in one");
      }
      consumer.assign(partitions);
      partitions.forEach(partition -> consumer.seek(partition, fromOffset));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("read " + records.size() + " records of " + topic + " but not up to its committed end "
              + end + " within " + READ_DEADLINE.toSeconds() + " s");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** Every committed value of a Caudal topic, decoded, from the beginning to the committed end. */
  public <V extends SpecificRecord> List<V> readCommitted(Topic<V> topic) {
    return readCommitted(topic.name()).stream()
        .map(record -> JsonAvroCodec.fromBytes(record.value(), topic.valueClass())).toList();
  }

  /**
   * Reads a Caudal topic from the beginning until what was read satisfies {@code done}.
   *
   * @return every record read, decoded
   * @throws AssertionError when {@code done} is not satisfied within {@code deadline}
   */
  public <V extends SpecificRecord> List<V> readUntil(Topic<V> topic, Predicate<List<V>> done, Duration deadline) {
    List<V> seen = readFor(topic, done, deadline);
    if (!done.test(seen)) {
      throw new AssertionError("read " + seen.size() + " records of " + topic.name()
          + " within " + deadline.toMillis() + " ms, and what was expected was not among them: " + seen);
    }
    return seen;
  }

  private <V extends SpecificRecord> List<V> readFor(Topic<V> topic, Predicate<List<V>> done, Duration duration) {
    List<V> seen = new ArrayList<>();
    try (var consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer, topic.name());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long end = System.nanoTime() + duration.toNanos();
      while (System.nanoTime() < end && !done.test(seen)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          seen.add(JsonAvroCodec.fromBytes(record.value(), topic.valueClass()));
        }
      }
    }
    return seen;
  }

  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    return consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
  }

  /** A read_committed consumer: only what transactions committed, as qoe-stream's readers see it. */
  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
