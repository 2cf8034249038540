package io.caudal.sim;

import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import io.caudal.sim.model.Fault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The options of {@code bin/caudal sim}, parsed and checked.
 *
 * @param players viewers
 * @param servers media servers
 * @param regions regions
 * @param durationMs simulated time to run
 * @param speed simulated seconds per wall-clock second
 * @param seed seed of the simulation's random source
 * @param bootstrapServers Kafka bootstrap servers
 * @param faults faults to inject
 * @param experiment the experiment to run instead of a plain simulation, or null
 * @param maxClients thesis experiment: clients at the last step
 * @param clientStep thesis experiment: clients added per step
 * @param stepMs thesis experiment: simulated time per step
 * @param out thesis experiment: folder of the table, CSV and plot
 * @param titleIds the catalog's title ids to watch, most popular first; empty: generated titles
 * @param serverUrl the URL the simulated servers report as theirs, {@code {id}} standing for the server
 *     id; null: they report none (they serve nothing a real player could fetch)
 * @param eventsOut write the events to this JSON-lines file (gzipped when it ends in .gz) as fast
 *     as they are made, instead of to Kafka: the replay form qoe-stream reads; null: to Kafka
 * @param rateAt edge's base URL, its viewer app in demo mode: the viewers rate some of what they
 *     watched there, each signed in as its demo viewer; null: they do not rate
 * @param start with {@code eventsOut}, when the simulated clock starts, so that the same seed writes
 *     the same file; null: the duration before now
 */
