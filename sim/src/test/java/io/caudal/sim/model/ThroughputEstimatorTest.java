package io.caudal.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThroughputEstimatorTest {

  @Test
  void startsFromHlsJsDefaultEstimate() {
    assertThat(new ThroughputEstimator().estimateKbps()).isEqualTo(500);
  }

  @Test
  void convergesOnASteadyThroughput() {
    ThroughputEstimator estimator = new ThroughputEstimator();
    for (int i = 0; i < 30; i++) {
      estimator.sample(1_000, 8_000);
    }
    assertThat(estimator.estimateKbps()).isCloseTo(8_000, within(1.0));
  }

  @Test
  void believesADropFasterThanARise() {
    ThroughputEstimator falling = new ThroughputEstimator();
    ThroughputEstimator rising = new ThroughputEstimator();
    for (int i = 0; i < 30; i++) {
      falling.sample(1_000, 8_000);
      rising.sample(1_000, 2_000);
    }
    for (int i = 0; i < 3; i++) {
      falling.sample(1_000, 2_000);
      rising.sample(1_000, 8_000);
    }
    double fellBy = 8_000 - falling.estimateKbps();
    double roseBy = rising.estimateKbps() - 2_000;
    assertThat(fellBy).isGreaterThan(roseBy);
  }
}
