package io.caudal.localkafka;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How long after the heartbeat that caused it a bitrate decision can be read: for each decision
 * on {@code qoe.bitrate} read (committed only, as every consumer of Caudal's outputs reads), the
 * wall clock at reading minus the decision's event time. Reads from the topic's end at start, and
 * counts only decisions on events stamped since it started: a decision on an event from before
 * (say, the last events of a previous load, which waited for the watermark while no events came)
 * measures the pause in the input, not the job; those are counted apart.
 */
final class DecisionLatency {
  /**
   * @param decisions decisions read
   * @param p50Ms median latency, ms (0 when none)
   * @param p99Ms 99th percentile, ms (0 when none)
   * @param maxMs worst, ms (0 when none)
   * @param forEarlierEvents decisions read on events stamped before the measuring started, not in the above
   */
  record Result(long decisions, long p50Ms, long p99Ms, long maxMs, long forEarlierEvents) {}

  private DecisionLatency() {}

  static Result run(String bootstrapServers, Duration duration) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        // Decisions of transactions still open (or aborted) are not decisions yet.
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        // Latency, not throughput: answer a fetch as soon as anything is there.
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    long[] latencies = new long[1 << 16];
    int count = 0;
    long earlier = 0;
    long since = System.currentTimeMillis();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.BITRATE.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      long deadline = System.nanoTime() + duration.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          BitrateDecision decision = JsonAvroCodec.fromBytes(record.value(), BitrateDecision.class);
          if (decision.getEventTime() < since) {
            earlier++;
            continue;
          }
          if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
          }
          latencies[count++] = now - decision.getEventTime();
        }
      }
    }
    return summarize(Arrays.copyOf(latencies, count), earlier);
  }

  /** Nearest-rank percentiles of the latencies. */
  static Result summarize(long[] latencies, long forEarlierEvents) {
    if (latencies.length == 0) {
      return new Result(0, 0, 0, 0, forEarlierEvents);
    }
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new Result(sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1],
        forEarlierEvents);
  }

  private static long percentile(long[] sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
