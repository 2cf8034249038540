package io.caudal.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.caudal.schemas.ServerHealth;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServerLoadModelTest {
  private final ServerLoadModel load = ServerLoadModel.DEFAULT;

  @Test
  void cpuRisesWithSessionsAndEgress() {
    assertThat(load.cpu(10, 30, 1000)).isGreaterThan(load.cpu(5, 30, 1000));
    assertThat(load.cpu(10, 600, 1000)).isGreaterThan(load.cpu(10, 30, 1000));
    // base + per session × sessions + weight × egress / capacity
    assertThat(load.cpu(10, 100, 1000)).isCloseTo(0.05 + 0.3 + 0.05, within(1e-9));
    assertThat(load.cpu(1000, 1000, 1000)).isEqualTo(1.0);
  }

  @Test
  void reachesTheLocatorsThresholdWithAboutTwentyTwoSessions() {
    double perSessionMbps = 4.5;
    assertThat(load.cpu(20, 20 * perSessionMbps, 1000)).isLessThan(0.75);
    assertThat(load.cpu(24, 24 * perSessionMbps, 1000)).isGreaterThan(0.75);
  }

  @Test
  void healthReportsSessionsEgressAndTitles() {
    MediaServer server = new MediaServer("eu-west-s1", "eu-west", 1000, load, 1_000);
    server.addTitle("t002");
    server.addTitle("t001");
    ServerHealth report = server.report(42, 12, 36_000, 5_000, new Random(1));
    assertThat(report.getActiveSessions()).isEqualTo(12);
    assertThat(report.getEgressMbps()).isEqualTo(36.0);
    assertThat(report.getCapacityMbps()).isEqualTo(1000.0);
    assertThat(report.getCpuUtil()).isCloseTo(load.cpu(12, 36, 1000), within(0.05));
    assertThat(report.getMemUtil()).isCloseTo(load.mem(12), within(0.05));
    assertThat(report.getTitles()).containsExactly("t001", "t002");
    assertThat(report.getPendingBytes()).isZero();
  }

  @Test
  void anUnhealthyServerPinsItsCpuAndPilesUpWhatItCannotSend() {
    MediaServer server = new MediaServer("eu-west-s1", "eu-west", 1000, load, 1_000);
    server.turnUnhealthy();
    Random random = new Random(1);
    ServerHealth first = server.report(1, 5, 20_000, 5_000, random);
    ServerHealth second = server.report(2, 5, 20_000, 5_000, random);
    assertThat(first.getCpuUtil()).isEqualTo(1.0);
    assertThat(first.getMemUtil()).isGreaterThan(0.9);
    assertThat(first.getEgressMbps()).isLessThan(20.0 * 0.1);
    assertThat(second.getPendingBytes()).isGreaterThan(first.getPendingBytes()).isPositive();
  }
}
