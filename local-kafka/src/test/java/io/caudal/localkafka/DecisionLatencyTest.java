package io.caudal.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecisionLatencyTest {

  @Test
  void percentilesAreNearestRank() {
    long[] latencies = new long[100];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = 100 - i;
    }
    assertThat(DecisionLatency.summarize(latencies, 3)).isEqualTo(new DecisionLatency.Result(100, 50, 99, 100, 3));
    assertThat(DecisionLatency.summarize(new long[0], 0)).isEqualTo(new DecisionLatency.Result(0, 0, 0, 0, 0));
  }
}
