package io.caudal.localkafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a {@link FleetPlan} to Kafka on its schedule (or as fast as possible), stamping each event
 * with its event time as it goes: an idempotent producer, lz4-compressed batches.
 */
final class Producing {
  /**
   * What a run achieved.
   *
   * @param events events acknowledged by the broker
   * @param failed events the broker refused
   * @param seconds from the first send to the last acknowledgement
   * @param maxBehindMs how late, at worst, an event was sent after its planned time
   * @param firstError the first refusal's message, or null
   */
  record Result(long events, long failed, double seconds, long maxBehindMs, String firstError) {
    double eventsPerSecond() {
      return seconds > 0 ? events / seconds : 0;
    }
  }

  private Producing() {}

  static Map<String, Object> producerConfig(String bootstrapServers) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        // Exactly-once from the first hop: retries never duplicate an event.
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        // Small events: a few ms of batching makes 64 KiB batches at tens of thousands per second.
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
  }

  /**
   * Sends every event; with {@code paced}, event {@code e} no earlier than {@code start + e.sendAtMs},
   * else back to back. Each event's time is its planned send time less its observation delay
   * (paced) or its actual send time less that delay (unpaced).
   */
  static Result run(String bootstrapServers, List<PlannedEvent> plan, boolean paced) {
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long maxBehind = 0;
    long start;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrapServers))) {
      // Connect and fetch metadata before the clock starts.
      plan.stream().map(PlannedEvent::topic).distinct().forEach(producer::partitionsFor);
      start = System.currentTimeMillis();
      for (PlannedEvent event : plan) {
        long now = System.currentTimeMillis();
        long due = start + event.sendAtMs();
        if (paced && due > now) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(due - now));
          now = System.currentTimeMillis();
        }
        if (paced) {
          maxBehind = Math.max(maxBehind, now - due);
        }
        long eventTime = (paced ? due : now) - event.observedBeforeMs();
        byte[] value = event.value().clone();
        EventTimes.rewrite(value, event.timeOffset(), eventTime);
        producer.send(new ProducerRecord<>(event.topic(), null, eventTime, event.key(), value), (metadata, error) -> {
          if (error == null) {
            acknowledged.incrementAndGet();
          } else {
            failed.incrementAndGet();
            firstError.compareAndSet(null, error.getClass().getSimpleName() + ": " + error.getMessage());
          }
        });
      }
      producer.flush();
    }
    double seconds = (System.currentTimeMillis() - start) / 1_000.0;
    return new Result(acknowledged.get(), failed.get(), seconds, maxBehind, firstError.get());
  }
}
