package io.caudal.qoe;

import io.caudal.qoe.flink.AlertRulesSource;
import io.caudal.qoe.flink.Connectors;
import io.caudal.qoe.flink.QoePipeline;
import io.caudal.qoe.flink.Input;
import io.caudal.qoe.flink.ReplayLines;
import io.caudal.qoe.flink.SchemaFolder;
import io.caudal.qoe.core.EventValidator;
import io.caudal.qoe.core.Lateness;
import io.caudal.qoe.core.SteeringPolicy;
import io.caudal.qoe.core.TitleLadder;
import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertRule;
import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The qoe-stream job: {@code flink run caudal-qoe-stream.jar --bootstrap-servers … --root URI} on
 * a cluster, or {@code --replay FILE --root DIR} to recompute from a file of events.
 */
public final class QoeJob {
  /** Most a record or watermark waits in a partly filled network buffer. */
  static final long BUFFER_TIMEOUT_MS = 20;

  private QoeJob() {}

  public static void main(String[] args) throws Exception {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the job the command line describes (a live one until it is cancelled); returns the exit
   * code: 0 ended or help shown, 2 bad options.
   */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Optional<QoeOptions> parsed;
    try {
      parsed = QoeOptions.parse(args);
    } catch (UsageException e) {
      return CommandLines.refuse("caudal-qoe-stream", e, err);
    }
    if (parsed.isEmpty()) {
      out.print(QoeOptions.usage());
      return 0;
    }
    QoeOptions options = parsed.get();
    StreamExecutionEnvironment env = environment(options);
    build(env, options);
    err.println(options.replay() == null
        ? "caudal-qoe-stream: reading player.heartbeat, player.rtcp, server.health from " + options.bootstrapServers()
            + "; publishing qoe.bitrate, qoe.steering, qoe.alerts as decided; writing events.dlq and " + options.root()
            + "/tables/{qoe_sessions,qoe_minute,alerts} on each checkpoint (every " + options.checkpointInterval().toSeconds()
            + " s)" + (options.bounded() ? "; stops at the topics' current end" : "")
        : "caudal-qoe-stream: replaying " + options.replay() + " into " + options.root());
    env.execute(options.replay() == null ? "caudal qoe-stream" : "caudal qoe-stream replay");
    if (options.replay() != null) {
      err.println("caudal-qoe-stream: replayed " + options.replay() + " into " + options.root()
          + "/tables/{qoe_sessions,qoe_minute}, " + options.root() + "/decisions/{bitrate,steering} and "
          + options.root() + "/dlq");
    }
    return 0;
  }

