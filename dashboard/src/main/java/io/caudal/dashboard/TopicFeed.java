package io.caudal.dashboard;

import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one of qoe-stream's small output topics from the beginning (committed records only) on a
 * thread of its own and hands each record to what keeps the topic's state. It joins no consumer
 * group: every dashboard replays the whole topic, which holds a few small records per region or
 * alert. A record that does not decode is counted and reported, not fatal.
 */
public abstract class TopicFeed<V extends SpecificRecord> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final Topic<V> topic;
  private final Consumer<V> apply;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final AtomicLong undecodable = new AtomicLong();
  private final AtomicLong lastRecordMs = new AtomicLong();
  private final String bootstrapServers;
  private volatile boolean assigned;
  private volatile boolean running = true;

  protected TopicFeed(String bootstrapServers, Topic<V> topic, Consumer<V> apply) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.apply = apply;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "caudal-dashboard-" + UUID.randomUUID());
    // qoe-stream writes some outputs in transactions; an aborted record must never show.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // A reader must not create qoe-stream's output topic by asking for it.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = new Thread(this::run, topic.name() + "-feed");
    thread.setDaemon(true);
  }

  /** Starts reading. */
  public TopicFeed<V> start() {
    thread.start();
    return this;
  }

  /** What the panel shows about the connection itself. */
  public Map<String, Object> health() {
    String error = lastError.get();
    return Map.of(
        "bootstrapServers", bootstrapServers,
        "topic", topic.name(),
        "subscribed", assigned,
        "undecodableRecords", undecodable.get(),
        "lastRecordAtMs", lastRecordMs.get(),
        "lastError", error == null ? "" : error);
  }

  private void run() {
    try {
      while (running) {
        if (!assigned) {
          assignWhenTopicExists();
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          accept(record);
        }
        lastError.set(null);
      }
    } catch (WakeupException e) {
      // close() woke the poll up.
    } catch (RuntimeException e) {
      lastError.set(topic.name() + " feed stopped: " + e);
      LOG.error("{} feed stopped", topic.name(), e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** The topic may not exist yet on a fresh cluster: look again until it does. */
  private void assignWhenTopicExists() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), POLL.multipliedBy(4)).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      if (partitions.isEmpty()) {
        lastError.set("topic " + topic.name() + " does not exist yet");
        sleepQuietly();
        return;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      assigned = true;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      lastError.set("cannot reach Kafka at " + bootstrapServers + ": " + e.getMessage());
    }
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> record) {
    try {
      apply.accept(JsonAvroCodec.fromBytes(record.value(), topic.valueClass()));
      lastRecordMs.set(System.currentTimeMillis());
    } catch (RuntimeException e) {
      undecodable.incrementAndGet();
      lastError.set(
          "record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
              + " does not decode as " + topic.valueClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
