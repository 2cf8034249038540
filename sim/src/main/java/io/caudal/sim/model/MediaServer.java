package io.caudal.sim.model;

import io.caudal.schemas.ServerHealth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A media server (a content-steering pathway): the titles it holds, and the health report its
 * node monitor sends. An unhealthy server (fault server-unhealthy) is hung: CPU pinned, memory
 * nearly full, what its sessions ask for piling up unsent, and it serves them a trickle.
 */
public final class MediaServer {
  /** Share of a path's throughput a hung server still delivers: less than the lowest rung needs. */
  public static final double UNHEALTHY_SHARE = 0.01;
  static final double UNHEALTHY_MEM = 0.97;
  /** Past 95 % of CPU or link a server queues: its sessions get less than they ask for. */
  static final double SATURATION = 0.95;
  static final long DISK_BYTES = 4_000_000_000_000L;

  private final String serverId;
  private final String region;
  private final double capacityMbps;
  private final ServerLoadModel load;
  private final SortedSet<String> titles = new TreeSet<>();
  private final long titleBytes;
  private boolean unhealthy;
  private long pendingBytes;
  private double overload = 1;

  public MediaServer(String serverId, String region, double capacityMbps, ServerLoadModel load, long titleBytes) {
    if (!(capacityMbps > 0)) {
      throw new IllegalArgumentException("capacityMbps must be positive, got " + capacityMbps);
    }
    this.serverId = serverId;
    this.region = region;
    this.capacityMbps = capacityMbps;
    this.load = load;
    this.titleBytes = titleBytes;
  }

  public String serverId() {
    return serverId;
  }

  public String region() {
    return region;
  }

  public double capacityMbps() {
    return capacityMbps;
  }

  public boolean holds(String titleId) {
    return titles.contains(titleId);
  }

  public SortedSet<String> titles() {
    return Collections.unmodifiableSortedSet(titles);
  }

  public void addTitle(String titleId) {
    titles.add(titleId);
  }

  public void removeTitle(String titleId) {
    titles.remove(titleId);
  }

  public boolean unhealthy() {
    return unhealthy;
  }

  /** From now on the server is hung (fault server-unhealthy). */
  public void turnUnhealthy() {
    unhealthy = true;
  }

  /** The fault is over: the server serves as before. */
  public void recover() {
    unhealthy = false;
  }

  /**
   * Takes the sessions and egress of this tick: past {@link #SATURATION} of its CPU, or of its
   * link, a server serves every session a smaller share of what it asks for.
   */
  public void carry(int sessions, long egressKbps) {
    double cpuDemand = load.cpuDemand(sessions, egressKbps / 1000.0, capacityMbps);
    double linkDemand = egressKbps / 1000.0 / capacityMbps;
    overload = Math.max(1, Math.max(cpuDemand, linkDemand) / SATURATION);
  }

  /** Share of a path's throughput this server delivers. */
  public double deliveredShare() {
    return unhealthy ? UNHEALTHY_SHARE : 1.0 / overload;
  }

  /**
   * The node monitor's report at {@code eventTime} for {@code sessions} active sessions whose
   * rungs add up to {@code egressKbps}, over a tick of {@code tickMs}.
   */
  public ServerHealth report(long eventTime, int sessions, long egressKbps, long tickMs, Random random) {
    double egressMbps = egressKbps / 1000.0;
    double cpu;
    double mem;
    double sentMbps;
    if (unhealthy) {
      cpu = 1.0;
      mem = UNHEALTHY_MEM;
      sentMbps = egressMbps * UNHEALTHY_SHARE;
      pendingBytes += (long) ((egressMbps - sentMbps) * 1_000_000 / 8 * tickMs / 1000.0);
    } else {
      double noise = 0.01 * random.nextGaussian();
      cpu = clamp(load.cpu(sessions, egressMbps, capacityMbps) + noise);
      mem = clamp(load.mem(sessions) + noise / 2);
      sentMbps = egressMbps;
      pendingBytes = 0;
    }
    return ServerHealth.newBuilder()
        .setServerId(serverId)
        .setRegion(region)
        .setEventTime(eventTime)
        .setCpuUtil(cpu)
        .setMemUtil(mem)
        .setDiskFreeBytes(Math.max(0, DISK_BYTES - titleBytes * titles.size()))
        .setPendingBytes(pendingBytes)
        .setActiveSessions(sessions)
        .setEgressMbps(sentMbps)
        .setCapacityMbps(capacityMbps)
        .setTitles(new ArrayList<>(titles))
        .build();
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
