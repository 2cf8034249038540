package io.caudal.localkafka;

import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The reference side of the QoE benchmark: one plain {@link KafkaConsumer} reading topics from
 * the start to their current end and decoding every value with the schemas' decoder, as fast as
 * it can. Its rate is the most any consumer of these topics could keep up with on this machine.
 */
final class PlainConsumer {
  /**
   * @param records records read and decoded
   * @param bytes their value bytes
   * @param seconds from the first poll to the last record
   * @param failed records that did not decode
   * @param cpuSeconds the process's CPU time over the same span (every thread: polling, decoding, GC)
   */
  record Result(long records, long bytes, double seconds, long failed, double cpuSeconds) {
    double recordsPerSecond() {
      return seconds > 0 ? records / seconds : 0;
    }
  }

  private PlainConsumer() {}

  static Result run(String bootstrapServers, List<String> topicNames, Duration timeout) {
    List<Topic<?>> topics = new ArrayList<>();
    for (String name : topicNames) {
      topics.add(Topics.byName(name).orElseThrow(
          () -> new IllegalArgumentException("plain-consume: " + name + " is not a Caudal topic")));
    }
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        // As a stream job's source fetches: large fetches, many records per poll.
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000,
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 50 << 20,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      Map<String, Class<?>> classes = new java.util.HashMap<>();
      for (Topic<?> topic : topics) {
        consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        classes.put(topic.name(), topic.valueClass());
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long records = 0;
      long bytes = 0;
      long failed = 0;
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      long last = start;
      long deadline = start + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("plain-consume: did not reach the end offsets within " + timeout.toSeconds()
              + " s (" + records + " records read)");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            decode(record.value(), classes.get(record.topic()));
            records++;
            bytes += record.serializedValueSize();
          } catch (RuntimeException e) {
            failed++;
          }
          last = System.nanoTime();
        }
      }
      return new Result(records, bytes, (last - start) / 1e9, failed, (processCpuNanos() - cpuStart) / 1e9);
    }
  }

  /** CPU time of this whole process so far, in ns (the benchmark compares it with the job's). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object decode(byte[] value, Class<?> type) {
    return JsonAvroCodec.fromBytes(value, (Class) type);
  }
}
