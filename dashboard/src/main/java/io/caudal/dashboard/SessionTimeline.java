package io.caudal.dashboard;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One session's events, read back from Kafka for its timeline: the player's heartbeats
 * ({@code player.heartbeat}) and its bitrate caps ({@code qoe.bitrate}), both keyed by session id,
 * and the steering decisions of its region ({@code qoe.steering}, keyed by region).
 *
 * <p>A key lives in one partition, the one the producer's default partitioner picked (murmur2 of
 * the key's bytes, made positive, modulo the partition count), so only that partition is read:
 * from the first offset whose timestamp is at or after the range's start less a margin, to the
 * partition's end as it was when the read began, keeping the records with the key and an event
 * time in the range. Each read is bounded in records and in time, by a consumer of its own that
 * joins no group and commits nothing.
 */
public final class SessionTimeline {

  /**
   * Bounds of one read.
   *
   * @param maxRecordsPerTopic the most records scanned in one topic's partition
   * @param maxReadTime the longest one topic's partition is read
   * @param marginMs how far before the range the read starts, and past its end it stops (record
   *     timestamps are when the producer sent, which may trail or lead the event times)
   */
  public record Limits(int maxRecordsPerTopic, Duration maxReadTime, long marginMs) {
    public static final Limits DEFAULT = new Limits(500_000, Duration.ofSeconds(10), 10 * 60_000L);
  }

  /**
   * What was found.
   *
   * @param truncated whether a read stopped at a limit before the end of the range
   * @param scanned records looked at, over all topics
   * @param undecodable records with the key that did not decode, skipped
   */
  public record Events(List<PlayerHeartbeat> heartbeats, List<BitrateDecision> caps,
      List<SteeringDecision> steering, boolean truncated, long scanned, long undecodable) {}

  private static final Duration POLL = Duration.ofMillis(200);

  private final String bootstrapServers;
  private final Limits limits;

  public SessionTimeline(String bootstrapServers, Limits limits) {
    this.bootstrapServers = bootstrapServers;
    this.limits = limits;
  }

  /**
   * The session's events with an event time in [{@code fromMs}, {@code toMs}], in event-time order.
   *
   * @param region the session's region, whose steering decisions are added; empty: the region of
   *     the session's first heartbeat
   */
  public Events read(String sessionId, long fromMs, long toMs, Optional<String> region) {
    if (sessionId == null || sessionId.isBlank()) {
      throw new IllegalArgumentException("session: give a session id");
    }
    if (toMs < fromMs) {
      throw new IllegalArgumentException("to: must not be before from");
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      Scan<PlayerHeartbeat> heartbeats =
          scan(consumer, Topics.HEARTBEAT, sessionId, fromMs, toMs, PlayerHeartbeat::getEventTime);
      Scan<BitrateDecision> caps = scan(consumer, Topics.BITRATE, sessionId, fromMs, toMs, BitrateDecision::getEventTime);
      Optional<String> steeringRegion = region.or(() -> heartbeats.values.stream().findFirst().map(h -> h.getRegion()));
      Scan<SteeringDecision> steering = steeringRegion
          .map(r -> scan(consumer, Topics.STEERING, r, fromMs, toMs, SteeringDecision::getEventTime))
          .orElse(new Scan<>(List.of(), false, 0, 0));
      return new Events(heartbeats.values, caps.values, steering.values,
          heartbeats.truncated || caps.truncated || steering.truncated,
          heartbeats.scanned + caps.scanned + steering.scanned,
          heartbeats.undecodable + caps.undecodable + steering.undecodable);
    }
  }

  /** The partition the default partitioner sends {@code key} to, of {@code partitions}. */
  public static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private record Scan<V>(List<V> values, boolean truncated, long scanned, long undecodable) {}

  private <V extends SpecificRecord> Scan<V> scan(KafkaConsumer<byte[], byte[]> consumer, Topic<V> topic,
      String key, long fromMs, long toMs, ToLongFunction<V> eventTime) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(5));
    if (infos == null || infos.isEmpty()) {
      return new Scan<>(List.of(), false, 0, 0);
    }
    TopicPartition partition = new TopicPartition(topic.name(), partitionOf(key, infos.size()));
    consumer.assign(List.of(partition));
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    OffsetAndTimestamp start =
        consumer.offsetsForTimes(Map.of(partition, Math.max(0, fromMs - limits.marginMs()))).get(partition);
    if (start == null || start.offset() >= end) {
      return new Scan<>(List.of(), false, 0, 0);
    }
    consumer.seek(partition, start.offset());
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    List<V> values = new ArrayList<>();
    long scanned = 0;
    long undecodable = 0;
    boolean truncated = false;
    long deadline = System.nanoTime() + limits.maxReadTime().toNanos();
    long stopAfterTimestamp = toMs + limits.marginMs();
    reading:
    while (consumer.position(partition) < end) {
      if (scanned >= limits.maxRecordsPerTopic() || System.nanoTime() > deadline) {
        truncated = true;
        break;
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (record.offset() >= end || record.timestamp() > stopAfterTimestamp) {
          break reading;
        }
        if (scanned >= limits.maxRecordsPerTopic()) {
          truncated = true;
          break reading;
        }
        scanned++;
        if (!Arrays.equals(keyBytes, record.key())) {
          continue;
        }
        try {
          V value = JsonAvroCodec.fromBytes(record.value(), topic.valueClass());
          long time = eventTime.applyAsLong(value);
          if (time >= fromMs && time <= toMs) {
            values.add(value);
          }
        } catch (RuntimeException e) {
          undecodable++;
        }
      }
    }
    // Within a partition records come in the order they were sent; a late event is put in its place.
    values.sort(Comparator.comparingLong(eventTime));
    return new Scan<>(values, truncated, scanned, undecodable);
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "caudal-dashboard-timeline-" + UUID.randomUUID());
    // Decisions are written in transactions: an aborted one never happened.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