  /** Checkpoints (exactly-once: Kafka transactions and table files commit with them) and restarts. */
  static StreamExecutionEnvironment environment(QoeOptions options) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
    // State outgrows the JobManager's in-memory checkpoints (5 MB); keep them with the data.
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options.checkpoints());
    // Every type has a serializer of its own (Avro, POJO, a StateFormat): a type that would fall
    // back to Kryo, whose state cannot evolve, is an error when the graph is built.
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(StateBackendOptions.STATE_BACKEND, options.stateBackend());
    if (options.stateBackend().equals("rocksdb")) {
      // On disk, a snapshot need only upload the files written since the last one.
      conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    // No operator keeps or changes a record it was handed (buffered events arrive over the
    // network, as fresh objects), so chained operators may share records instead of copying each.
    env.getConfig().enableObjectReuse();
    // Decisions wait for the watermark, which travels in the same network buffers as the events:
    // flush a partly filled buffer after 20 ms rather than Flink's 100 (a full one goes at once).
    env.setBufferTimeout(BUFFER_TIMEOUT_MS);
    if (options.parallelism() > 0) {
      env.setParallelism(options.parallelism());
    }
    return env;
  }

  /** Wires the real sources and sinks the options name into the pipeline. */
  static void build(StreamExecutionEnvironment env, QoeOptions options) throws Exception {
    QoePipeline.Settings settings = settings(options);
    if (options.replay() == null) {
      QoePipeline.build(liveInputs(env, options), settings, liveOutputs(options), liveAlerts(env, options));
    } else {
      DataStream<Input> lines = env
          .fromSource(Connectors.replayFile(options.replay()), WatermarkStrategy.noWatermarks(), "replay file")
          .process(new ReplayLines(EventValidator.forReplay().withNewerSchemas(SchemaFolder.under(options.root())),
              options.outOfOrderness())).name("read events");
      // Split as the live sources are, each part with its own event time.
      QoePipeline.Inputs inputs = new QoePipeline.Inputs(
          lines.filter(input -> !input.isServerHealth()).name("player events")
              .assignTimestampsAndWatermarks(QoePipeline.watermarks(options.outOfOrderness())).name("players' event time"),
          lines.filter(Input::isServerHealth).name("server events")
              .assignTimestampsAndWatermarks(QoePipeline.watermarks(options.outOfOrderness())).name("servers' event time"));
      String root = options.root();
      QoePipeline.build(inputs, settings, new QoePipeline.Outputs(
          Connectors.sessionsTable(root), Connectors.minuteTable(root),
          Connectors.<BitrateDecision>jsonLines(root + "/decisions/bitrate"),
          Connectors.<SteeringDecision>jsonLines(root + "/decisions/steering"),
          Connectors.<DeadLetter>jsonLines(root + "/dlq")),
          new QoePipeline.AlertOutputs(rules(env, AlertRulesSource.once(root)), options.anomalySettings(),
              Connectors.<Alert>jsonLines(root + "/alerts"), Connectors.alertsTable(root), options.alertWebhooks()));
    }
  }

  /**
   * Alerts to {@code qoe.alerts} at-least-once, the moment they are decided (as the decisions:
   * paging should not wait for a checkpoint; consumers keep each alertId's highest revision), and
   * to the alerts table exactly-once; the rules re-read while the job runs (once when bounded).
   */
  static QoePipeline.AlertOutputs liveAlerts(StreamExecutionEnvironment env, QoeOptions options) {
    return new QoePipeline.AlertOutputs(
        rules(env, options.bounded() ? AlertRulesSource.once(options.root())
            : AlertRulesSource.polling(options.root(), options.alertRulesPoll())),
        options.anomalySettings(),
        Connectors.atLeastOnce(options.bootstrapServers(), Topics.ALERTS), Connectors.alertsTable(options.root()),
        options.alertWebhooks());
  }

  static DataStream<List<AlertRule>> rules(StreamExecutionEnvironment env,
      org.apache.flink.connector.datagen.source.DataGeneratorSource<List<AlertRule>> source) {
    // One reader: every task gets the whole set through the broadcast.
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "alert rules").setParallelism(1);
  }

  /** The input topics, players' and servers' apart, checked as they are read, with a watermark per partition. */
  static QoePipeline.Inputs liveInputs(StreamExecutionEnvironment env, QoeOptions options) {
    return new QoePipeline.Inputs(liveInput(env, options, Connectors.PLAYER_TOPICS, "kafka player events"),
        liveInput(env, options, Connectors.SERVER_TOPICS, "kafka server health"));
  }

  private static DataStream<Input> liveInput(StreamExecutionEnvironment env, QoeOptions options,
      List<Topic<?>> topics, String name) {
    return env.fromSource(
        Connectors.inputTopics(topics, options.bootstrapServers(), options.groupId(), options.bounded(),
            new EventValidator().withNewerSchemas(SchemaFolder.under(options.root())),
            new Lateness(options.outOfOrderness().toMillis(), options.maxAhead().toMillis())),
        QoePipeline.watermarks(options.outOfOrderness()), name);
  }

  static QoePipeline.Settings settings(QoeOptions options) throws Exception {
    Map<String, TitleLadder> titles = TitleLadders.fromCatalog(options.root());
    int[] defaultLadder = options.defaultLadderKbps().stream().mapToInt(Integer::intValue).toArray();
    return QoePipeline.Settings.defaults(titles, defaultLadder)
        .withInactivity(options.inactivity())
        .withSteeringPolicy(new SteeringPolicy(
            SteeringPolicy.Config.defaults().withMinAuthenticSessions(options.minStartedSessions())));
  }

  /**
   * The tables under the root and the dead letters, exactly-once (committed with each checkpoint);
   * the decisions at-least-once, published as they are made and versioned for their consumers.
   */
  static QoePipeline.Outputs liveOutputs(QoeOptions options) {
    String servers = options.bootstrapServers();
    String prefix = options.groupId();
    return new QoePipeline.Outputs(
        Connectors.sessionsTable(options.root()), Connectors.minuteTable(options.root()),
        Connectors.atLeastOnce(servers, Topics.BITRATE),
        Connectors.atLeastOnce(servers, Topics.STEERING),
        Connectors.exactlyOnce(servers, Topics.DEAD_LETTER, prefix));
  }
}
