package io.caudal.sim.kafka;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.InvalidRecordException;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topics;
import io.caudal.sim.run.DecisionSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads qoe.bitrate and qoe.steering from their end at start-up: every partition assigned
 * directly (no group to join, so no decision is missed while a rebalance settles), committed
 * records only. A record that does not decode is reported on stderr and skipped.
 */
public final class KafkaDecisionSource implements DecisionSource {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private long undecodable;

  public KafkaDecisionSource(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "caudal-sim-decisions");
    // qoe-stream writes decisions in transactions: only committed ones are decisions.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(Topics.BITRATE.name(), Topics.STEERING.name())) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve the end now, not at the first poll
  }

  @Override
  public List<SpecificRecord> poll() {
    List<SpecificRecord> decisions = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(1))) {
      Class<? extends SpecificRecord> type =
          record.topic().equals(Topics.BITRATE.name()) ? BitrateDecision.class : SteeringDecision.class;
      try {
        decisions.add(JsonAvroCodec.fromBytes(record.value(), type));
      } catch (InvalidRecordException e) {
        undecodable++;
        System.err.printf("caudal sim: skipped undecodable %s record at partition %d offset %d: %s%n",
            record.topic(), record.partition(), record.offset(), e.getMessage());
      }
    }
    return decisions;
  }

  /** Decision records that did not decode. */
  public long undecodable() {
    return undecodable;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
