package io.caudal.localkafka;

import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How the local broker lays out Caudal's topics: the player and server inputs get more partitions
 * (they carry the volume and the job reads them in parallel), the decision and dead-letter outputs
 * fewer. Retention bounds the disk a laptop gives to a broker that runs for days.
 */
public final class TopicLayout {
  /** Inputs: four partitions, so a job with parallelism up to four reads them all at once. */
  public static final int INPUT_PARTITIONS = 4;
  /** Outputs: a few decisions per second per session, two partitions are plenty. */
  public static final int OUTPUT_PARTITIONS = 2;
  /** Inputs older than a day are refused by the job's validator anyway. */
  public static final long INPUT_RETENTION_MS = 24 * 3_600_000L;
  /** Decisions and dead letters are kept a week, to look back at what was decided and why. */
  public static final long OUTPUT_RETENTION_MS = 7 * 24 * 3_600_000L;
  /** At most 1 GiB per input partition, whatever the rate (a benchmark writes millions of events). */
  public static final long INPUT_RETENTION_BYTES = 1L << 30;
  /** Small segments, so retention can drop old data in 128 MiB steps instead of 1 GiB ones. */
  public static final long SEGMENT_BYTES = 128L << 20;

  private static final Set<Topic<?>> INPUTS = Set.of(Topics.HEARTBEAT, Topics.RTCP, Topics.SERVER_HEALTH);

  private TopicLayout() {}

  /** Whether the topic is one the job reads (as opposed to one it writes). */
  public static boolean isInput(Topic<?> topic) {
    return INPUTS.contains(topic);
  }

  /** The partitions a topic is created with. */
  public static int partitions(Topic<?> topic) {
    return isInput(topic) ? INPUT_PARTITIONS : OUTPUT_PARTITIONS;
  }

  /** The topic-level settings it is created with. */
  public static Map<String, String> configs(Topic<?> topic) {
    if (isInput(topic)) {
      return Map.of(
          TopicConfig.RETENTION_MS_CONFIG, Long.toString(INPUT_RETENTION_MS),
          TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(INPUT_RETENTION_BYTES),
          TopicConfig.SEGMENT_BYTES_CONFIG, Long.toString(SEGMENT_BYTES));
    }
    return Map.of(
        TopicConfig.RETENTION_MS_CONFIG, Long.toString(OUTPUT_RETENTION_MS),
        TopicConfig.SEGMENT_BYTES_CONFIG, Long.toString(SEGMENT_BYTES));
  }

  /** Every topic of {@link Topics#all()} as it is created: replication factor 1 on one broker. */
  public static List<NewTopic> newTopics() {
    return Topics.all().stream()
        .map(topic -> new NewTopic(topic.name(), partitions(topic), (short) 1).configs(configs(topic)))
        .toList();
  }
}
