package io.caudal.qoe;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** What the tests of the whole live job share: their Flink cluster and the start of their events. */
final class LiveJobs {

  private LiveJobs() {}

  /** One TaskManager with two slots: the job at parallelism two, as on a two-core machine. */
  static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
  }

  /**
   * Half an hour before now, on a minute boundary: events start there so that a run's minutes are
   * whole, and stay within the event rules' bounds against the processing clock.
   */
  static long startOfEvents() {
    return (System.currentTimeMillis() - 30 * 60_000L) / 60_000 * 60_000;
  }
}
