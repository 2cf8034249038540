package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.caudal.schemas.Tables;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QoeQueriesTest {

  @TempDir static Path root;
  static long now;
  static QoeTables tables;
  static QoeQueries queries;

  @BeforeAll
  static void writeFixtureAndOpen() throws Exception {
    now = System.currentTimeMillis();
    FixtureTables.writeAll(root, now);
    tables = QoeTables.open(root, "1GB", 2);
    queries = new QoeQueries(tables);
  }

  @AfterAll
  static void close() throws Exception {
    tables.close();
  }

  private static TimeRange lastHour() {
    return new TimeRange(now - 3_600_000, now);
  }

  @Test
  void overviewWeightsRegionsByAttemptsPlaysAndSessions() throws Exception {
    QoeQueries.Overview overview = queries.overview(lastHour());

    Map<String, Object> totals = overview.totals();
    assertThat(((Number) totals.get("attempts")).longValue()).isEqualTo(FixtureTables.EXPECTED_ATTEMPTS);
    assertThat(((Number) totals.get("plays")).longValue()).isEqualTo(FixtureTables.EXPECTED_PLAYS);
    assertThat((Double) totals.get("vsfPct")).isCloseTo(FixtureTables.EXPECTED_VSF_PCT, within(1e-9));
    assertThat((Double) totals.get("ebvsPct")).isCloseTo(FixtureTables.EXPECTED_EBVS_PCT, within(1e-9));
    assertThat((Double) totals.get("startupP50Ms")).isCloseTo(FixtureTables.EXPECTED_STARTUP_P50_MS, within(1e-9));
    assertThat((Double) totals.get("rebufferingRatio")).isCloseTo(FixtureTables.EXPECTED_REBUFFERING, within(1e-12));
    assertThat((Double) totals.get("avgBitrateKbps")).isCloseTo(FixtureTables.EXPECTED_BITRATE_KBPS, within(1e-9));
    assertThat(((Number) totals.get("errors")).longValue()).isEqualTo(FixtureTables.EXPECTED_ERRORS);
  }

  @Test
  void overviewHasOnePointPerMinuteForAnHour() throws Exception {
    QoeQueries.Overview overview = queries.overview(lastHour());

    assertThat(overview.bucketMs()).isEqualTo(60_000);
    assertThat(overview.series()).hasSize(FixtureTables.MINUTES);
    assertThat(overview.series()).allSatisfy(point -> {
      assertThat(((Number) point.get("attempts")).longValue()).isEqualTo(150);
      assertThat(((Number) point.get("bucket")).longValue() % 60_000).isZero();
    });
  }

  @Test
  void longRangesAreBucketedIntoAtMostThreeHundredSixtyPoints() {
    TimeRange month = new TimeRange(now - 30L * 24 * 3_600_000, now);
    assertThat(month.bucketMs()).isEqualTo(120 * 60_000);
    assertThat((month.toMs() - month.fromMs()) / month.bucketMs()).isLessThanOrEqualTo(TimeRange.MAX_POINTS);
  }

  @Test
  void overviewOfARangeWithoutRowsHasNoTotals() throws Exception {
    QoeQueries.Overview overview = queries.overview(new TimeRange(now - 30 * 86_400_000L, now - 29 * 86_400_000L));
    assertThat(overview.totals()).isNull();
    assertThat(overview.series()).isEmpty();
  }

  @Test
  void breakdownPutsTheWorstServerFirst() throws Exception {
    List<Map<String, Object>> rows = queries.breakdown("server", "rebufferingRatio", lastHour(), 50);
    assertThat(rows).extracting(row -> row.get("key")).containsExactly("srv-3", "srv-2", "srv-1");
  }

  @Test
  void breakdownByLowestBitratePutsTheSlowestIspFirst() throws Exception {
    List<Map<String, Object>> rows = queries.breakdown("isp", "avgBitrateKbps", lastHour(), 50);
    assertThat(rows).extracting(row -> row.get("key")).containsExactly("isp-b", "isp-a");
  }

  @Test
  void breakdownRefusesUnknownDimensionsAndSorts() {
    assertThatThrownBy(() -> queries.breakdown("planet", "errors", lastHour(), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension: 'planet' is not one of region, isp, device, server, title");
    assertThatThrownBy(() -> queries.breakdown("region", "key; DROP TABLE x", lastHour(), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sort: 'key; DROP TABLE x' is not one of");
  }

  @Test
  void sessionSearchFindsBySessionIdAndByUserId() throws Exception {
    List<Map<String, Object>> bySession = queries.sessions("sess-bbb", 50);
    assertThat(bySession).singleElement().satisfies(row -> {
      assertThat(row.get("userId")).isEqualTo("user-1");
      assertThat(row.get("serverId")).isEqualTo("srv-3");
      assertThat(((Number) row.get("startupTimeMs")).longValue()).isEqualTo(1900);
    });
    assertThat(queries.sessions("user-1", 50)).extracting(row -> row.get("sessionId"))
        .containsExactlyInAnyOrder("sess-aaa", "sess-bbb");
    assertThat(queries.sessions("nobody", 50)).isEmpty();
  }

  @Test
  void everyTableHasData() {
    // The fixture writes no alerts: qoe-stream writes them once something goes wrong.
    assertThat(tables.status()).containsOnlyKeys("qoe_sessions", "qoe_minute", "catalog", "recommendations", "alerts")
        .allSatisfy((name, present) -> assertThat(present).as(name).isEqualTo(!name.equals("alerts")));
    assertThat(tables.hasData(Tables.QOE_MINUTE)).isTrue();
  }

  @Test
  void timeRangeRefusesBackwardsAndNonNumericBounds() {
    assertThatThrownBy(() -> TimeRange.parse("200", "100", now))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'to' (100) must be after 'from' (200)");
    assertThatThrownBy(() -> TimeRange.parse("yesterday", null, now))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'from' must be epoch milliseconds, got 'yesterday'");
  }
}
