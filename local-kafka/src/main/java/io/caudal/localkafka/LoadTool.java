package io.caudal.localkafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.schemas.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;

/**
 * Load and measurement for the QoE benchmark, against any Kafka. Every mode prints its result as
 * one JSON line on stdout (lag: one line per sample); progress goes to stderr.
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
public final class LoadTool {
  static final String USAGE = """
      usage: LoadTool MODE --bootstrap-servers HOST:PORT [options]
        produce        --rate EVENTS_PER_S --seconds S [--pace planned|max] [--heartbeat-interval-ms 1000]
                       [--heartbeats-per-session 30] [--seed 42] [--run-id ID]
                       a fleet's player and server events, encoded ahead, sent on schedule (idempotent, lz4)
        plain-consume  [--topics T1,T2,...] [--timeout-s 600]
                       a plain consumer decoding every record of the topics, start to current end
        lag            --seconds S [--group G] [--topics T1,...] [--interval-ms 1000]
                       a consumer group's lag, one JSON line per sample (group found when not given)
        decisions      --seconds S
                       latency from a heartbeat's event time to its bitrate decision being readable
        transactions   the transactional producers the broker knows, with their state""";
  static final String INPUT_TOPICS =
      String.join(",", Topics.HEARTBEAT.name(), Topics.RTCP.name(), Topics.SERVER_HEALTH.name());
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LoadTool() {}

  public static void main(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    String mode = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      int code = switch (mode) {
        case "produce" -> produce(new Args(mode, rest, Set.of("--bootstrap-servers", "--rate", "--seconds", "--pace",
            "--heartbeat-interval-ms", "--heartbeats-per-session", "--seed", "--run-id")));
        case "plain-consume" -> plainConsume(new Args(mode, rest, Set.of("--bootstrap-servers", "--topics",
            "--timeout-s")));
        case "lag" -> lag(new Args(mode, rest, Set.of("--bootstrap-servers", "--seconds", "--group", "--topics",
            "--interval-ms")));
        case "decisions" -> decisions(new Args(mode, rest, Set.of("--bootstrap-servers", "--seconds")));
        case "transactions" -> transactions(new Args(mode, rest, Set.of("--bootstrap-servers")));
        default -> throw new IllegalArgumentException("unknown mode '" + mode + "'\n" + USAGE);
      };
      System.exit(code);
    } catch (IllegalArgumentException e) {
      System.err.println("load-tool: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("load-tool " + mode + ": " + e);
      System.exit(1);
    }
  }

  private static int produce(Args args) {
    String bootstrap = args.string("--bootstrap-servers");
    String pace = args.string("--pace", "planned");
    if (!pace.equals("planned") && !pace.equals("max")) {
      throw new IllegalArgumentException("produce: --pace must be planned or max, got '" + pace + "'");
    }
    FleetPlan.Config config = new FleetPlan.Config(
        (int) args.positive("--rate"),
        (int) args.positive("--seconds"),
        args.positive("--heartbeat-interval-ms", 1_000),
        (int) args.positive("--heartbeats-per-session", 30),
        args.number("--seed", 42),
        args.string("--run-id", "r" + Long.toString(System.currentTimeMillis(), 36)));
    long planning = System.nanoTime();
    List<PlannedEvent> plan = FleetPlan.generate(config);
    double planSeconds = (System.nanoTime() - planning) / 1e9;
    System.err.printf("load-tool: planned %d events in %.1f s; sending (%s)%n", plan.size(), planSeconds, pace);
    Producing.Result result = Producing.run(bootstrap, plan, pace.equals("planned"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", "produce");
    out.put("target_per_s", config.eventsPerSecond());
    out.put("pace", pace);
    out.put("events_planned", plan.size());
    out.put("events", result.events());
    out.put("failed", result.failed());
    out.put("seconds", round(result.seconds()));
    out.put("events_per_s", round(result.eventsPerSecond()));
    out.put("max_behind_ms", result.maxBehindMs());
    out.put("plan_seconds", round(planSeconds));
    out.put("first_error", result.firstError());
    print(out);
    return result.failed() == 0 ? 0 : 1;
  }

  private static int plainConsume(Args args) {
    List<String> topics = List.of(args.string("--topics", INPUT_TOPICS).split(","));
    PlainConsumer.Result result = PlainConsumer.run(args.string("--bootstrap-servers"), topics,
        Duration.ofSeconds(args.positive("--timeout-s", 600)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", "plain-consume");
    out.put("topics", topics);
    out.put("records", result.records());
    out.put("bytes", result.bytes());
    out.put("seconds", round(result.seconds()));
    out.put("records_per_s", round(result.recordsPerSecond()));
    out.put("failed", result.failed());
    print(out);
    return result.failed() == 0 ? 0 : 1;
  }

  private static int lag(Args args) throws Exception {
    List<String> topics = List.of(args.string("--topics", INPUT_TOPICS).split(","));
    long interval = args.positive("--interval-ms", 1_000);
    long end = System.currentTimeMillis() + args.positive("--seconds") * 1_000;
    try (LagSampler sampler = new LagSampler(args.string("--bootstrap-servers"), topics,
        Optional.ofNullable(args.string("--group", null)))) {
      while (System.currentTimeMillis() < end) {
        long taken = System.currentTimeMillis();
        LagSampler.Sample sample = sampler.sample();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", "lag");
        out.put("t_ms", System.currentTimeMillis());
        out.put("group", sample.group().orElse(null));
        out.put("lag", sample.group().isPresent() ? sample.lag() : null);
        out.put("end", sample.end());
        print(out);
        long wait = taken + interval - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);  // the sampling period itself, not a wait for a condition
        }
      }
    }
    return 0;
  }

  private static int decisions(Args args) {
    DecisionLatency.Result result = DecisionLatency.run(args.string("--bootstrap-servers"),
        Duration.ofSeconds(args.positive("--seconds")));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", "decisions");
    out.put("decisions", result.decisions());
    out.put("p50_ms", result.p50Ms());
    out.put("p99_ms", result.p99Ms());
    out.put("max_ms", result.maxMs());
    out.put("decisions_for_earlier_events", result.forEarlierEvents());
    print(out);
    return 0;
  }

  /** Who writes in transactions: a job's exactly-once sinks show up here under their id prefix. */
  private static int transactions(Args args) throws Exception {
    Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args.string("--bootstrap-servers"));
    try (Admin admin = Admin.create(config)) {
      Map<String, Object> states = new TreeMap<>();
      for (TransactionListing listing : admin.listTransactions().all().get()) {
        states.put(listing.transactionalId(), listing.state().toString());
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("mode", "transactions");
      out.put("transactional_ids", states);
      print(out);
    }
    return 0;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static void print(Map<String, Object> out) {
    try {
      System.out.println(JSON.writeValueAsString(out));
      System.out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print a result", e);
    }
  }
}
