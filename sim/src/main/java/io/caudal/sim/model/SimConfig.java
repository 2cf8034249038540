package io.caudal.sim.model;

import java.util.List;

/**
 * Everything that shapes one simulation.
 *
 * @param players viewers (each watches one session after another)
 * @param servers media servers, spread round-robin over the regions
 * @param regions regions (at most as many as servers, so each has a server)
 * @param titles titles in the catalog, popularity Zipf-distributed
 * @param titleCopyShare chance that a server holds a given title (each title is still held by at
 *     least one server of every region)
 * @param ladder the bitrate ladder of every title
 * @param tickMs simulated time per step
 * @param heartbeatIntervalMs between a session's HEARTBEAT events
 * @param rtcpIntervalMs between a session's receiver reports
 * @param healthIntervalMs between a server's health reports
 * @param arrivalSpreadMs viewers' first sessions start spread over this long
 * @param replicationDelayMs how long a requested copy of a title takes before the server holds it
 * @param capacityMbps each server's egress capacity
 * @param load how servers' CPU and memory follow their sessions
 * @param serverChoice how players find a server before and besides steering
 * @param behaviour how viewers behave
 * @param faults faults to inject, at simulated times from the start
 * @param startEpochMs the simulated clock's start, epoch milliseconds
 * @param seed seed of the one random source, so a run repeats
 */
public record SimConfig(int players, int servers, int regions, int titles, double titleCopyShare, Ladder ladder,
    long tickMs, long heartbeatIntervalMs, long rtcpIntervalMs, long healthIntervalMs, long arrivalSpreadMs,
    long replicationDelayMs, double capacityMbps, ServerLoadModel load, ServerChoice serverChoice,
    SessionBehaviour behaviour, List<Fault> faults, long startEpochMs, long seed) {

  public static final long DEFAULT_TICK_MS = 1_000;
  /** Conviva-style heartbeats every 10 s. */
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
  /** RFC 3550 suggests at least 5 s between reports. */
  public static final long DEFAULT_RTCP_INTERVAL_MS = 5_000;
  /** The thesis's node monitor reported every few seconds. */
  public static final long DEFAULT_HEALTH_INTERVAL_MS = 5_000;
  public static final int DEFAULT_TITLES = 50;
  public static final double DEFAULT_TITLE_COPY_SHARE = 0.7;
  public static final long DEFAULT_ARRIVAL_SPREAD_MS = 10_000;
  /** A title of a few GB over a datacenter link. */
  public static final long DEFAULT_REPLICATION_DELAY_MS = 20_000;
  /** A 1 Gbit/s NIC. */
  public static final double DEFAULT_CAPACITY_MBPS = 1_000;

  public SimConfig {
    faults = List.copyOf(faults);
    require(players >= 0, "players must be 0 or more, got " + players);
    require(servers >= 1, "servers must be at least 1, got " + servers);
    require(regions >= 1, "regions must be at least 1, got " + regions);
    require(regions <= servers, "regions (" + regions + ") must not outnumber servers (" + servers
        + "): every region needs a server");
    require(titles >= 1, "titles must be at least 1, got " + titles);
    require(titleCopyShare > 0 && titleCopyShare <= 1, "titleCopyShare must be in (0, 1], got " + titleCopyShare);
    require(tickMs > 0, "tickMs must be positive, got " + tickMs);
    require(heartbeatIntervalMs >= tickMs && rtcpIntervalMs >= tickMs && healthIntervalMs >= tickMs,
        "heartbeat, RTCP and health intervals must be at least one tick (" + tickMs + " ms)");
    require(arrivalSpreadMs >= 0 && replicationDelayMs >= 0, "arrival spread and replication delay must be >= 0");
    require(capacityMbps > 0, "capacityMbps must be positive, got " + capacityMbps);
  }

  /** The defaults for {@code players} viewers, {@code servers} servers and {@code regions} regions. */
  public static SimConfig defaults(int players, int servers, int regions, long startEpochMs, long seed) {
    return new SimConfig(players, servers, regions, DEFAULT_TITLES, DEFAULT_TITLE_COPY_SHARE, Ladder.DEFAULT,
        DEFAULT_TICK_MS, DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_RTCP_INTERVAL_MS, DEFAULT_HEALTH_INTERVAL_MS,
        DEFAULT_ARRIVAL_SPREAD_MS, DEFAULT_REPLICATION_DELAY_MS, DEFAULT_CAPACITY_MBPS, ServerLoadModel.DEFAULT,
        ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.REALISTIC, List.of(), startEpochMs, seed);
  }

  public SimConfig withFaults(List<Fault> newFaults) {
    return new SimConfig(players, servers, regions, titles, titleCopyShare, ladder, tickMs, heartbeatIntervalMs,
        rtcpIntervalMs, healthIntervalMs, arrivalSpreadMs, replicationDelayMs, capacityMbps, load, serverChoice,
        behaviour, newFaults, startEpochMs, seed);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