public record SimOptions(int players, int servers, int regions, long durationMs, double speed, long seed,
    String bootstrapServers, List<Fault> faults, String experiment, int maxClients, int clientStep, long stepMs,
    Path out, List<String> titleIds, String serverUrl, Path eventsOut, URI rateAt, Instant start) {

  public static final int DEFAULT_PLAYERS = 100;
  public static final int DEFAULT_SERVERS = 4;
  public static final int DEFAULT_REGIONS = 2;
  public static final String DEFAULT_DURATION = "10m";
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_MAX_CLIENTS = 100;
  public static final int DEFAULT_CLIENT_STEP = 10;
  public static final String DEFAULT_STEP_DURATION = "30s";
  /** The experiment's 4 runs × 10 steps × 30 s take 2 minutes at 10×. */
  public static final double DEFAULT_EXPERIMENT_SPEED = 10;
  public static final String THESIS = "thesis";

  public boolean thesisExperiment() {
    return THESIS.equals(experiment);
  }

  /**
   * Parses the command line.
   *
   * @return the options, or empty when {@code --help} was asked for
   * @throws UsageException naming the option that is wrong and how, in one line
   */
  public static Optional<SimOptions> parse(String... args) {
    return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
  }

  /** Every option with its default, as {@code --help} prints it. */
  public static String usage() {
    return CommandLines.usage(new Cli());
  }

  static long parseDuration(String option, String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.trim());
    if (!m.matches()) {
      throw new UsageException(option + " '" + text + "' is not a duration like 90s, 10m, 1h or 500ms");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    long ms = switch (unit) {
      case "ms" -> amount;
      case "m" -> amount * 60_000;
      case "h" -> amount * 3_600_000;
      default -> amount * 1_000;
    };
    if (ms <= 0) {
      throw new UsageException(option + " must be positive, got '" + text + "'");
    }
    return ms;
  }

  @Command(name = "bin/caudal sim", mixinStandardHelpOptions = false, sortOptions = false,
      description = "Simulate players and media servers against Kafka, or run the thesis experiment.")
  static final class Cli {
    @Option(names = "--players", paramLabel = "N", description = "viewers (default ${DEFAULT-VALUE})")
    int players = DEFAULT_PLAYERS;
    @Option(names = "--servers", paramLabel = "M", description = "media servers (default ${DEFAULT-VALUE})")
    int servers = DEFAULT_SERVERS;
    @Option(names = "--regions", paramLabel = "R", description = "regions (default ${DEFAULT-VALUE})")
    int regions = DEFAULT_REGIONS;
    @Option(names = "--duration", paramLabel = "D", description = "simulated time, e.g. 90s, 10m (default ${DEFAULT-VALUE})")
    String duration = DEFAULT_DURATION;
    @Option(names = "--speed", paramLabel = "X",
        description = "simulated seconds per real second (default 1; 10 for the experiment)")
    Double speed;
    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = DEFAULT_SEED;
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
        description = "Kafka bootstrap servers (default ${DEFAULT-VALUE})")
    String bootstrapServers = DEFAULT_BOOTSTRAP_SERVERS;
    @Option(names = "--fault", paramLabel = "KIND:TARGET@T",
        description = "server-unhealthy:SERVER@T, isp-degrade:REGION/ISP@T or hot-title:TITLE/REGION@T (repeatable)")
    List<String> faults = new ArrayList<>();
    @Option(names = "--titles", paramLabel = "ID[:CATEGORY[:SECONDS]],...", split = ",",
        description = "watch these title ids (a real catalog's), most popular first, each with its category (then"
            + " each viewer prefers a few categories) and duration if given; default: 50 generated titles")
    List<String> titles = new ArrayList<>();
    @Option(names = "--experiment", paramLabel = "NAME", description = "run an experiment: thesis")
    String experiment;
    @Option(names = "--max-clients", paramLabel = "N", description = "experiment: clients at the last step (default ${DEFAULT-VALUE})")
    int maxClients = DEFAULT_MAX_CLIENTS;
    @Option(names = "--client-step", paramLabel = "N", description = "experiment: clients added per step (default ${DEFAULT-VALUE})")
    int clientStep = DEFAULT_CLIENT_STEP;
    @Option(names = "--step-duration", paramLabel = "D", description = "experiment: simulated time per step (default ${DEFAULT-VALUE})")
    String stepDuration = DEFAULT_STEP_DURATION;
    @Option(names = "--out", paramLabel = "DIR", description = "experiment: output folder (default ./thesis-out)")
    Path out = Path.of("thesis-out");
    @Option(names = "--server-url", paramLabel = "URL",
        description = "the public URL each simulated server reports in server.health, {id} standing for its id,"
            + " e.g. http://{id}.cdn.example (default: none, as they serve nothing a real player could fetch)")
    String serverUrl;
    @Option(names = "--events-out", paramLabel = "FILE",
        description = "write the events to this JSON-lines file (.gz: gzipped), open loop, as fast as made, not to Kafka")
    Path eventsOut;
    @Option(names = "--rate-at", paramLabel = "URL",
        description = "edge's base URL, its viewer app in demo mode: viewers rate some of what they watched there,"
            + " each signed in as its demo viewer (default: they do not rate)")
    String rateAt;
    @Option(names = "--start", paramLabel = "INSTANT",
        description = "with --events-out: when the simulated clock starts, e.g. 2026-01-05T00:00:00Z, so that a"
            + " seed writes the same file on every run (default: the duration before now)")
    String start;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    SimOptions toOptions() {
      CommandLines.atLeast("--players", 0, players);
      CommandLines.atLeast("--servers", 1, servers);
      if (regions < 1 || regions > servers) {
        throw new UsageException("--regions must be between 1 and --servers (" + servers + "), got " + regions);
      }
      if (experiment != null && !THESIS.equals(experiment)) {
        throw new UsageException("--experiment '" + experiment + "' is unknown; the one experiment is 'thesis'");
      }
      if (experiment != null && eventsOut != null) {
        throw new UsageException("--events-out does not apply to --experiment thesis (it needs decisions)");
      }
      if (experiment != null && !faults.isEmpty()) {
        throw new UsageException("--fault does not apply to --experiment thesis");
      }
      if (clientStep < 1 || maxClients < clientStep) {
        throw new UsageException("need 1 <= --client-step <= --max-clients, got " + clientStep + " and " + maxClients);
      }
      double pace = speed != null ? speed : experiment != null ? DEFAULT_EXPERIMENT_SPEED : 1;
      if (!(pace > 0)) {
        throw new UsageException("--speed must be positive, got " + pace);
      }
      if (bootstrapServers.isBlank()) {
        throw new UsageException("--bootstrap-servers is empty");
      }
      if (serverUrl != null && !serverUrl.matches("https?://\\S*\\{id}\\S*")) {
        throw new UsageException("--server-url must be an http:// or https:// URL with {id} in it, got '"
            + serverUrl + "'");
      }
      URI ratingsEdge = null;
      if (rateAt != null) {
        if (!rateAt.matches("https?://[^/\\s]+/?")) {
          throw new UsageException("--rate-at must be edge's base URL, http://HOST:PORT or https://HOST:PORT, got '"
              + rateAt + "'");
        }
        if (eventsOut != null || experiment != null) {
          throw new UsageException("--rate-at needs a live run (not --events-out or --experiment)");
        }
        ratingsEdge = URI.create(rateAt.endsWith("/") ? rateAt : rateAt + "/");
      }
      long durationMs = parseDuration("--duration", duration);
      Instant startAt = null;
      if (start != null) {
        if (eventsOut == null) {
          throw new UsageException("--start needs --events-out (a live run starts now)");
        }
        try {
          startAt = Instant.parse(start);
        } catch (java.time.format.DateTimeParseException e) {
          throw new UsageException("--start '" + start + "' is not an instant like 2026-01-05T00:00:00Z");
        }
        if (startAt.toEpochMilli() + durationMs > System.currentTimeMillis()) {
          throw new UsageException("--start " + start + " plus --duration " + duration
              + " ends in the future: consumers refuse events from the future");
        }
      }
      List<Fault> parsed = new ArrayList<>();
      for (String fault : faults) {
        try {
          parsed.addAll(Fault.parseAll(fault));
        } catch (IllegalArgumentException e) {
          throw new UsageException("--fault: " + e.getMessage());
        }
      }
      return new SimOptions(players, servers, regions, durationMs, pace, seed,
          bootstrapServers, parsed, experiment, maxClients, clientStep,
          parseDuration("--step-duration", stepDuration), out, List.copyOf(titles), serverUrl, eventsOut,
          ratingsEdge, startAt);
    }
  }
}
