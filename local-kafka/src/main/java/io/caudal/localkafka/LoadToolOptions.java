package io.caudal.localkafka;

import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The command line of {@link LoadTool}: a mode, then that mode's options, parsed into the mode's
 * own record.
 *
 * <pre>
 * produce       --bootstrap-servers B --rate EVENTS_PER_S --seconds S [--pace planned|max]
 *               [--heartbeat-interval-ms 1000] [--heartbeats-per-session 30] [--seed 42] [--run-id ID]
 * plain-consume --bootstrap-servers B [--topics player.heartbeat,player.rtcp,server.health] [--timeout-s 600]
 * lag           --bootstrap-servers B --seconds S [--group G] [--topics ...] [--interval-ms 1000]
 * decisions     --bootstrap-servers B --seconds S
 * transactions  --bootstrap-servers B
 * </pre>
 */
public final class LoadToolOptions {
  /**
   * The topics the job reads ({@link io.caudal.schemas.Topics}' inputs), which {@code plain-consume}
   * and {@code lag} look at unless told otherwise. Spelled out: an annotation's default is a constant.
   */
  public static final String DEFAULT_TOPICS = "player.heartbeat,player.rtcp,server.health";
  public static final String DEFAULT_PACE = "planned";
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
  /** {@link FleetPlan} cannot plan heartbeats closer than this. */
  public static final long MIN_HEARTBEAT_INTERVAL_MS = 100;
  public static final int DEFAULT_HEARTBEATS_PER_SESSION = 30;
  /** A session is at least its start, two heartbeats and its end. */
  public static final int MIN_HEARTBEATS_PER_SESSION = 4;
  public static final long DEFAULT_SEED = 42;
  public static final long DEFAULT_TIMEOUT_S = 600;
  public static final long DEFAULT_INTERVAL_MS = 1_000;

  /** One mode's options. */
  public sealed interface Mode permits Produce, PlainConsume, Lag, Decisions, Transactions {
    String bootstrapServers();
  }

  /** How the producer keeps time: each event at its planned instant, or as fast as the broker takes them. */
  public enum Pace {
    PLANNED, MAX;

    /** The name on the command line and in the result. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code produce}: a fleet's events, planned by {@code plan}, sent at {@code pace}. */
  public record Produce(String bootstrapServers, FleetPlan.Config plan, Pace pace) implements Mode {}

  /** {@code plain-consume}: a plain consumer decoding every record of the topics, start to current end. */
  public record PlainConsume(String bootstrapServers, List<String> topics, Duration timeout) implements Mode {
    public PlainConsume {
      topics = List.copyOf(topics);
    }
  }

  /** {@code lag}: a consumer group's lag every {@code interval} for {@code duration}; the group found when not given. */
  public record Lag(String bootstrapServers, Duration duration, Optional<String> group, List<String> topics,
      Duration interval) implements Mode {
    public Lag {
      topics = List.copyOf(topics);
    }
  }

  /** {@code decisions}: heartbeat event time to decision readable, for {@code duration}. */
  public record Decisions(String bootstrapServers, Duration duration) implements Mode {}

  /** {@code transactions}: the transactional producers the broker knows. */
  public record Transactions(String bootstrapServers) implements Mode {}

  private LoadToolOptions() {}

  /**
   * Parses the command line.
   *
   * @return the mode's options, or empty when {@code --help} was asked for
   * @throws UsageException naming the mode and the option that is wrong, in one line
   */
  public static Optional<Mode> parse(String... args) {
    CommandLine command = CommandLines.commandLine(new Cli());
    ParseResult parsed;
    try {
      parsed = command.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(inMode(e.getCommandLine(), CommandLines.describe(e, args)));
    }
    if (parsed.isUsageHelpRequested()
        || (parsed.hasSubcommand() && parsed.subcommand().isUsageHelpRequested())) {
      return Optional.empty();
    }
    if (!parsed.hasSubcommand()) {
      throw new UsageException("a mode is required, one of "
          + command.getSubcommands().keySet().stream().collect(Collectors.joining(", ")));
    }
    CommandLine mode = parsed.subcommand().commandSpec().commandLine();
    try {
      return Optional.of(((ModeCli) mode.getCommand()).toOptions());
    } catch (UsageException e) {
      throw new UsageException(inMode(mode, e.getMessage()));
    }
  }

  /** Every mode with every option and its default, as {@code --help} prints it. */
  public static String help() {
    CommandLine command = CommandLines.commandLine(new Cli());
    StringBuilder help = new StringBuilder(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
    command.getSubcommands().values()
        .forEach(mode -> help.append(System.lineSeparator()).append(mode.getUsageMessage(CommandLine.Help.Ansi.OFF)));
    return help.toString();
  }

  /** A mode's error starts with the mode, as in {@code lag: missing --seconds}. */
  private static String inMode(CommandLine command, String message) {
    return command.getParent() == null ? message : command.getCommandName() + ": " + message;
  }

  @Command(name = "LoadTool", sortOptions = false,
      description = "Load and measurement for the QoE benchmark, against any Kafka. Every mode prints its result "
          + "as one JSON line on stdout (lag: one line per sample); progress goes to stderr.",
      subcommands = {ProduceCli.class, PlainConsumeCli.class, LagCli.class, DecisionsCli.class,
          TransactionsCli.class})
  static final class Cli {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help, with every mode's options")
    boolean help;
  }

  /** The options every mode has. */
  static final class Common {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true,
        description = "the Kafka to load or measure")
    String bootstrapServers;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this mode's options")
    boolean help;
  }

