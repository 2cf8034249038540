package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertKind;
import io.caudal.schemas.AlertSlice;
import io.caudal.schemas.AlertState;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.Tables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts page's reads over tables written as qoe-stream writes them, some qoe_minute files
 * from before the experience score (no such column) and some after.
 */
class AlertQueriesTest {

  @TempDir static Path root;
  static final long NOW = System.currentTimeMillis();
  static final long ONSET = (NOW / 60_000 - 20) * 60_000;
  static QoeTables tables;
  static AlertQueries alerts;

  @BeforeAll
  static void writeAndOpen() throws Exception {
    // Ten minutes before the onset in files without experienceScore (DuckDB, as an older writer),
    // the twenty from the onset with it (Avro rows, as qoe-stream writes now).
    FixtureTables.writeAll(root, ONSET + 2 * 60_000L);
    List<QoeMinute> rows = new ArrayList<>();
    for (long minute = ONSET; minute < ONSET + 20 * 60_000L; minute += 60_000) {
      rows.add(AlertsBrowserTest.minute(minute, "region", "eu-west", 100, 9.0, 70.0));
      rows.add(AlertsBrowserTest.minute(minute, "region", "us-east", 50, 3.0, 91.0));
      rows.add(AlertsBrowserTest.minute(minute, "isp", "isp-b", 40, 20.0, 40.0));
      rows.add(AlertsBrowserTest.minute(minute, "device", "tv", 30, 15.0, 50.0));
    }
    AvroTables.writePartitioned(root, Tables.QOE_MINUTE, rows, QoeMinute::getMinute);
    AvroTables.writePartitioned(root, Tables.ALERTS, List.of(
        fleetAlert(1, AlertState.OPEN, ONSET + 2 * 60_000L),
        fleetAlert(3, AlertState.RESOLVED, ONSET + 12 * 60_000L),
        fleetAlert(2, AlertState.UPDATED, ONSET + 5 * 60_000L),
        AlertsBrowserTest.ispAlert(1, AlertState.OPEN, ONSET + 60_000, 9.0)), Alert::getMinute);
    tables = QoeTables.open(root, "1GB", 2);
    alerts = new AlertQueries(tables, Optional.empty());
  }

  @AfterAll
  static void close() throws Exception {
    tables.close();
  }

  static Alert fleetAlert(long revision, AlertState state, long minute) {
    return Alert.newBuilder().setAlertId("a-fleet").setState(state).setRevision(revision).setKind(AlertKind.ANOMALY)
        .setRuleId(null).setMetric("vsfPct").setDimension("fleet").setKey("all")
        .setRootCause(List.of(new AlertSlice("isp", "isp-b"), new AlertSlice("device", "tv")))
        .setOnsetMinute(ONSET).setMinute(minute).setValue(7.0).setBaseline(2.5).setThreshold(null).setScore(8.0)
        .setAttempts(150).setMessage("vsfPct of the fleet far above its baseline; root cause isp=isp-b, device=tv").build();
  }

  @Test
  void eachAlertAtItsHighestRevisionOpenOnesFirst() throws Exception {
    List<Alert> found = alerts.alerts(new TimeRange(NOW - 3_600_000, NOW));

    assertThat(found).extracting(Alert::getAlertId).containsExactly("a-isp", "a-fleet");
    assertThat(found.get(1).getRevision()).isEqualTo(3);
    assertThat(found.get(1).getState()).isEqualTo(AlertState.RESOLVED);
    assertThat(found.get(1).getRootCause()).extracting(AlertSlice::getKey).containsExactly("isp-b", "tv");
  }

  @Test
  void aResolvedAlertOutsideTheRangeIsNotListedAnOpenOneIs() throws Exception {
    List<Alert> later = alerts.alerts(new TimeRange(ONSET + 30 * 60_000L, ONSET + 90 * 60_000L));

    assertThat(later).extracting(Alert::getAlertId).containsExactly("a-isp");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aFleetAlertsChartCombinesTheRegionsAndDrawsEachRootCauseSlice() throws Exception {
    Alert fleet = alerts.alert("a-fleet", new TimeRange(NOW - 3_600_000, NOW)).orElseThrow();

    Map<String, Object> chart = alerts.chart(fleet);

    List<Map<String, Object>> series = (List<Map<String, Object>>) chart.get("series");
    assertThat(series).extracting(s -> s.get("label")).containsExactly("fleet", "isp=isp-b", "device=tv");
    assertThat(series).extracting(s -> s.get("rootCause")).containsExactly(false, true, true);
    List<List<Object>> fleetPoints = (List<List<Object>>) series.get(0).get("points");
    // The old files' minutes too: the chart starts 30 min before the onset.
    assertThat(fleetPoints).hasSize(FixtureTables.MINUTES + 20);
    List<Object> afterOnset = fleetPoints.get(fleetPoints.size() - 1);
    assertThat((Double) afterOnset.get(1)).isCloseTo((9.0 * 100 + 3.0 * 50) / 150, within(1e-9));
    List<Object> beforeOnset = fleetPoints.get(0);
    assertThat((Double) beforeOnset.get(1)).isCloseTo(FixtureTables.EXPECTED_VSF_PCT, within(1e-9));
  }

  @Test
  void theExperienceScoreIsNullInFilesWithoutItAndASessionWeightedMeanElsewhere() throws Exception {
    QoeQueries queries = new QoeQueries(tables);
    QoeQueries.Overview before = queries.overview(new TimeRange(ONSET - 12 * 60_000L, ONSET));
    QoeQueries.Overview after = queries.overview(new TimeRange(ONSET, ONSET + 20 * 60_000L));

    assertThat(before.totals().get("experienceScore")).isNull();
    // Concurrent sessions are 3 × attempts: eu-west 300 at 70, us-east 150 at 91.
    assertThat((Double) after.totals().get("experienceScore")).isCloseTo((70.0 * 300 + 91.0 * 150) / 450, within(1e-9));
    List<Map<String, Object>> worst = queries.breakdown("region", "experienceScore",
        new TimeRange(ONSET - 12 * 60_000L, ONSET + 20 * 60_000L), 10);
    assertThat(worst).extracting(row -> row.get("key")).containsExactly("eu-west", "us-east");
    assertThat((Double) worst.get(0).get("experienceScore")).isCloseTo(70.0, within(1e-9));
  }
}
