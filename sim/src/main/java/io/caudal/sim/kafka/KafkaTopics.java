package io.caudal.sim.kafka;

import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Checks that a broker answers and creates the topics the simulator uses when they are missing, as
 * their {@link io.caudal.schemas.TopicLayout} says (the local broker creates them the same way), with
 * up to three replicas as the cluster allows.
 */
public final class KafkaTopics {
  /** A topic survives one broker's loss with three replicas; a smaller cluster gets one per broker. */
  public static final int MAX_REPLICATION = 3;
  static final long ANSWER_TIMEOUT_MS = 5_000;

  /** Thrown when no broker answers at the bootstrap servers. */
  public static final class BrokerUnavailableException extends RuntimeException {
    BrokerUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private KafkaTopics() {}

  /** The topics the simulator writes and reads. */
  public static List<Topic<?>> used() {
    return List.of(Topics.HEARTBEAT, Topics.RTCP, Topics.SERVER_HEALTH, Topics.BITRATE, Topics.STEERING);
  }

  /** Creates the missing ones; fails with a one-line message when no broker answers. */
  public static void ensure(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ANSWER_TIMEOUT_MS);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ANSWER_TIMEOUT_MS / 2);
    try (Admin admin = Admin.create(props)) {
      int brokers;
      Set<String> existing;
      try {
        brokers = admin.describeCluster().nodes().get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
        existing = admin.listTopics().names().get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new BrokerUnavailableException("no Kafka broker answers at " + bootstrapServers
            + " (start one, or pass --bootstrap-servers HOST:PORT)", e);
      }
      short replication = (short) Math.min(MAX_REPLICATION, Math.max(1, brokers));
      List<NewTopic> missing = new ArrayList<>();
      for (Topic<?> topic : used()) {
        if (!existing.contains(topic.name())) {
          missing.add(new NewTopic(topic.name(), topic.layout().partitions(), replication)
              .configs(topic.layout().configs()));
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
            throw new IllegalStateException("creating topics failed: " + e.getCause().getMessage(), e);
          }
        } catch (TimeoutException e) {
          throw new BrokerUnavailableException("the broker at " + bootstrapServers
              + " did not create the topics within " + ANSWER_TIMEOUT_MS + " ms", e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the broker", e);
    }
  }
}
