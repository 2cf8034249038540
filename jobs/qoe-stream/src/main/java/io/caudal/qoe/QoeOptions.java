package io.caudal.qoe;

import io.caudal.qoe.flink.QoePipeline;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Options of the qoe-stream job.
 *
 * @param bootstrapServers Kafka to read and write (live mode); null in replay mode
 * @param root Caudal root: reads {@code tables/catalog}, writes {@code tables/qoe_sessions} and {@code tables/qoe_minute}
 * @param replay a JSON-lines file of events to recompute in bounded mode, or null for the live job
 * @param defaultLadder the ladder (kbit/s) assumed for titles the catalog lacks
 * @param bounded stop at the input topics' current end (tests, backfills from Kafka)
 * @param checkpoints where checkpoints go (default {@code <root>/checkpoints})
 */
public record QoeOptions(String bootstrapServers, String root, String replay, String groupId,
    Duration outOfOrderness, Duration inactivity, Duration checkpointInterval, int parallelism, String defaultLadder,
    boolean bounded, String checkpoints) {

  public static final String DEFAULT_GROUP_ID = "caudal-qoe-stream";
  public static final String DEFAULT_LADDER = "145,365,730,2000,3000,4500,6000";
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

  static final String USAGE = """
      usage: caudal-qoe-stream --bootstrap-servers HOST:PORT --root URI [--group-id caudal-qoe-stream]
             caudal-qoe-stream --replay FILE.jsonl[.gz] --root DIR
        [--out-of-orderness-ms 5000] [--inactivity-ms 60000] [--checkpoint-interval-ms 5000]
        [--parallelism N] [--default-ladder 145,365,730,2000,3000,4500,6000] [--bounded] [--checkpoints URI]""";

  public static QoeOptions parse(String... args) {
    String servers = null, root = null, replay = null, groupId = DEFAULT_GROUP_ID, ladder = DEFAULT_LADDER;
    String checkpoints = null;
    long outOfOrdernessMs = QoePipeline.DEFAULT_OUT_OF_ORDERNESS.toMillis();
    long inactivityMs = QoePipeline.DEFAULT_INACTIVITY.toMillis();
    long checkpointMs = DEFAULT_CHECKPOINT_INTERVAL.toMillis();
    int parallelism = 0;
    boolean bounded = false;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--bounded")) {
        bounded = true;
        continue;
      }
      if (!option.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + option + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--bootstrap-servers" -> servers = value;
        case "--root" -> root = value;
        case "--replay" -> replay = value;
        case "--group-id" -> groupId = value;
        case "--out-of-orderness-ms" -> outOfOrdernessMs = number(option, value, 0);
        case "--inactivity-ms" -> inactivityMs = number(option, value, 1);
        case "--checkpoint-interval-ms" -> checkpointMs = number(option, value, 100);
        case "--parallelism" -> parallelism = (int) number(option, value, 1);
        case "--default-ladder" -> ladder = value;
        case "--checkpoints" -> checkpoints = value;
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (root == null) {
      throw new IllegalArgumentException("missing --root");
    }
    if (replay == null && servers == null) {
      throw new IllegalArgumentException("missing --bootstrap-servers (or --replay FILE to recompute from a file)");
    }
    if (replay != null && servers != null) {
      throw new IllegalArgumentException("--replay reads a file, not Kafka: drop --bootstrap-servers");
    }
    return new QoeOptions(servers, root, replay, groupId, Duration.ofMillis(outOfOrdernessMs),
        Duration.ofMillis(inactivityMs), Duration.ofMillis(checkpointMs), parallelism, ladder, bounded,
        withScheme(checkpoints != null ? checkpoints : (root.endsWith("/") ? root : root + "/") + "checkpoints"));
  }

  /** Flink's checkpoint storage wants a URI with a scheme: a plain local path becomes a file: URI. */
  private static String withScheme(String location) {
    return location.contains(":/") ? location : Path.of(location).toAbsolutePath().toUri().toString();
  }

  private static long number(String option, String value, long least) {
    try {
      long v = Long.parseLong(value);
      if (v < least) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number of at least " + least + ", got '" + value + "'");
    }
  }
}
