package io.caudal.edge.fleet;

import com.sun.management.OperatingSystemMXBean;
import io.caudal.schemas.ServerHealth;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Takes this server's server.health report, as the thesis's node monitor did: CPU and memory of
 * the machine, free space where the store lives, bytes still to send, sessions, egress, titles held,
 * and the URL players reach it at (so the region's other edges learn it as a pathway).
 */
public final class HealthReporter {

  private final String serverId;
  private final String region;
  private final String publicUrl;
  private final double capacityMbps;
  private final FileSystem storeFs;
  private final Path store;
  private final LongSupplier pendingBytes;
  private final IntSupplier activeSessions;
  private final DoubleSupplier bytesOutTotal;
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long lastAt = -1;
  private double lastBytes;

  /** @param publicUrl the base URL players reach this server at, which the region's other edges offer as a pathway */
  public HealthReporter(String serverId, String region, String publicUrl, double capacityMbps, FileSystem storeFs,
      Path store, LongSupplier pendingBytes, IntSupplier activeSessions, DoubleSupplier bytesOutTotal) {
    this.serverId = serverId;
    this.region = region;
    this.publicUrl = publicUrl;
    this.capacityMbps = capacityMbps;
    this.storeFs = storeFs;
    this.store = store;
    this.pendingBytes = pendingBytes;
    this.activeSessions = activeSessions;
    this.bytesOutTotal = bytesOutTotal;
  }

  /** A report now; egress is the average since the previous report. */
  public synchronized ServerHealth report(long nowMillis) throws IOException {
    double bytes = bytesOutTotal.getAsDouble();
    double egressMbps = lastAt < 0 || nowMillis <= lastAt ? 0
        : (bytes - lastBytes) * 8 / 1e6 / ((nowMillis - lastAt) / 1000.0);
    lastAt = nowMillis;
    lastBytes = bytes;
    long totalMemory = os.getTotalMemorySize();
    double cpu = os.getCpuLoad();
    return ServerHealth.newBuilder()
        .setServerId(serverId)
        .setRegion(region)
        .setEventTime(nowMillis)
        .setCpuUtil(cpu < 0 ? 0 : cpu)
        .setMemUtil(totalMemory <= 0 ? 0 : (double) (totalMemory - os.getFreeMemorySize()) / totalMemory)
        .setDiskFreeBytes(storeFs.getStatus(store).getRemaining())
        .setPendingBytes(pendingBytes.getAsLong())
        .setActiveSessions(activeSessions.getAsInt())
        .setEgressMbps(Math.max(0, egressMbps))
        .setCapacityMbps(capacityMbps)
        .setTitles(titlesHeld())
        .setPublicUrl(publicUrl)
        .build();
  }

  /** Titles in the store: its folders, less hidden ones (copies in progress). */
  public List<String> titlesHeld() throws IOException {
    List<String> titles = new ArrayList<>();
    if (!storeFs.exists(store)) {
      return titles;
    }
    for (FileStatus status : storeFs.listStatus(store)) {
      String name = status.getPath().getName();
      if (status.isDirectory() && !name.startsWith(".")) {
        titles.add(name);
      }
    }
    titles.sort(null);
    return titles;
  }
}
