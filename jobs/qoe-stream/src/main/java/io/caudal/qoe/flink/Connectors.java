package io.caudal.qoe.flink;

import io.caudal.qoe.core.EventValidator;
import io.caudal.qoe.core.Lateness;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Alert;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.Table;
import io.caudal.schemas.Tables;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.avro.AvroParquetWriters;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The job's real sources and sinks: Kafka topics, Parquet tables, JSON-lines files for replays. */
public final class Connectors {
  /** Outlasts a checkpoint plus a restart, under the broker's 15-minute cap ({@code transaction.max.timeout.ms}). */
  static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

  private Connectors() {}

  /** What players send: one source, one clock. */
  public static final List<Topic<?>> PLAYER_TOPICS = List.of(Topics.HEARTBEAT, Topics.RTCP);
  /** What servers send: a source of its own, so its sparser events never hold the players' watermark back. */
  public static final List<Topic<?>> SERVER_TOPICS = List.of(Topics.SERVER_HEALTH);

  /**
   * Input topics, each record checked as it is read (so each partition keeps its own watermark),
   * from the group's committed offsets (earliest at first).
   */
  public static KafkaSource<Input> inputTopics(List<Topic<?>> topics, String bootstrapServers, String groupId,
      boolean bounded, EventValidator validator, Duration outOfOrderness) {
    return inputTopics(topics, bootstrapServers, groupId, bounded, validator, new Lateness(outOfOrderness.toMillis()));
  }

  /** As above, lateness (out-of-orderness, and how far ahead of the clock an event may be) as given. */
  public static KafkaSource<Input> inputTopics(List<Topic<?>> topics, String bootstrapServers, String groupId,
      boolean bounded, EventValidator validator, Lateness lateness) {
    KafkaSourceBuilder<Input> builder = KafkaSource.<Input>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(topics.stream().map(Topic::name).toList())
        .setGroupId(groupId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new CheckedRecords(validator, lateness))
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .setProperty("partition.discovery.interval.ms", "60000");
    if (bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /** A file of events in the JSON interchange form, one per line with its {@code topic}; .gz is read as such. */
  public static FileSource<String> replayFile(String uri) {
    return FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(uri)).build();
  }

  /** A topic written in Kafka transactions committed with each checkpoint. */
  public static <T extends SpecificRecord> Sink<T> exactlyOnce(String bootstrapServers, Topic<T> topic,
      String transactionalIdPrefix) {
    Properties producer = new Properties();
    producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TRANSACTION_TIMEOUT.toMillis()));
    producer.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    producer.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setKafkaProducerConfig(producer)
        .setRecordSerializer(new TopicRecords<>(topic))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        // A small pool of transactional ids reused across checkpoints, not a new id per checkpoint
        // that the broker remembers for a week; after a failure the sink asks the broker which
        // of its transactions are open rather than probing id after id.
        .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
        .setTransactionalIdPrefix(transactionalIdPrefix + "-" + topic.name())
        .build();
  }

  /**
   * A topic written the moment each record comes, at-least-once (flushed on each checkpoint, no
   * transaction): for decisions, whose consumers keep the highest version per key, so a duplicate
   * or an older decision resent after a restart changes nothing, and a decision need not wait for
   * the next checkpoint to be read.
   */
  public static <T extends SpecificRecord> Sink<T> atLeastOnce(String bootstrapServers, Topic<T> topic) {
    Properties producer = new Properties();
    // Decisions are small and few: send each at once rather than waiting to fill a batch.
    producer.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
    producer.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    producer.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setKafkaProducerConfig(producer)
        .setRecordSerializer(new TopicRecords<>(topic))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  /** qoe_sessions as Parquet under the root, partitioned by the session's end. */
  public static Sink<QoeSession> sessionsTable(String root) {
    return table(root, Tables.QOE_SESSIONS, new PartitionBuckets<>(QoeSession::getEndTime));
  }

  /** qoe_minute as Parquet under the root, partitioned by the minute. */
  public static Sink<QoeMinute> minuteTable(String root) {
    return table(root, Tables.QOE_MINUTE, new PartitionBuckets<>(QoeMinute::getMinute));
  }

  /** Every alert change as Parquet under the root, partitioned by the minute it was decided on. */
  public static Sink<Alert> alertsTable(String root) {
    return table(root, Tables.ALERTS, new PartitionBuckets<>(Alert::getMinute));
  }

  private static <T extends SpecificRecordBase> Sink<T> table(String root, Table<T> table,
      PartitionBuckets<T> buckets) {
    // Bulk formats roll on every checkpoint: a file becomes visible only once its checkpoint completed.
    return FileSink.forBulkFormat(new Path(table.location(root)), AvroParquetWriters.forSpecificRecord(table.rowClass()))
        .withBucketAssigner(buckets)
        .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
        .build();
  }

  /** Records as JSON lines in one folder, committed on checkpoint (a replay's decisions and dead letters). */
  public static <T extends SpecificRecord> Sink<T> jsonLines(String folder) {
    Encoder<T> encoder = (record, stream) ->
        stream.write((JsonAvroCodec.toJson(record) + "\n").getBytes(StandardCharsets.UTF_8));
    return FileSink.forRowFormat(new Path(folder), encoder)
        .withBucketAssigner(new BasePathBucketAssigner<>())
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
        .build();
  }

  /**
   * A record as its topic carries it: the key the topic names, the value Avro single-object
   * encoded. It names its topic, which pooled transactions need to find open ones after a failure.
   */
  private record TopicRecords<T extends SpecificRecord>(Topic<T> topic)
      implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
      return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic.name()))));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
      return new ProducerRecord<>(topic.name(), null, timestamp, topic.keyOf(record), JsonAvroCodec.toBytes(record));
    }
  }

  /** Kafka records checked by the validator and against their partition's watermark. */
  private static final class CheckedRecords implements KafkaRecordDeserializationSchema<Input> {
    private final EventValidator validator;
    private final Lateness lateness;

    CheckedRecords(EventValidator validator, Lateness lateness) {
      this.validator = validator;
      this.lateness = lateness;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Input> out) {
      long now = System.currentTimeMillis();
      out.collect(Input.of(validator.check(record.topic(), record.key(), record.value(), now), lateness,
          record.topic() + "-" + record.partition(), record.topic(), record.key(), record.value(), now,
          record.timestamp() >= 0 ? Math.min(record.timestamp(), now) : now));
    }

    @Override
    public TypeInformation<Input> getProducedType() {
      return TypeInformation.of(Input.class);
    }
  }
}
