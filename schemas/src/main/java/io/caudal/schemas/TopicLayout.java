package io.caudal.schemas;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a topic is created, wherever it is created (the local broker, the simulator, tests): its
 * partitions and the topic-level settings that bound its disk. Replication is the creator's choice,
 * since it depends on how many brokers there are.
 *
 * @param partitions partitions the topic is created with
 * @param retentionMs how long records are kept
 * @param retentionBytes the most bytes kept per partition, or -1 for no bound
 * @param cleanupPolicy {@code delete} or {@code compact}
 */
public record TopicLayout(int partitions, long retentionMs, long retentionBytes, String cleanupPolicy)
    implements Serializable {

  /** Small segments, so retention drops old data in 128 MiB steps instead of 1 GiB ones. */
  public static final long SEGMENT_BYTES = 128L << 20;

  private static final long HOUR_MS = 3_600_000L;

  /**
   * The player and server inputs: they carry the volume and the job reads them in parallel (up to
   * four at once). Kept a day (the job refuses older events anyway) and at most 1 GiB per partition,
   * whatever the rate: a benchmark writes millions of events.
   */
  public static final TopicLayout INPUT = new TopicLayout(4, 24 * HOUR_MS, 1L << 30, "delete");

  /** Decisions and dead letters: a few per second per session; kept a week, to look back at what was decided and why. */
  public static final TopicLayout OUTPUT = new TopicLayout(2, 7 * 24 * HOUR_MS, -1, "delete");

  public TopicLayout {
    if (partitions < 1) {
      throw new IllegalArgumentException("a topic needs at least one partition, got " + partitions);
    }
    if (!cleanupPolicy.equals("delete") && !cleanupPolicy.equals("compact")) {
      throw new IllegalArgumentException("cleanup policy must be delete or compact, got " + cleanupPolicy);
    }
  }

  /** The topic-level settings, by Kafka's names ({@code retention.ms}, ...), to create the topic with. */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", cleanupPolicy);
    configs.put("retention.ms", Long.toString(retentionMs));
    if (retentionBytes >= 0) {
      configs.put("retention.bytes", Long.toString(retentionBytes));
    }
    configs.put("segment.bytes", Long.toString(SEGMENT_BYTES));
    return configs;
  }
}
