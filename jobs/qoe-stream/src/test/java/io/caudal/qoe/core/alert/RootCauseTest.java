package io.caudal.qoe.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The root-cause search on one hand-built minute against a known baseline. */
class RootCauseTest {
  /** 2 % of starts failing, give or take one point. */
  private static final Baseline.Level VSF_BASELINE = new Baseline.Level(2.0, 1.0, 120);

  private static Breakdown region(Minutes m) {
    return m.breakdowns().get(0);
  }

  @Test
  void namesTheOneServerWhoseRemovalBringsTheRegionBack() {
    Minutes m = new Minutes(0)
        .add(100, 2, "eu", "isp-a", "eu-s1", "tv", "t1").add(100, 2, "eu", "isp-b", "eu-s1", "web", "t2")
        .add(50, 40, "eu", "isp-a", "eu-s2", "tv", "t1").add(50, 40, "eu", "isp-b", "eu-s2", "web", "t2");

    assertThat(RootCause.find(region(m), Metric.VSF_PCT, VSF_BASELINE, 2.0, 25)).contains("server=eu-s2");
  }

  @Test
  void namesAPairWhenOnlyTheCombinationFails() {
    // isp-b is fine on eu-s1 and eu-s2 fine for isp-a; only isp-b through eu-s2 fails.
    Minutes m = new Minutes(0)
        .add(100, 2, "eu", "isp-a", "eu-s1", "tv", "t1").add(100, 2, "eu", "isp-b", "eu-s1", "tv", "t1")
        .add(100, 2, "eu", "isp-a", "eu-s2", "tv", "t1").add(60, 45, "eu", "isp-b", "eu-s2", "tv", "t1");

    assertThat(RootCause.find(region(m), Metric.VSF_PCT, VSF_BASELINE, 2.0, 25)).contains("isp=isp-b&server=eu-s2");
  }

  @Test
  void prefersTheSingleDimensionWhenAPairIsTheSameSessions() {
    // Every eu-s2 session is on isp-b: the server and the pair are one slice; the single one is named.
    Minutes m = new Minutes(0)
        .add(200, 4, "eu", "isp-a", "eu-s1", "tv", "t1").add(200, 4, "eu", "isp-c", "eu-s1", "tv", "t1")
        .add(60, 45, "eu", "isp-b", "eu-s2", "tv", "t1");

    assertThat(RootCause.find(region(m), Metric.VSF_PCT, VSF_BASELINE, 2.0, 25)).contains("isp=isp-b");
  }

  @Test
  void namesNothingWhenTheWholeRegionIsBad() {
    Minutes m = new Minutes(0);
    for (String isp : List.of("isp-a", "isp-b", "isp-c")) {
      for (String server : List.of("eu-s1", "eu-s2")) {
        m.add(50, 15, "eu", isp, server, "tv", "t1");
      }
    }

    assertThat(RootCause.find(region(m), Metric.VSF_PCT, VSF_BASELINE, 2.0, 25)).isEmpty();
  }

  @Test
  void aBreakdownCountsEachSliceAndPairOfASession() {
    Breakdown b = region(new Minutes(0).add(3, 1, "eu", "isp-a", "eu-s1", "tv", "t1"));

    assertThat(b.slices()).hasSize(4 + 6);
    assertThat(b.slices().get("server=eu-s1&title=t1").attempts()).isEqualTo(3);
    assertThat(b.total().value(Metric.VSF_PCT)).isEqualTo(100.0 / 3);
    Breakdown fleet = Breakdown.fleet(b.minute(), List.of(b));
    assertThat(fleet.slices()).containsKeys("region=eu", "region=eu&isp=isp-a", "isp=isp-a&device=tv");
    assertThat(fleet.slices()).hasSize(5 + 10);
  }
}
