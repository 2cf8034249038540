package io.caudal.sim.kafka;

import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.sim.model.EventSink;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the simulation's events to player.heartbeat, player.rtcp and server.health: values Avro
 * single-object encoded, keys per {@link Topics}. A failed send fails the next call, so nothing is
 * lost quietly.
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicLong sent = new AtomicLong();
  private final String serverUrl;

  public KafkaEventSink(String bootstrapServers) {
    this(bootstrapServers, null);
  }

  /**
   * @param serverUrl the public URL a server's health reports carry, {@code {id}} standing for its
   *     id (edges of the region offer it to players as a pathway); null: none
   */
  public KafkaEventSink(String bootstrapServers, String serverUrl) {
    this.serverUrl = serverUrl;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "caudal-sim");
    // No duplicates from retries, and per-session order kept across retries.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Events are small and repetitive: lz4 shrinks them for little CPU.
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Many small records per tick: wait a little to send them in few batches.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(props);
  }

  @Override
  public void heartbeat(PlayerHeartbeat event) {
    send(Topics.HEARTBEAT, event);
  }

  @Override
  public void rtcp(PlayerRtcp report) {
    send(Topics.RTCP, report);
  }

  @Override
  public void health(ServerHealth report) {
    send(Topics.SERVER_HEALTH, serverUrl == null ? report
        : ServerHealth.newBuilder(report).setPublicUrl(serverUrl.replace("{id}", report.getServerId())).build());
  }

  /** Records sent and acknowledged so far. */
  public long sent() {
    return sent.get();
  }

  /** Waits until everything sent is acknowledged. */
  public void flush() {
    producer.flush();
    throwIfFailed();
  }

  @Override
  public void close() {
    try {
      flush();
    } finally {
      producer.close();
    }
  }

  private <V extends SpecificRecord> void send(Topic<V> topic, V value) {
    throwIfFailed();
    producer.send(new ProducerRecord<>(topic.name(), topic.keyOf(value), JsonAvroCodec.toBytes(value)),
        (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          } else {
            sent.incrementAndGet();
          }
        });
  }

  private void throwIfFailed() {
    Exception error = failure.get();
    if (error != null) {
      throw new IllegalStateException("sending to Kafka failed: " + error.getMessage(), error);
    }
  }
}
