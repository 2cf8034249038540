package io.caudal.sim.experiment;

import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import io.caudal.sim.model.EventSink;
import io.caudal.sim.model.Ladder;
import io.caudal.sim.model.Player;
import io.caudal.sim.model.ServerChoice;
import io.caudal.sim.model.ServerLoadModel;
import io.caudal.sim.model.SessionBehaviour;
import io.caudal.sim.model.SimConfig;
import io.caudal.sim.model.Simulation;
import io.caudal.sim.run.DecisionSource;
import io.caudal.sim.run.Pacer;
import io.caudal.sim.run.SimRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The thesis experiment (Dávila 2007, figures 18–19) on Caudal: for 1, 2, 3 and 4 servers in one
 * region, clients arrive in steps and each waits for a steering decision that names a server
 * (the thesis's locator: the best server under 75 % CPU and memory). Per step it measures the
 * servers' mean CPU utilization and the new clients' wait from PLAY_REQUESTED to a server.
 *
 * <p>Each server count runs in a region of its own ({@code thesis-<tag>-<n>}), so the decision
 * side's state about one run never steers another.
 */
public final class ThesisExperiment {
  public static final List<Integer> SERVER_COUNTS = List.of(1, 2, 3, 4);
  /** Viewers watch steadily; every server holds every title, so only load decides. */
  static final int TITLES = 20;
  /**
   * Before the first client the servers report twice, so the region has a decision: the
   * experiment measures the wait for a server under load, not the decision side's first start.
   */
  static final long WARM_UP_MS = 2 * SimConfig.DEFAULT_HEALTH_INTERVAL_MS;
  /** Each step's clients arrive over its first 40 %, about as fast as the servers report. */
  static final double ARRIVAL_SHARE = 0.4;

  /**
   * @param maxClients clients at the last step
   * @param step clients added per step
   * @param stepMs simulated time per step
   * @param speed simulated seconds per wall-clock second
   * @param seed seed of every run
   */
  public record Settings(int maxClients, int step, long stepMs, double speed, long seed) {
    public Settings {
      if (step < 1 || maxClients < step) {
        throw new IllegalArgumentException("need 1 <= step <= max clients, got step " + step
            + " and max clients " + maxClients);
      }
      if (stepMs < 2 * SimConfig.DEFAULT_HEALTH_INTERVAL_MS) {
        throw new IllegalArgumentException("a step must last at least "
            + 2 * SimConfig.DEFAULT_HEALTH_INTERVAL_MS / 1000 + " s of simulated time, got " + stepMs + " ms");
      }
      if (!(speed > 0)) {
        throw new IllegalArgumentException("speed must be positive, got " + speed);
      }
    }

    int steps() {
      return maxClients / step;
    }
  }

  private final Settings settings;
  private final EventSink sink;
  private final DecisionSource decisions;
  private final String tag;

  /** Sends to {@code sink}, takes decisions from {@code decisions}; {@code tag} names the runs' regions. */
  public ThesisExperiment(Settings settings, EventSink sink, DecisionSource decisions, String tag) {
    this.settings = settings;
    this.sink = sink;
    this.decisions = decisions;
    this.tag = tag;
  }

  public static String regionOf(String tag, int servers) {
    return "thesis-" + tag + "-" + servers;
  }

  /** Runs every server count; the rows in server, then client order. */
  public List<ThesisRow> run() throws InterruptedException {
    List<ThesisRow> rows = new ArrayList<>();
    for (int servers : SERVER_COUNTS) {
      rows.addAll(runWith(servers));
    }
    return rows;
  }

  /** One run with {@code servers} servers. */
  public List<ThesisRow> runWith(int servers) throws InterruptedException {
    long durationMs = WARM_UP_MS + settings.steps() * settings.stepMs();
    long start = Pacer.startEpochMs(System.currentTimeMillis(), durationMs, settings.speed());
    SimConfig config = new SimConfig(0, servers, 1, TITLES, 1.0, Ladder.DEFAULT, SimConfig.DEFAULT_TICK_MS,
        SimConfig.DEFAULT_HEARTBEAT_INTERVAL_MS, SimConfig.DEFAULT_RTCP_INTERVAL_MS,
        SimConfig.DEFAULT_HEALTH_INTERVAL_MS, 0, SimConfig.DEFAULT_REPLICATION_DELAY_MS,
        SimConfig.DEFAULT_CAPACITY_MBPS, ServerLoadModel.DEFAULT, ServerChoice.STEERED_ONLY, SessionBehaviour.STEADY,
        List.of(), start, settings.seed() + servers);
    String region = regionOf(tag, servers);
    Simulation simulation = new Simulation(config, List.of(region));
    // Each step's clients arrive over its first part, then the servers settle.
    long firstStep = start + WARM_UP_MS;
    List<List<Player>> arrivals = new ArrayList<>();
    for (int k = 0; k < settings.steps(); k++) {
      List<Player> wave = new ArrayList<>();
      for (int c = 0; c < settings.step(); c++) {
        long at = firstStep + k * settings.stepMs()
            + (long) ((double) c / settings.step() * settings.stepMs() * ARRIVAL_SHARE);
        wave.add(simulation.addViewer(region, at));
      }
      arrivals.add(wave);
    }
    HealthRecorder recorder = new HealthRecorder(sink);
    new SimRunner(simulation, recorder, decisions, new Pacer(settings.speed())).run(durationMs);
    return measure(simulation, arrivals, recorder.reports, servers, firstStep);
  }

  private List<ThesisRow> measure(Simulation simulation, List<List<Player>> arrivals, List<ServerHealth> health,
      int servers, long firstStep) {
    Map<String, Simulation.Assignment> assigned = new HashMap<>();
    simulation.assignments().forEach(a -> assigned.put(a.sessionId(), a));
    List<ThesisRow> rows = new ArrayList<>();
    for (int k = 0; k < arrivals.size(); k++) {
      long stepStart = firstStep + k * settings.stepMs();
      long settledFrom = stepStart + settings.stepMs() / 2;
      long stepEnd = stepStart + settings.stepMs();
      double utilization = health.stream()
          .filter(h -> h.getEventTime() > settledFrom && h.getEventTime() <= stepEnd)
          .mapToDouble(ServerHealth::getCpuUtil).average().orElse(Double.NaN);
      List<Player> wave = arrivals.get(k);
      double[] waits = new double[wave.size()];
      int waiting = 0;
      for (int i = 0; i < wave.size(); i++) {
        Player player = wave.get(i);
        Simulation.Assignment a = player.sessionId() == null ? null : assigned.get(player.sessionId());
        if (a != null) {
          waits[i] = a.waitMs();
        } else {
          waiting++;
          long requested = player.sessionId() == null ? player.nextSessionAtMs() : player.requestedAtMs();
          waits[i] = Math.max(0, simulation.nowMs() - requested);
        }
      }
      rows.add(new ThesisRow(servers, (k + 1) * settings.step(), utilization,
          Arrays.stream(waits).average().orElse(0), percentile(waits, 0.95), waiting));
    }
    return rows;
  }

  static double percentile(double[] values, double q) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(q * sorted.length) - 1; // nearest rank
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** Passes events on and keeps the servers' health reports for the utilization figure. */
  private static final class HealthRecorder implements EventSink {
    private final EventSink next;
    private final List<ServerHealth> reports = new ArrayList<>();

    HealthRecorder(EventSink next) {
      this.next = next;
    }

    @Override
    public void heartbeat(PlayerHeartbeat event) {
      next.heartbeat(event);
    }

    @Override
    public void rtcp(PlayerRtcp report) {
      next.rtcp(report);
    }

    @Override
    public void health(ServerHealth report) {
      reports.add(report);
      next.health(report);
    }
  }
}
