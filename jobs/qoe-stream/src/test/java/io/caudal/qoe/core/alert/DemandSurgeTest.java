package io.caudal.qoe.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DemandSurgeTest {

  @Test
  void poissonTailMatchesHandComputedValues() {
    assertThat(DemandSurge.upperTail(0, 0.5)).isEqualTo(1.0);
    // P(X >= 1) = 1 - e^-0.5
    assertThat(DemandSurge.upperTail(1, 0.5)).isCloseTo(1 - Math.exp(-0.5), within(1e-12));
    // P(X >= 5 | 0.24) = 1 - sum_{i<5} e^-0.24 0.24^i / i!, about 6.3e-6 (five attempts in two minutes of a title that gets one every eight)
    int[] factorial = {1, 1, 2, 6, 24};
    double lower = 0;
    for (int i = 0; i < 5; i++) {
      lower += Math.exp(-0.24) * Math.pow(0.24, i) / factorial[i];
    }
    assertThat(DemandSurge.upperTail(5, 0.24)).isCloseTo(1 - lower, within(1e-12));
    // Under the mean the tail is large, and it falls as the count grows.
    assertThat(DemandSurge.upperTail(3, 10)).isGreaterThan(0.99);
    assertThat(DemandSurge.upperTail(30, 10)).isLessThan(DemandSurge.upperTail(20, 10)).isLessThan(1e-2);
  }

  @Test
  void aTitleWithoutHistoryIsExpectedAtTheRegionsAverageAndItsOwnHistoryWinsOverTime() {
    assertThat(DemandSurge.expectedPerMinute(0, 0, 0.2)).isCloseTo(0.2, within(1e-12));
    // 180 minutes of one attempt every ten minutes, against a region average of 0.2.
    assertThat(DemandSurge.expectedPerMinute(18, 180, 0.2)).isCloseTo((18 + 30 * 0.2) / 210, within(1e-12));
  }
}
