package io.caudal.localkafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;

/**
 * Load and measurement for the QoE benchmark, against any Kafka. Every mode prints its result as
 * one JSON line on stdout (lag: one line per sample); progress goes to stderr. The modes and their
 * options are in {@link LoadToolOptions}; {@code --help} lists them all.
 */
public final class LoadTool {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LoadTool() {}

  public static void main(String[] args) {
    Optional<LoadToolOptions.Mode> parsed;
    try {
      parsed = LoadToolOptions.parse(args);
    } catch (UsageException e) {
      System.exit(CommandLines.refuse("load-tool", e, System.err));
      return;
    }
    if (parsed.isEmpty()) {
      System.out.print(LoadToolOptions.help());
      System.exit(0);
    }
    LoadToolOptions.Mode mode = parsed.get();
    try {
      System.exit(run(mode));
    } catch (Exception e) {
      System.err.println("load-tool " + args[0] + ": " + e);
      System.exit(1);
    }
  }

  private static int run(LoadToolOptions.Mode mode) throws Exception {
    if (mode instanceof LoadToolOptions.Produce produce) {
      return produce(produce);
    } else if (mode instanceof LoadToolOptions.PlainConsume plainConsume) {
      return plainConsume(plainConsume);
    } else if (mode instanceof LoadToolOptions.Lag lag) {
      return lag(lag);
    } else if (mode instanceof LoadToolOptions.Decisions decisions) {
      return decisions(decisions);
    } else if (mode instanceof LoadToolOptions.Transactions transactions) {
      return transactions(transactions);
    }
    throw new IllegalStateException("no runner for " + mode);
  }

  private static int produce(LoadToolOptions.Produce options) {
    FleetPlan.Config config = options.plan();
    String pace = options.pace().label();
    long planning = System.nanoTime();
    List<PlannedEvent> plan = FleetPlan.generate(config);
    double planSeconds = (System.nanoTime() - planning) / 1e9;
    System.err.printf("load-tool: planned %d events in %.1f s; sending (%s)%n", plan.size(), planSeconds, pace);
    Producing.Result result = Producing.run(options.bootstrapServers(), plan,
        options.pace() == LoadToolOptions.Pace.PLANNED);
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

  private static int plainConsume(LoadToolOptions.PlainConsume options) {
    PlainConsumer.Result result = PlainConsumer.run(options.bootstrapServers(), options.topics(), options.timeout());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", "plain-consume");
    out.put("topics", options.topics());
    out.put("records", result.records());
    out.put("bytes", result.bytes());
    out.put("seconds", round(result.seconds()));
    out.put("records_per_s", round(result.recordsPerSecond()));
    out.put("failed", result.failed());
    out.put("cpu_s", round(result.cpuSeconds()));
    out.put("cpu_s_per_million", result.records() > 0 ? Math.round(result.cpuSeconds() / result.records() * 1e8) / 100.0
        : null);
    print(out);
    return result.failed() == 0 ? 0 : 1;
  }

  private static int lag(LoadToolOptions.Lag options) throws Exception {
    long interval = options.interval().toMillis();
    long end = System.currentTimeMillis() + options.duration().toMillis();
    try (LagSampler sampler = new LagSampler(options.bootstrapServers(), options.topics(), options.group())) {
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

  private static int decisions(LoadToolOptions.Decisions options) {
    DecisionLatency.Result result = DecisionLatency.run(options.bootstrapServers(), options.duration());
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
  private static int transactions(LoadToolOptions.Transactions options) throws Exception {
    Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
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