  private interface ModeCli {
    Mode toOptions();
  }

  @Command(name = "produce", sortOptions = false,
      description = "a fleet's player and server events, encoded ahead, sent on schedule (idempotent, lz4)")
  static final class ProduceCli implements ModeCli {
    @Mixin Common common;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", required = true, description = "events per second")
    int rate;

    @Option(names = "--seconds", paramLabel = "S", required = true, description = "how long to send")
    int seconds;

    @Option(names = "--pace", paramLabel = "planned|max", converter = PaceConverter.class,
        defaultValue = DEFAULT_PACE,
        description = "planned: each event at its instant; max: as fast as the broker takes them (default ${DEFAULT-VALUE})")
    Pace pace;

    @Option(names = "--heartbeat-interval-ms", paramLabel = "MS",
        description = "a session's heartbeat interval (default ${DEFAULT-VALUE})")
    long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;

    @Option(names = "--heartbeats-per-session", paramLabel = "N",
        description = "heartbeats in a session's life (default ${DEFAULT-VALUE})")
    int heartbeatsPerSession = DEFAULT_HEARTBEATS_PER_SESSION;

    @Option(names = "--seed", description = "seed of the plan's random source (default ${DEFAULT-VALUE})")
    long seed = DEFAULT_SEED;

    @Option(names = "--run-id", paramLabel = "ID",
        description = "prefix of the session and event ids (default: r and the time in base 36)")
    String runId;

    @Override
    public Mode toOptions() {
      CommandLines.atLeast("--rate", 1, rate);
      CommandLines.atLeast("--seconds", 1, seconds);
      CommandLines.atLeast("--heartbeat-interval-ms", MIN_HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs);
      CommandLines.atLeast("--heartbeats-per-session", MIN_HEARTBEATS_PER_SESSION, heartbeatsPerSession);
      String id = runId != null ? runId : "r" + Long.toString(System.currentTimeMillis(), 36);
      return new Produce(common.bootstrapServers,
          new FleetPlan.Config(rate, seconds, heartbeatIntervalMs, heartbeatsPerSession, seed, id), pace);
    }
  }

  @Command(name = "plain-consume", sortOptions = false,
      description = "a plain consumer decoding every record of the topics, start to current end")
  static final class PlainConsumeCli implements ModeCli {
    @Mixin Common common;

    @Option(names = "--topics", paramLabel = "TOPIC", split = ",", defaultValue = DEFAULT_TOPICS,
        description = "the topics to read (default ${DEFAULT-VALUE})")
    List<String> topics;

    @Option(names = "--timeout-s", paramLabel = "S", description = "give up after this long (default ${DEFAULT-VALUE})")
    long timeoutSeconds = DEFAULT_TIMEOUT_S;

    @Override
    public Mode toOptions() {
      return new PlainConsume(common.bootstrapServers, topics,
          Duration.ofSeconds(CommandLines.atLeast("--timeout-s", 1, timeoutSeconds)));
    }
  }

  @Command(name = "lag", sortOptions = false,
      description = "a consumer group's lag, one JSON line per sample (group found when not given)")
  static final class LagCli implements ModeCli {
    @Mixin Common common;

    @Option(names = "--seconds", paramLabel = "S", required = true, description = "how long to sample")
    long seconds;

    @Option(names = "--group", paramLabel = "G", description = "the consumer group (default: the one committing on the topics)")
    String group;

    @Option(names = "--topics", paramLabel = "TOPIC", split = ",", defaultValue = DEFAULT_TOPICS,
        description = "the topics whose lag is summed (default ${DEFAULT-VALUE})")
    List<String> topics;

    @Option(names = "--interval-ms", paramLabel = "MS", description = "time between samples (default ${DEFAULT-VALUE})")
    long intervalMs = DEFAULT_INTERVAL_MS;

    @Override
    public Mode toOptions() {
      return new Lag(common.bootstrapServers, Duration.ofSeconds(CommandLines.atLeast("--seconds", 1, seconds)),
          Optional.ofNullable(group), topics, Duration.ofMillis(CommandLines.atLeast("--interval-ms", 1, intervalMs)));
    }
  }

  @Command(name = "decisions", sortOptions = false,
      description = "latency from a heartbeat's event time to its bitrate decision being readable")
  static final class DecisionsCli implements ModeCli {
    @Mixin Common common;

    @Option(names = "--seconds", paramLabel = "S", required = true, description = "how long to measure")
    long seconds;

    @Override
    public Mode toOptions() {
      return new Decisions(common.bootstrapServers, Duration.ofSeconds(CommandLines.atLeast("--seconds", 1, seconds)));
    }
  }

  @Command(name = "transactions", sortOptions = false,
      description = "the transactional producers the broker knows, with their state")
  static final class TransactionsCli implements ModeCli {
    @Mixin Common common;

    @Override
    public Mode toOptions() {
      return new Transactions(common.bootstrapServers);
    }
  }

  static final class PaceConverter implements CommandLine.ITypeConverter<Pace> {
    @Override
    public Pace convert(String value) {
      for (Pace pace : Pace.values()) {
        if (pace.label().equals(value)) {
          return pace;
        }
      }
      throw new CommandLine.TypeConversionException("must be planned or max");
    }
  }
}
