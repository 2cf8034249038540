package io.caudal.qoe.core.alert;

import io.caudal.qoe.core.MinuteAggregate;
import io.caudal.qoe.core.MinuteContribution;
import java.util.ArrayList;
import java.util.List;

/** Builds regions' minutes of sessions for the alert tests: each session an attempt, failed or not. */
final class Minutes {
  static final long T0 = 1_764_000_000_000L - 1_764_000_000_000L % 60_000;

  private final long minute;
  private final List<MinuteContribution> sessions = new ArrayList<>();

  Minutes(int index) {
    this.minute = T0 + index * 60_000L;
  }

  /** {@code n} sessions of one slice, {@code failed} of them failing to start. */
  Minutes add(int n, int failed, String region, String isp, String server, String device, String title) {
    for (int i = 0; i < n; i++) {
      boolean fails = i < failed;
      sessions.add(new MinuteContribution(minute, server, region, isp, device, title,
          new MinuteAggregate.Contribution("s" + sessions.size(), true, !fails, fails, false, fails ? null : 900L,
              fails ? 0 : 50_000, 0, fails ? 0 : 50_000L * 3000, fails ? 1 : 0, 0, 0, 0, 0, fails ? 0.0 : 90.0)));
    }
    return this;
  }

  /** A normal minute of a two-region fleet: three ISPs, two servers a region, two devices, two titles; 2 % failing. */
  static Minutes normal(int index) {
    Minutes m = new Minutes(index);
    java.util.Random random = new java.util.Random(index);
    for (String region : List.of("eu", "us")) {
      for (String isp : List.of("isp-a", "isp-b", "isp-c")) {
        for (int s = 1; s <= 2; s++) {
          for (String device : List.of("tv", "web")) {
            for (String title : List.of("t1", "t2")) {
              // 10 sessions a cell, 240 attempts a region a minute; each fails with 2 % chance.
              int failed = 0;
              for (int i = 0; i < 10; i++) {
                failed += random.nextDouble() < 0.02 ? 1 : 0;
              }
              m.add(10, failed, region, isp, region + "-s" + s, device, title);
            }
          }
        }
      }
    }
    return m;
  }

  long minute() {
    return minute;
  }

  List<Breakdown> breakdowns() {
    java.util.Map<String, Breakdown> byRegion = new java.util.TreeMap<>();
    for (MinuteContribution c : sessions) {
      byRegion.computeIfAbsent(c.region(), r -> Breakdown.ofRegion(minute, r)).add(c);
    }
    return new ArrayList<>(byRegion.values());
  }
}
