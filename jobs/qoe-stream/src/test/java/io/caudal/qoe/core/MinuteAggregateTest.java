package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.caudal.schemas.QoeMinute;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MinuteAggregateTest {
  private static final long MINUTE = 1_764_000_000_000L;

  private static MinuteAggregate.Contribution started(String session, long startupMs) {
    return new MinuteAggregate.Contribution(session, true, true, false, false, startupMs, 30_000, 0, 30_000 * 3000L,
        0, 0, 0, 0, 0);
  }

  @Test
  void ratesArePerAttemptAndNullWithoutAttempts() {
    MinuteAggregate minute = new MinuteAggregate();
    minute.add(started("a", 900));
    minute.add(new MinuteAggregate.Contribution("b", true, false, true, false, null, 0, 0, 0, 1, 0, 0, 0, 0));
    minute.add(new MinuteAggregate.Contribution("c", true, false, false, true, null, 0, 0, 0, 0, 0, 0, 0, 0));
    minute.add(new MinuteAggregate.Contribution("d", true, false, false, false, null, 0, 0, 0, 0, 0, 0, 0, 0));

    QoeMinute row = minute.toRow(MINUTE, "region", "eu");
    assertThat(row.getAttempts()).isEqualTo(4);
    assertThat(row.getPlays()).isEqualTo(1);
    assertThat(row.getVsfPct()).isEqualTo(25.0);
    assertThat(row.getEbvsPct()).isEqualTo(25.0);
    assertThat(row.getErrors()).isEqualTo(1);
    assertThat(row.getConcurrentSessions()).isEqualTo(4);
    assertThat(new MinuteAggregate().toRow(MINUTE, "region", "eu").getVsfPct()).isNull();
  }

  @Test
  void rebufferingBitrateLossAndJitterAreTimeOrReportWeighted() {
    MinuteAggregate minute = new MinuteAggregate();
    minute.add(new MinuteAggregate.Contribution("a", false, false, false, false, null, 50_000, 10_000, 50_000 * 2000L,
        0, 51, 2, 30_000, 2));
    minute.add(new MinuteAggregate.Contribution("b", false, false, false, false, null, 30_000, 0, 30_000 * 4000L,
        0, 0, 2, 10_000, 2));

    QoeMinute row = minute.toRow(MINUTE, "server", "edge-1");
    assertThat(row.getRebufferingRatio()).isEqualTo(10_000.0 / 90_000);
    assertThat(row.getAvgBitrateKbps()).isEqualTo((50_000 * 2000.0 + 30_000 * 4000.0) / 80_000);
    assertThat(row.getLossFraction()).isEqualTo(51 / 256.0 / 4);
    assertThat(row.getJitterMs()).isEqualTo(10.0);
    assertThat(row.getStartupP50Ms()).isNull();
  }

  @Test
  void startupPercentilesAreWithinOnePercentOfExact() {
    Random random = new Random(7);
    long[] startups = new long[5_000];
    MinuteAggregate minute = new MinuteAggregate();
    for (int i = 0; i < startups.length; i++) {
      startups[i] = 200 + (long) (random.nextExponential() * 800);
      minute.add(started("s" + i, startups[i]));
    }
    Arrays.sort(startups);

    QoeMinute row = minute.toRow(MINUTE, "title", "t1");
    assertThat((double) row.getStartupP50Ms()).isCloseTo(startups[2_499], within(startups[2_499] * 0.011 + 1));
    assertThat((double) row.getStartupP95Ms()).isCloseTo(startups[4_749], within(startups[4_749] * 0.011 + 1));
  }

  @Test
  void mergingPartsGivesWhatOneAggregateOfEverythingGives() throws Exception {
    MinuteAggregate whole = new MinuteAggregate();
    MinuteAggregate left = new MinuteAggregate();
    MinuteAggregate right = new MinuteAggregate();
    for (int i = 0; i < 200; i++) {
      MinuteAggregate.Contribution c = started("s" + i, 300 + 7L * i);
      whole.add(c);
      (i % 2 == 0 ? left : right).add(c);
    }
    MinuteAggregate restored = roundTrip(left);
    restored.merge(roundTrip(right));

    assertThat(restored.toRow(MINUTE, "device", "tv")).isEqualTo(whole.toRow(MINUTE, "device", "tv"));
    // A session hands in one contribution per minute: 200 contributions are 200 sessions.
    assertThat(whole.toRow(MINUTE, "device", "tv").getConcurrentSessions()).isEqualTo(200);
  }

  private static MinuteAggregate roundTrip(MinuteAggregate aggregate) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(aggregate);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (MinuteAggregate) in.readObject();
    }
  }
}
