package io.caudal.qoe;

import io.caudal.qoe.core.Lateness;
import io.caudal.qoe.core.SteeringPolicy;
import io.caudal.qoe.core.TitleLadder;
import io.caudal.qoe.core.alert.AnomalyDetector;
import io.caudal.qoe.flink.QoePipeline;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The options of the qoe-stream job, parsed and checked.
 *
 * @param bootstrapServers Kafka to read and write (live mode); null in replay mode
 * @param root Caudal root: reads {@code tables/catalog}, writes {@code tables/qoe_sessions} and {@code tables/qoe_minute}
 * @param replay a JSON-lines file of events to recompute in bounded mode, or null for the live job
 * @param groupId the Kafka consumer group, and the prefix of the output topics' transactional ids
 * @param outOfOrderness how far behind the newest event of its partition an event may arrive
 * @param inactivity silence after which a session without an end event is closed
 * @param checkpointInterval how often checkpoints (and so the tables and dead letters) commit
 * @param parallelism operators' parallelism, or 0 for the cluster's default ({@code parallelism.default})
 * @param defaultLadderKbps the ladder (kbit/s, ascending) assumed for titles the catalog lacks
 * @param bounded stop at the input topics' current end (tests, backfills from Kafka)
 * @param checkpoints where checkpoints go, a URI (default {@code <root>/checkpoints})
 * @param maxAhead how far ahead of the processing clock an event may be stamped before it is refused
 * @param stateBackend where keyed state lives: {@code hashmap} (the heap, full snapshots) or
 *     {@code rocksdb} (on disk, incremental snapshots)
 * @param alertWebhooks URLs each alert change is posted to
 * @param alertRulesPoll how often the threshold rules' folder is read again
 * @param minStartedSessions distinct sessions that must have started on a server in steering's
 *     window before its QoE can exclude it (see {@link SteeringPolicy#DEFAULT_MIN_AUTHENTIC_SESSIONS})
 * @param anomalyMinHistory minutes of a series' history before anomaly detection judges it
 */
public record QoeOptions(String bootstrapServers, String root, String replay, String groupId,
    Duration outOfOrderness, Duration inactivity, Duration checkpointInterval, int parallelism,
    List<Integer> defaultLadderKbps, boolean bounded, String checkpoints, Duration maxAhead, String stateBackend,
    List<String> alertWebhooks, Duration alertRulesPoll, long minStartedSessions, int anomalyMinHistory) {

  /** The anomaly detector's settings: its defaults, judged from {@link #anomalyMinHistory} minutes on. */
  public AnomalyDetector.Settings anomalySettings() {
    return AnomalyDetector.Settings.defaults().withMinHistory(anomalyMinHistory);
  }

  public static final String DEFAULT_GROUP_ID = "caudal-qoe-stream";
  public static final String DEFAULT_LADDER = "145,365,730,2000,3000,4500,6000";
  /**
   * Decisions do not wait for checkpoints, so the interval weighs only recovery against cost: a
   * restart re-reads at most 10 s of input (seconds of work at the job's rates), and the tables
   * and dead letters become visible within 10 s, while snapshots, table files and transactions
   * stay a few per minute rather than a few per second.
   */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
  /** Parallelism 0: Flink's own default ({@code parallelism.default}, or the cluster's slots). */
  public static final int DEFAULT_PARALLELISM = 0;
  /**
   * The heap: the job's state is small (open sessions, a few minutes of regions' activity) and
   * every record reads and writes it, which RocksDB would (de)serialize each time.
   */
  public static final String DEFAULT_STATE_BACKEND = "hashmap";
  static final List<String> STATE_BACKENDS = List.of("hashmap", "rocksdb");
  /** A rule edit is in force within seconds, well within the minute of event time rules are judged by. */
  public static final Duration DEFAULT_ALERT_RULES_POLL = Duration.ofSeconds(5);
  /** Below this, checkpointing would crowd out the work it protects. */
  static final long LEAST_CHECKPOINT_INTERVAL_MS = 100;

  public QoeOptions {
    defaultLadderKbps = List.copyOf(defaultLadderKbps);
    alertWebhooks = List.copyOf(alertWebhooks);
  }

  /**
   * Parses the command line.
   *
   * @return the options, or empty when help was asked for
   * @throws UsageException naming the option and what is wrong with it
   */
  public static Optional<QoeOptions> parse(String... args) {
    return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
  }

  public static String usage() {
    return CommandLines.usage(new Cli());
  }

  @Command(name = "caudal-qoe-stream", sortOptions = false, usageHelpWidth = 110,
      description = {
          "QoE per session and per minute, bitrate caps and steering decisions, exactly-once.",
          "Live: --bootstrap-servers HOST:PORT --root URI. Recompute from a file: --replay FILE --root DIR."})
  static final class Cli {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
        description = "Kafka to read the events from and write the decisions to (live mode)")
    String bootstrapServers;
    @Option(names = "--root", paramLabel = "URI", required = true,
        description = "Caudal root: reads tables/catalog, writes tables/qoe_sessions and tables/qoe_minute")
    String root;
    @Option(names = "--replay", paramLabel = "FILE",
        description = "recompute from a JSON-lines file of events (.gz read as such) instead of Kafka, then exit")
    String replay;
    @Option(names = "--group-id", paramLabel = "ID",
        description = "consumer group and transactional-id prefix (default ${DEFAULT-VALUE})")
    String groupId = DEFAULT_GROUP_ID;
    @Option(names = "--out-of-orderness-ms", paramLabel = "MS",
        description = "how far behind its partition's newest event an event may arrive (default ${DEFAULT-VALUE})")
    long outOfOrdernessMs = QoePipeline.DEFAULT_OUT_OF_ORDERNESS.toMillis();
    @Option(names = "--max-ahead-ms", paramLabel = "MS",
        description = "refuse events stamped further ahead of the processing clock than this (default ${DEFAULT-VALUE})")
    long maxAheadMs = Lateness.DEFAULT_MAX_AHEAD_MS;
    @Option(names = "--inactivity-ms", paramLabel = "MS",
        description = "silence after which a session without an end event closes (default ${DEFAULT-VALUE})")
    long inactivityMs = QoePipeline.DEFAULT_INACTIVITY.toMillis();
    @Option(names = "--checkpoint-interval-ms", paramLabel = "MS",
        description = "checkpoints, and so the tables and dead letters, this often (default ${DEFAULT-VALUE})")
    long checkpointIntervalMs = DEFAULT_CHECKPOINT_INTERVAL.toMillis();
    @Option(names = "--parallelism", paramLabel = "N",
        description = "operators' parallelism (default: Flink's parallelism.default)")
    Integer parallelism;
    @Option(names = "--default-ladder", paramLabel = "KBPS,KBPS...",
        description = "the ladder assumed for titles the catalog lacks (default ${DEFAULT-VALUE})")
    String defaultLadder = DEFAULT_LADDER;
    @Option(names = "--bounded", description = "stop at the input topics' current end (backfills from Kafka, tests)")
    boolean bounded;
    @Option(names = "--checkpoints", paramLabel = "URI", description = "where checkpoints go (default ROOT/checkpoints)")
    String checkpoints;
    @Option(names = "--state-backend", paramLabel = "NAME",
        description = "keyed state: hashmap (heap, full snapshots) or rocksdb (disk, incremental) (default ${DEFAULT-VALUE})")
    String stateBackend = DEFAULT_STATE_BACKEND;
    @Option(names = "--alert-webhook", paramLabel = "URL",
        description = "post each alert change here as JSON, retried with backoff (repeatable)")
    List<String> alertWebhooks = new java.util.ArrayList<>();
    @Option(names = "--alert-rules-poll-ms", paramLabel = "MS",
        description = "read ROOT/config/alert-rules again this often (default ${DEFAULT-VALUE})")
    long alertRulesPollMs = DEFAULT_ALERT_RULES_POLL.toMillis();
    @Option(names = "--min-started-sessions", paramLabel = "N",
        description = "distinct sessions that must have started on a server in steering's window before poor QoE"
            + " excludes it (default ${DEFAULT-VALUE})")
    long minStartedSessions = SteeringPolicy.DEFAULT_MIN_AUTHENTIC_SESSIONS;
    @Option(names = "--anomaly-min-history", paramLabel = "MINUTES",
        description = "minutes of history a metric's series needs before anomaly alerts judge it; fewer pages"
            + " sooner after a start on a level less sure (default ${DEFAULT-VALUE})")
    int anomalyMinHistory = AnomalyDetector.Settings.defaults().minHistory();
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    QoeOptions toOptions() {
      if (replay == null && bootstrapServers == null) {
        throw new UsageException("missing --bootstrap-servers (or --replay FILE to recompute from a file)");
      }
      if (replay != null && bootstrapServers != null) {
        throw new UsageException("--replay reads a file, not Kafka: drop --bootstrap-servers");
      }
      CommandLines.atLeast("--out-of-orderness-ms", 0, outOfOrdernessMs);
      CommandLines.atLeast("--max-ahead-ms", 0, maxAheadMs);
      CommandLines.atLeast("--inactivity-ms", 1, inactivityMs);
      CommandLines.atLeast("--min-started-sessions", 1, minStartedSessions);
      CommandLines.atLeast("--anomaly-min-history", 1, anomalyMinHistory);
      CommandLines.atLeast("--checkpoint-interval-ms", LEAST_CHECKPOINT_INTERVAL_MS, checkpointIntervalMs);
      CommandLines.atLeast("--alert-rules-poll-ms", 100, alertRulesPollMs);
      for (String url : alertWebhooks) {
        if (!url.matches("https?://.+")) {
          throw new UsageException("--alert-webhook must be an http:// or https:// URL, got '" + url + "'");
        }
      }
      if (parallelism != null) {
        CommandLines.atLeast("--parallelism", 1, parallelism);
      }
      if (!STATE_BACKENDS.contains(stateBackend)) {
        throw new UsageException("--state-backend must be one of " + String.join(", ", STATE_BACKENDS) + ", got '"
            + stateBackend + "'");
      }
      int[] ladder;
      try {
        ladder = TitleLadder.parseLadder(defaultLadder);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--default-ladder: " + e.getMessage());
      }
      return new QoeOptions(bootstrapServers, root, replay, groupId, Duration.ofMillis(outOfOrdernessMs),
          Duration.ofMillis(inactivityMs), Duration.ofMillis(checkpointIntervalMs),
          parallelism == null ? DEFAULT_PARALLELISM : parallelism, Arrays.stream(ladder).boxed().toList(), bounded,
          withScheme(checkpoints != null ? checkpoints : (root.endsWith("/") ? root : root + "/") + "checkpoints"),
          Duration.ofMillis(maxAheadMs), stateBackend, alertWebhooks, Duration.ofMillis(alertRulesPollMs),
          minStartedSessions, anomalyMinHistory);
    }
  }

  /** Flink's checkpoint storage wants a URI with a scheme: a plain local path becomes a file: URI. */
  private static String withScheme(String location) {
    return location.contains(":/") ? location : Path.of(location).toAbsolutePath().toUri().toString();
  }
}
