package io.caudal.edge.fleet;

import io.caudal.edge.http.EdgeMetrics;
import io.caudal.edge.steer.SteeringBook;
import io.caudal.schemas.InvalidRecordException;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.ReplicationRequest;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows qoe.steering (read committed: the decisions qoe-stream's transactions committed) and
 * server.health from the beginning of each partition, on its own thread: every decision updates the
 * steering book and hands this server's replication requests on; every health report updates the
 * server registry. No consumer group: every edge reads everything.
 */
public final class FleetListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FleetListener.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long REASSIGN_EVERY_MS = 2000;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final SteeringBook steering;
  private final ServerRegistry servers;
  private final String serverId;
  private final Consumer<ReplicationRequest> replications;
  private final EdgeMetrics metrics;
  private final Thread thread;
  private volatile boolean running = true;

  public FleetListener(String bootstrapServers, SteeringBook steering, ServerRegistry servers, String serverId,
      Consumer<ReplicationRequest> replications, EdgeMetrics metrics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "edge-" + serverId + "-fleet");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    this.consumer = new KafkaConsumer<>(p);
    this.steering = steering;
    this.servers = servers;
    this.serverId = serverId;
    this.replications = replications;
    this.metrics = metrics;
    this.thread = new Thread(this::run, "edge-fleet-listener");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    Set<TopicPartition> assigned = new HashSet<>();
    long lastAssign = 0;
    try {
      while (running) {
        long now = System.currentTimeMillis();
        if (now - lastAssign >= REASSIGN_EVERY_MS) {
          lastAssign = now;
          assigned = reassign(assigned);
        }
        if (assigned.isEmpty()) {
          // Topics not created yet: ask again at the next reassignment.
          Thread.sleep(POLL.toMillis());
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          handle(record);
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("fleet listener stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private Set<TopicPartition> reassign(Set<TopicPartition> assigned) {
    Set<TopicPartition> wanted = new HashSet<>();
    for (String topic : List.of(Topics.STEERING.name(), Topics.SERVER_HEALTH.name())) {
      try {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(2));
        for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
          wanted.add(new TopicPartition(topic, info.partition()));
        }
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.debug("no metadata for {} yet", topic);
      }
    }
    if (wanted.equals(assigned) || wanted.isEmpty()) {
      return assigned;
    }
    Set<TopicPartition> fresh = new HashSet<>(wanted);
    fresh.removeAll(assigned);
    consumer.assign(new ArrayList<>(wanted));
    consumer.seekToBeginning(fresh);
    return wanted;
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    try {
      if (record.topic().equals(Topics.STEERING.name())) {
        SteeringDecision decision = JsonAvroCodec.fromBytes(record.value(), SteeringDecision.class);
        if (!steering.put(decision)) {
          return; // a duplicate or an older decision: already acted on, or overtaken
        }
        for (ReplicationRequest request : decision.getReplications()) {
          if (request.getServerId().equals(serverId)) {
            replications.accept(request);
          }
        }
      } else {
        servers.report(JsonAvroCodec.fromBytes(record.value(), ServerHealth.class));
      }
    } catch (InvalidRecordException | NullPointerException e) {
      metrics.badRecord(record.topic());
      LOG.warn("skipped an undecodable {} record at offset {}: {}", record.topic(), record.offset(), e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5000);
  }
}
