package io.caudal.edge.collect;

import io.caudal.edge.http.EdgeMetrics;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes Caudal records to Kafka (Avro single-object encoded, keyed as {@link Topic} says) with
 * an idempotent producer that waits for every in-sync replica (acks=all).
 */
public final class KafkaPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Producer<byte[], byte[]> producer;
  private final Duration timeout;
  private final EdgeMetrics metrics;

  public KafkaPublisher(Producer<byte[], byte[]> producer, Duration timeout, EdgeMetrics metrics) {
    this.producer = producer;
    this.timeout = timeout;
    this.metrics = metrics;
  }

  /** A producer whose sends fail within about {@code timeout} while the brokers are unreachable. */
  public static KafkaPublisher connect(String bootstrapServers, String clientId, Duration timeout, EdgeMetrics metrics) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // A player waits on the answer: metadata and delivery give up within the collector's timeout.
    long ms = timeout.toMillis();
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms / 2);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (ms / 2));
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ms);
    // Local and loopback brokers come and go in tests and demos: retry connecting quickly.
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    return new KafkaPublisher(new KafkaProducer<>(p), timeout, metrics);
  }

  /**
   * Sends every record and returns once the broker acknowledged them all.
   *
   * @throws Unavailable when any send failed or was not acknowledged in time
   */
  public <V extends SpecificRecord> void sendAndWait(Topic<V> topic, List<V> records) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
    Throwable firstFailure = null;
    int failed = 0;
    for (V record : records) {
      try {
        sent.add(producer.send(toRecord(topic, record)));
      } catch (org.apache.kafka.common.KafkaException e) {
        failed++;
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
    for (Future<RecordMetadata> future : sent) {
      try {
        future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        failed++;
        firstFailure = firstFailure == null ? (e instanceof ExecutionException ? e.getCause() : e) : firstFailure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unavailable("interrupted while waiting for Kafka", e);
      }
    }
    if (failed > 0) {
      metrics.produceErrors(topic.name(), failed);
      throw new Unavailable("Kafka did not acknowledge " + failed + " of " + records.size() + " " + topic.name()
          + " records: " + firstFailure, firstFailure);
    }
  }

  /** Sends one record without waiting; a failure is logged and counted in edge_kafka_produce_errors_total. */
  public <V extends SpecificRecord> void send(Topic<V> topic, V record) {
    try {
      producer.send(toRecord(topic, record), (metadata, error) -> {
        if (error != null) {
          metrics.produceError(topic.name());
          LOG.warn("lost a {} record: {}", topic.name(), error.toString());
        }
      });
    } catch (org.apache.kafka.common.KafkaException e) {
      metrics.produceError(topic.name());
      LOG.warn("lost a {} record: {}", topic.name(), e.toString());
    }
  }

  private static <V extends SpecificRecord> ProducerRecord<byte[], byte[]> toRecord(Topic<V> topic, V record) {
    return new ProducerRecord<>(topic.name(), topic.keyOf(record), JsonAvroCodec.toBytes(record));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  /** Kafka could not take the records now; the caller answers 503 with Retry-After. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
