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

  /**
   * {@code n} sessions of one slice playing the whole minute at {@code kbps}, stalled for
   * {@code stalledMs} of it each; the first {@code attempts} of them started in the minute.
   */
  Minutes play(int n, int attempts, int kbps, long stalledMs, String region, String isp, String server, String device,
      String title) {
    for (int i = 0; i < n; i++) {
      boolean attempt = i < attempts;
      long playing = 60_000 - stalledMs;
      sessions.add(new MinuteContribution(minute, server, region, isp, device, title,
          new MinuteAggregate.Contribution("s" + sessions.size(), attempt, attempt, false, false,
              attempt ? 900L : null, playing, stalledMs, playing * kbps, 0, 0, 0, 0, 0, 90.0)));
    }
    return this;
  }

  /**
   * A minute of a two-region fleet as viewers watch: in each region three ISPs (isp-c a small one of
   * 12 viewers), two servers, two devices, and titles t1-t8 watched by few (t1 by most); one session
   * in twenty starts in the minute, and bitrate and stalls vary a little from minute to minute.
   */
  static Minutes watching(int index) {
    return watching(index, "", 1.0);
  }

  /** The same, with the viewers of {@code link} ({@code region/isp}) getting {@code share} of their bitrate. */
  static Minutes watching(int index, String link, double share) {
    Minutes m = new Minutes(index);
    java.util.Random random = new java.util.Random(index * 31L + 7);
    for (String region : List.of("eu", "us")) {
      for (String isp : List.of("isp-a", "isp-b", "isp-c")) {
        int viewers = isp.equals("isp-c") ? 12 : 60;
        for (int v = 0; v < viewers; v++) {
          String title = "t" + Math.min(8, 1 + (int) Math.floor(-Math.log(1 - random.nextDouble()) * 2.5));
          int kbps = (int) ((2_600 + random.nextInt(800)) * (link.equals(region + "/" + isp) ? share : 1.0));
          long stalled = random.nextDouble() < 0.02 ? 2_000 + random.nextInt(6_000) : 0;
          m.play(1, random.nextDouble() < 0.05 ? 1 : 0, kbps, stalled, region, isp, region + "-s" + (1 + v % 2),
              v % 3 == 0 ? "web" : "tv", title);
        }
      }
    }
    return m;
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

  List<MinuteContribution> sessions() {
    return sessions;
  }

  /** Adds one session's minute as it is. */
  void add(MinuteContribution c) {
    sessions.add(c);
  }

  List<MinuteContribution> contributions() {
    return sessions;
  }

  List<Breakdown> breakdowns() {
    java.util.Map<String, Breakdown> byRegion = new java.util.TreeMap<>();
    for (MinuteContribution c : sessions) {
      byRegion.computeIfAbsent(c.region(), r -> Breakdown.ofRegion(minute, r)).add(c);
    }
    return new ArrayList<>(byRegion.values());
  }
}
