package io.caudal.qoe.core;

import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.ReplicationRequest;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.SteeringDecision;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which servers (content-steering pathways) the players of one region should use, and which
 * titles should be copied where, from the servers' latest health reports and recent QoE
 * (the thesis's locator and its replication to an apt server).
 *
 * <p>Eligibility. A server is eligible when
 * <ul>
 *   <li>its latest report is fresh: no older than {@link Config#healthFreshnessMs} at
 *       {@code now} (a server that stopped reporting may be down, and its numbers are old);</li>
 *   <li>its CPU and memory utilization are both under their thresholds (at or over is out, as the
 *       thesis's locator took only servers under 75 %);</li>
 *   <li>its QoE is not poor: with at least {@link Config#minQoeSessions} recent sessions, of which
 *       at least {@link Config#minAuthenticSessions} distinct sessions started (sent
 *       PLAY_REQUESTED, through edge's collector, with a playback grant) within the window, a
 *       rebuffering ratio over {@link Config#poorRebufferingRatio} excludes it — unless every
 *       server that passes the first two rules is poor, in which case none is excluded for QoE,
 *       because a region-wide problem (an ISP, a title) is not solved by steering away from every
 *       server; they are then only ranked.</li>
 * </ul>
 * Each excluded server gets one reason, {@code code: detail}, the code being the schema's short
 * code ({@code unhealthy}, {@code cpu_over_threshold}, {@code mem_over_threshold},
 * {@code poor_qoe}); CPU and memory both over give both, joined by {@code "; "}. A stale report
 * gives only {@code unhealthy}, since its numbers no longer describe the server.
 *
 * <p>Ranking. score = {@value #QOE_WEIGHT} × QoE + {@value #CPU_MEM_WEIGHT} × (1 − max(cpu, mem))
 * + {@value #EGRESS_WEIGHT} × (1 − egress ÷ capacity), each term in [0, 1]. QoE is 1 − the mean of
 * rebuffering ratio, startup p95 and loss, each divided by the value that scores zero
 * ({@value #REBUFFERING_AT_ZERO}, {@value #STARTUP_P95_MS_AT_ZERO} ms, {@value #LOSS_AT_ZERO}) and
 * capped at 1; a measure that is NaN (not measured) is left out of the mean. A server without QoE
 * or with fewer than {@link Config#minQoeSessions} sessions gets {@value #UNKNOWN_QOE}. Higher
 * score first, ties by server id. The pathway priority lists eligible servers by score, then the
 * overloaded and poor-QoE ones by score (a player that falls back to them should get the least bad
 * first), then the unhealthy ones by id (their numbers are old, so a score would mean nothing).
 *
 * <p>Replication. Each title with recent sessions in the region that no eligible server holds
 * yields one request, to the eligible server with the most headroom (the resource half of the
 * score), most-demanded title first; none when no server is eligible, since there is nowhere apt
 * to copy to. Free disk is not weighed: a report does not say how big a title is.
 */
public final class SteeringPolicy implements Serializable {
  /** CPU utilization at or over which a server is left out: the thesis locator's 75 %. */
  public static final double DEFAULT_CPU_THRESHOLD = 0.75;
  /** Memory utilization at or over which a server is left out: the thesis locator's 75 %. */
  public static final double DEFAULT_MEM_THRESHOLD = 0.75;
  /** A report older than 30 s is several missed reports, not one late one: the server may be down. */
  public static final long DEFAULT_HEALTH_FRESHNESS_MS = 30_000;
  /** Players reload the steering manifest every 10 s, so an exclusion reaches them within seconds. */
  public static final int DEFAULT_TTL_SECONDS = 10;
  /** 5 % of watching time stalled is well past what viewers tolerate before leaving. */
  public static final double DEFAULT_POOR_REBUFFERING_RATIO = 0.05;
  /** Below 20 sessions a rebuffering ratio is a few players' bad luck, not the server's. */
  public static final long DEFAULT_MIN_QOE_SESSIONS = 20;
  /**
   * Excluding a server takes at least 20 distinct sessions that started in the window: as many as
   * a ratio needs to mean something, and far more than a handful of forged sessions (each needs a
   * playback grant and a start through the collector) or one unlucky household. A region with
   * fewer starts than this in five minutes is too quiet for QoE to outweigh the risk of a forgery.
   */
  public static final long DEFAULT_MIN_AUTHENTIC_SESSIONS = 20;

  /** QoE weighs as much as resources together: it is what players feel, resources only predict it. */
  static final double QOE_WEIGHT = 0.5;
  /** CPU and memory headroom: how much more work the server can take. */
  static final double CPU_MEM_WEIGHT = 0.25;
  /** Spare egress: how many more streams the server's link can carry. */
  static final double EGRESS_WEIGHT = 0.25;
  /** A rebuffering ratio of 5 % scores zero, the same level that counts as poor. */
  static final double REBUFFERING_AT_ZERO = 0.05;
  /** A startup p95 of 4 s scores zero: past a few seconds viewers abandon the start. */
  static final double STARTUP_P95_MS_AT_ZERO = 4_000;
  /** 5 % packet loss scores zero: beyond that playback rarely keeps a high rung. */
  static final double LOSS_AT_ZERO = 0.05;
  /** A server without enough sessions is neither proven good nor bad: halfway. */
  static final double UNKNOWN_QOE = 0.5;

  /**
   * The thresholds of one policy.
   *
   * @param cpuThreshold CPU utilization (0–1) at or over which a server is not eligible
   * @param memThreshold memory utilization (0–1) at or over which a server is not eligible
   * @param healthFreshnessMs age past which a server's latest report makes it unhealthy
   * @param ttlSeconds how long players may keep a decision (steering manifest TTL)
   * @param poorRebufferingRatio rebuffering ratio over which a server is excluded for poor QoE
   * @param minQoeSessions sessions a server's QoE needs before it counts
   * @param minAuthenticSessions distinct sessions that started in the window a server's QoE needs
   *     before it can exclude the server
   */
  public record Config(double cpuThreshold, double memThreshold, long healthFreshnessMs, int ttlSeconds,
      double poorRebufferingRatio, long minQoeSessions, long minAuthenticSessions) implements Serializable {
    public Config {
      requireFraction("cpuThreshold", cpuThreshold);
      requireFraction("memThreshold", memThreshold);
      requireFraction("poorRebufferingRatio", poorRebufferingRatio);
      if (healthFreshnessMs <= 0) {
        throw new IllegalArgumentException("healthFreshnessMs must be positive, got " + healthFreshnessMs);
      }
      if (ttlSeconds <= 0) {
        throw new IllegalArgumentException("ttlSeconds must be positive, got " + ttlSeconds);
      }
      if (minQoeSessions < 1) {
        throw new IllegalArgumentException("minQoeSessions must be at least 1, got " + minQoeSessions);
      }
      if (minAuthenticSessions < 1) {
        throw new IllegalArgumentException("minAuthenticSessions must be at least 1, got " + minAuthenticSessions);
      }
    }

    /** The thresholds without the authentic-session rule's own bound: it is {@code minQoeSessions}. */
    public Config(double cpuThreshold, double memThreshold, long healthFreshnessMs, int ttlSeconds,
        double poorRebufferingRatio, long minQoeSessions) {
      this(cpuThreshold, memThreshold, healthFreshnessMs, ttlSeconds, poorRebufferingRatio, minQoeSessions,
          minQoeSessions);
    }

    public Config withMinAuthenticSessions(long value) {
      return new Config(cpuThreshold, memThreshold, healthFreshnessMs, ttlSeconds, poorRebufferingRatio,
          minQoeSessions, value);
    }

    public static Config defaults() {
      return new Config(DEFAULT_CPU_THRESHOLD, DEFAULT_MEM_THRESHOLD, DEFAULT_HEALTH_FRESHNESS_MS,
          DEFAULT_TTL_SECONDS, DEFAULT_POOR_REBUFFERING_RATIO, DEFAULT_MIN_QOE_SESSIONS, DEFAULT_MIN_AUTHENTIC_SESSIONS);
    }

    private static void requireFraction(String name, double value) {
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException(name + " must be in (0, 1], got " + value);
      }
    }
  }

  /**
   * A server's recent QoE (e.g. its last minutes of {@code qoe_minute} by server). A measure that
   * was not taken (no plays, no RTCP reports) is NaN and left out of the score.
   *
   * @param rebufferingRatio stalled ÷ (playing + stalled), 0–1
   * @param startupP95Ms 95th percentile startup time, ms
   * @param lossFraction mean RTCP loss fraction, 0–1
   * @param sessions sessions the measures come from
   * @param authenticSessions distinct sessions among them that started (PLAY_REQUESTED) in the window
   */
  public record ServerQoe(double rebufferingRatio, double startupP95Ms, double lossFraction, long sessions,
      long authenticSessions) implements Serializable {
    public ServerQoe {
      if (rebufferingRatio < 0 || rebufferingRatio > 1) {
        throw new IllegalArgumentException("rebufferingRatio must be in [0, 1] or NaN, got " + rebufferingRatio);
      }
      if (startupP95Ms < 0) {
        throw new IllegalArgumentException("startupP95Ms must not be negative, got " + startupP95Ms);
      }
      if (lossFraction < 0 || lossFraction > 1) {
        throw new IllegalArgumentException("lossFraction must be in [0, 1] or NaN, got " + lossFraction);
      }
      if (sessions < 0) {
        throw new IllegalArgumentException("sessions must not be negative, got " + sessions);
      }
      if (authenticSessions < 0 || authenticSessions > sessions) {
        throw new IllegalArgumentException("authenticSessions must be in [0, sessions], got " + authenticSessions);
      }
    }

    /** QoE whose sessions all started in the window. */
    public ServerQoe(double rebufferingRatio, double startupP95Ms, double lossFraction, long sessions) {
      this(rebufferingRatio, startupP95Ms, lossFraction, sessions, sessions);
    }
  }

  private enum Standing { ELIGIBLE, OVERLOADED_OR_POOR, UNHEALTHY }

  private record Assessment(ServerHealth health, double score, double headroom, Standing standing, String reason) {
    String serverId() {
      return health.getServerId();
    }
  }

  /** Pathway order: eligible, then overloaded or poor, then unhealthy; higher score first; ids break ties. */
  private static final Comparator<Assessment> PRIORITY = Comparator
      .comparing(Assessment::standing)
      .thenComparing(a -> a.standing() == Standing.UNHEALTHY ? 0 : -a.score())
      .thenComparing(Assessment::serverId);

  private final Config config;

  public SteeringPolicy(Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public SteeringPolicy() {
    this(Config.defaults());
  }

  public Config config() {
    return config;
  }

  /**
   * The steering decision for one region.
   *
   * @param region the region decided for; every report must be of it
   * @param latestHealth the latest health report of each server in the region, one per server
   * @param qoeByServer recent QoE by server id; a server may be missing
   * @param demandByTitle recent sessions by title id in the region; titles with none are not in demand
   * @param now the decision's event time, epoch ms
   * @throws IllegalArgumentException when a report is of another region or a server has two
   */
  public SteeringDecision decide(String region, Collection<ServerHealth> latestHealth,
      Map<String, ServerQoe> qoeByServer, Map<String, Long> demandByTitle, long now) {
    Objects.requireNonNull(region, "region");
    Set<String> seen = new HashSet<>();
    for (ServerHealth h : latestHealth) {
      if (!region.equals(h.getRegion())) {
        throw new IllegalArgumentException("server " + h.getServerId() + " reports region " + h.getRegion()
            + ", not " + region);
      }
      if (!seen.add(h.getServerId())) {
        throw new IllegalArgumentException("two health reports for server " + h.getServerId()
            + "; pass only its latest");
      }
    }

    List<Assessment> assessed = new ArrayList<>();
    for (ServerHealth h : latestHealth) {
      assessed.add(assessResources(h, qoeByServer.get(h.getServerId()), now));
    }
    assessed = excludePoorQoe(assessed, qoeByServer);
    assessed.sort(PRIORITY);

    List<String> priority = new ArrayList<>();
    List<ExcludedServer> excluded = new ArrayList<>();
    List<Assessment> eligible = new ArrayList<>();
    for (Assessment a : assessed) {
      priority.add(a.serverId());
      if (a.standing() == Standing.ELIGIBLE) {
        eligible.add(a);
      } else {
        excluded.add(new ExcludedServer(a.serverId(), a.reason()));
      }
    }

    return SteeringDecision.newBuilder()
        .setRegion(region)
        .setEventTime(now)
        .setTtlSeconds(config.ttlSeconds())
        .setPathwayPriority(priority)
        .setExcluded(excluded)
        .setReplications(replications(eligible, assessed, demandByTitle))
        .build();
  }

  /**
   * Whether a new health report should trigger a decision now rather than at the next scheduled
   * one: the server's CPU or memory crossed its threshold in either direction, it reported again
   * after a gap longer than the freshness window (it was unhealthy and is back), it moved region,
   * or this is its first report ({@code previous} null: a new pathway). A server going stale sends
   * no report at all, so that transition needs a timer, not this method.
   *
   * @throws IllegalArgumentException when the two reports are of different servers
   */
  public boolean crossesThreshold(ServerHealth previous, ServerHealth current) {
    Objects.requireNonNull(current, "current");
    if (previous == null) {
      return true;
    }
    if (!previous.getServerId().equals(current.getServerId())) {
      throw new IllegalArgumentException("reports of different servers: " + previous.getServerId()
          + " and " + current.getServerId());
    }
    return overCpu(previous) != overCpu(current)
        || overMem(previous) != overMem(current)
        || current.getEventTime() - previous.getEventTime() > config.healthFreshnessMs()
        || !previous.getRegion().equals(current.getRegion());
  }

  private boolean overCpu(ServerHealth h) {
    return h.getCpuUtil() >= config.cpuThreshold();
  }

  private boolean overMem(ServerHealth h) {
    return h.getMemUtil() >= config.memThreshold();
  }

  /** Freshness, CPU and memory; QoE exclusion is decided over the whole region afterwards. */
  private Assessment assessResources(ServerHealth h, ServerQoe qoe, long now) {
    double headroom = headroom(h);
    double score = QOE_WEIGHT * qoeScore(qoe) + headroom;
    long ageMs = now - h.getEventTime();
    if (ageMs > config.healthFreshnessMs()) {
      return new Assessment(h, score, headroom, Standing.UNHEALTHY,
          "unhealthy: no health report for " + ageMs / 1000 + " s");
    }
    List<String> reasons = new ArrayList<>();
    if (overCpu(h)) {
      reasons.add("cpu_over_threshold: cpu " + overWording(h.getCpuUtil(), config.cpuThreshold()));
    }
    if (overMem(h)) {
      reasons.add("mem_over_threshold: memory " + overWording(h.getMemUtil(), config.memThreshold()));
    }
    return reasons.isEmpty()
        ? new Assessment(h, score, headroom, Standing.ELIGIBLE, null)
        : new Assessment(h, score, headroom, Standing.OVERLOADED_OR_POOR, String.join("; ", reasons));
  }

  private static String overWording(double value, double threshold) {
    return String.format(Locale.ROOT, "%.2f %s %.2f", value, value > threshold ? "over" : "at", threshold);
  }

  /** Excludes eligible servers with poor QoE, unless all of them are poor (see the class comment). */
  private List<Assessment> excludePoorQoe(List<Assessment> assessed, Map<String, ServerQoe> qoeByServer) {
    List<Assessment> result = new ArrayList<>();
    boolean anyGoodEligible = false;
    for (Assessment a : assessed) {
      if (a.standing() == Standing.ELIGIBLE && !isPoor(qoeByServer.get(a.serverId()))) {
        anyGoodEligible = true;
      }
    }
    for (Assessment a : assessed) {
      ServerQoe qoe = qoeByServer.get(a.serverId());
      if (anyGoodEligible && a.standing() == Standing.ELIGIBLE && isPoor(qoe)) {
        result.add(new Assessment(a.health(), a.score(), a.headroom(), Standing.OVERLOADED_OR_POOR,
            String.format(Locale.ROOT, "poor_qoe: rebuffering %.3f over %.3f in %d sessions (%d started)",
                qoe.rebufferingRatio(), config.poorRebufferingRatio(), qoe.sessions(), qoe.authenticSessions())));
      } else {
        result.add(a);
      }
    }
    return result;
  }

  private boolean isPoor(ServerQoe qoe) {
    return qoe != null && qoe.sessions() >= config.minQoeSessions()
        && qoe.authenticSessions() >= config.minAuthenticSessions()
        && qoe.rebufferingRatio() > config.poorRebufferingRatio();
  }

  /** The resource half of the score: CPU/memory headroom and spare egress, weighted. */
  private static double headroom(ServerHealth h) {
    double cpuMem = clamp(1 - Math.max(h.getCpuUtil(), h.getMemUtil()));
    // A server that reports no capacity cannot be shown to have any to spare.
    double spareEgress = h.getCapacityMbps() > 0 ? clamp(1 - h.getEgressMbps() / h.getCapacityMbps()) : 0;
    return CPU_MEM_WEIGHT * cpuMem + EGRESS_WEIGHT * spareEgress;
  }

  private double qoeScore(ServerQoe qoe) {
    if (qoe == null || qoe.sessions() < config.minQoeSessions()) {
      return UNKNOWN_QOE;
    }
    double badness = 0;
    int measures = 0;
    for (double share : new double[] {
        qoe.rebufferingRatio() / REBUFFERING_AT_ZERO,
        qoe.startupP95Ms() / STARTUP_P95_MS_AT_ZERO,
        qoe.lossFraction() / LOSS_AT_ZERO}) {
      if (!Double.isNaN(share)) {
        badness += Math.min(1, share);
        measures++;
      }
    }
    return measures == 0 ? UNKNOWN_QOE : 1 - badness / measures;
  }

  private static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }

  private static List<ReplicationRequest> replications(List<Assessment> eligible, List<Assessment> all,
      Map<String, Long> demandByTitle) {
    if (eligible.isEmpty()) {
      return List.of();
    }
    Assessment target = eligible.stream()
        .min(Comparator.comparingDouble((Assessment a) -> -a.headroom()).thenComparing(Assessment::serverId))
        .orElseThrow();
    Set<String> heldByEligible = new HashSet<>();
    for (Assessment a : eligible) {
      heldByEligible.addAll(a.health().getTitles());
    }
    Map<String, Set<String>> excludedHolders = new HashMap<>();
    for (Assessment a : all) {
      if (a.standing() != Standing.ELIGIBLE) {
        for (String title : a.health().getTitles()) {
          excludedHolders.computeIfAbsent(title, t -> new TreeSet<>()).add(a.serverId());
        }
      }
    }

    List<Map.Entry<String, Long>> unserved = new ArrayList<>();
    for (Map.Entry<String, Long> e : demandByTitle.entrySet()) {
      if (e.getValue() != null && e.getValue() > 0 && !heldByEligible.contains(e.getKey())) {
        unserved.add(e);
      }
    }
    unserved.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));

    List<ReplicationRequest> requests = new ArrayList<>();
    for (Map.Entry<String, Long> e : unserved) {
      Set<String> holders = excludedHolders.get(e.getKey());
      String held = holders == null ? "held by no server" : "held only by excluded " + String.join(", ", holders);
      requests.add(new ReplicationRequest(e.getKey(), target.serverId(),
          "no_eligible_holder: " + e.getValue() + " recent sessions, " + held));
    }
    return requests;
  }
}
