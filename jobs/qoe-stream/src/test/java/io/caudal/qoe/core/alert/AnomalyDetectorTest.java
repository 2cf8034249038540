package io.caudal.qoe.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertKind;
import io.caudal.schemas.AlertSlice;
import io.caudal.schemas.AlertState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
  private static final int WARM_UP = 60;

  private final AnomalyDetector detector = new AnomalyDetector(AnomalyDetector.Settings.defaults());

  private List<Alert> run(int from, int to, java.util.function.IntFunction<Minutes> minute) {
    List<Alert> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Minutes m = minute.apply(i);
      out.addAll(detector.evaluate(m.minute(), m.breakdowns()));
    }
    return out;
  }

  /** A normal minute with isp-b in eu failing half of its starts. */
  private static Minutes ispDegraded(int index) {
    Minutes m = Minutes.normal(index);
    for (int s = 1; s <= 2; s++) {
      for (String device : List.of("tv", "web")) {
        for (String title : List.of("t1", "t2")) {
          m.add(10, 5, "eu", "isp-b", "eu-s" + s, device, title);
        }
      }
    }
    return m;
  }

  @Test
  void raisesNothingOverHoursOfNormalMinutes() {
    assertThat(run(0, 240, Minutes::normal)).isEmpty();
  }

  @Test
  void opensOnTheRegionNamingTheFailingIspAndResolvesAfterIt() {
    run(0, WARM_UP, Minutes::normal);

    List<Alert> during = run(WARM_UP, WARM_UP + 5, AnomalyDetectorTest::ispDegraded);
    List<Alert> after = run(WARM_UP + 5, WARM_UP + 10, Minutes::normal);

    List<Alert> opened = during.stream().filter(a -> a.getState() == AlertState.OPEN).toList();
    assertThat(opened).isNotEmpty();
    for (Alert alert : opened) {
      assertThat(alert.getKind()).isEqualTo(AlertKind.ANOMALY);
      assertThat(alert.getDimension() + "=" + alert.getKey()).isEqualTo("region=eu");
      assertThat(alert.getRootCause()).containsExactly(new AlertSlice("region", "eu"), new AlertSlice("isp", "isp-b"));
      assertThat(alert.getOnsetMinute()).isEqualTo(Minutes.T0 + WARM_UP * 60_000L);
      // Far off at once (half the starts failing): opened at the first bad minute.
      assertThat(alert.getMinute()).isEqualTo(Minutes.T0 + WARM_UP * 60_000L);
      assertThat(alert.getScore()).isGreaterThanOrEqualTo(4.0);
    }
    // One incident, one alert: the failed starts, not also each metric they move.
    assertThat(opened).extracting(Alert::getMetric).containsExactly("vsfPct");
    // The fleet and isp-b across the fleet say the same: not raised again.
    assertThat(during).allMatch(a -> a.getDimension().equals("region"));
    List<Alert> resolved = after.stream().filter(a -> a.getState() == AlertState.RESOLVED).toList();
    assertThat(resolved).extracting(Alert::getAlertId)
        .containsExactlyInAnyOrderElementsOf(opened.stream().map(Alert::getAlertId).toList());
    assertThat(resolved).allMatch(a -> a.getRevision() >= 2);
    assertThat(detector.openSeries()).isEmpty();
  }

  @Test
  void aSmallSliceFailingPagesNobody() {
    run(0, WARM_UP, Minutes::normal);
    // 8 attempts more in one slice, half failing: under the cohort of 25, and too few to move its region.
    List<Alert> alerts = run(WARM_UP, WARM_UP + 5, i -> Minutes.normal(i).add(8, 4, "us", "isp-z", "us-s1", "tv", "t9"));

    assertThat(alerts).isEmpty();
  }

  @Test
  void aDetectorReadBackGoesOnAsTheOriginal() throws IOException {
    run(0, WARM_UP, Minutes::normal);
    run(WARM_UP, WARM_UP + 2, AnomalyDetectorTest::ispDegraded);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    detector.writeTo(new DataOutputStream(bytes));
    AnomalyDetector read = AnomalyDetector.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
        AnomalyDetector.STATE_FORMAT, AnomalyDetector.Settings.defaults());

    for (int i = WARM_UP + 2; i < WARM_UP + 10; i++) {
      Minutes m = i < WARM_UP + 5 ? ispDegraded(i) : Minutes.normal(i);
      assertThat(read.evaluate(m.minute(), m.breakdowns())).isEqualTo(detector.evaluate(m.minute(), m.breakdowns()));
    }
    assertThat(read.openSeries()).isEqualTo(detector.openSeries()).isEmpty();
  }
}
