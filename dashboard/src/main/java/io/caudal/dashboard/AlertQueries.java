package io.caudal.dashboard;

import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertSlice;
import io.caudal.schemas.AlertState;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Tables;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alerts page's reads: the alerts' newest changes from the {@code alerts} table (merged with
 * what the live feed of {@code qoe.alerts} has seen), and each alert's metric around its onset
 * from {@code qoe_minute}, for the watched slice and for its root-cause slices.
 */
public final class AlertQueries {

  /** How far back an alert still open is looked for: one that changed in none of these days is not shown. */
  static final int OPEN_LOOKBACK_DAYS = 7;
  /** The chart's span before the onset and after the last change. */
  static final long CHART_BEFORE_MS = 30 * 60_000L;
  static final long CHART_AFTER_MS = 15 * 60_000L;
  /** The most alerts the page lists. */
  static final int LIST_LIMIT = 500;

  // Every change of the alerts that changed in the window, as JSON of the contract's fields, for
  // the codec to read; the newest revision is picked in Java together with the live feed's.
  private static final String CHANGES_SQL =
      "SELECT to_json(t)::VARCHAR FROM (SELECT * EXCLUDE (date, hour) FROM alerts"
          + " WHERE date BETWEEN ? AND ?) t";

  /** A metric per minute of one dimension's rows; %s: the combined metric, then the key filter. */
  private static final String SERIES_SQL =
      "SELECT minute, %s AS value FROM qoe_minute WHERE dimension = ?%s"
          + " AND minute >= ? AND minute < ? AND date BETWEEN ? AND ? GROUP BY minute ORDER BY minute";

  private final QoeTables tables;
  private final Optional<AlertFeed> feed;

  public AlertQueries(QoeTables tables, Optional<AlertFeed> feed) {
    this.tables = tables;
    this.feed = feed;
  }

  /**
   * Open alerts (whenever they opened, within {@value #OPEN_LOOKBACK_DAYS} days), then the others
   * whose last change falls in the range, each at its newest revision; newest first within each.
   */
  public List<Alert> alerts(TimeRange range) throws SQLException {
    return alerts(range, Optional.empty());
  }

  private List<Alert> alerts(TimeRange range, Optional<String> onlyId) throws SQLException {
    AlertBoard state = new AlertBoard();
    if (tables.hasData(Tables.ALERTS)) {
      LocalDate last = range.lastDate();
      LocalDate first = utcDate(Math.min(range.fromMs(), range.toMs() - OPEN_LOOKBACK_DAYS * 86_400_000L));
      try (Connection connection = tables.connect();
          PreparedStatement statement =
              connection.prepareStatement(CHANGES_SQL + (onlyId.isPresent() ? " WHERE alertId = ?" : ""))) {
        statement.setDate(1, Date.valueOf(first));
        statement.setDate(2, Date.valueOf(last));
        if (onlyId.isPresent()) {
          statement.setString(3, onlyId.get());
        }
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            state.apply(JsonAvroCodec.fromJson(rs.getString(1), Alert.class));
          }
        }
      }
    }
    feed.ifPresent(live -> state.applyAll(live.state().latest()));
    return state.latest().stream()
        .filter(alert -> onlyId.isEmpty() || onlyId.get().equals(alert.getAlertId()))
        .filter(alert -> isOpen(alert) || (alert.getMinute() >= range.fromMs() && alert.getMinute() < range.toMs()))
        .sorted(Comparator.comparing((Alert alert) -> !isOpen(alert))
            .thenComparing(Comparator.comparingLong(Alert::getMinute).reversed())
            .thenComparing(Alert::getAlertId))
        .limit(LIST_LIMIT)
        .toList();
  }

  /** One alert's newest revision. */
  public Optional<Alert> alert(String alertId, TimeRange range) throws SQLException {
    return alerts(range, Optional.of(alertId)).stream().findFirst();
  }

  static boolean isOpen(Alert alert) {
    return alert.getState() != AlertState.RESOLVED;
  }

  /**
   * The alert's metric per minute around its onset: the watched slice's series first, then one per
   * root-cause slice (qoe_minute holds single-dimension slices, so a pair is drawn as its two
   * parts). The fleet is its regions combined as the overview combines them.
   */
  public Map<String, Object> chart(Alert alert) throws SQLException {
    long from = alert.getOnsetMinute() - CHART_BEFORE_MS;
    long to = Math.max(alert.getMinute(), alert.getOnsetMinute()) + CHART_AFTER_MS;
    String metric = QoeQueries.combined(alert.getMetric());
    List<Map<String, Object>> series = new ArrayList<>();
    boolean fleet = "fleet".equals(alert.getDimension());
    series.add(series(metric, fleet ? QoeQueries.OVERVIEW_DIMENSION : alert.getDimension(), alert.getKey(),
        fleet, from, to, false));
    for (AlertSlice slice : alert.getRootCause()) {
      series.add(series(metric, slice.getDimension(), slice.getKey(), false, from, to, true));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("alertId", alert.getAlertId());
    body.put("metric", alert.getMetric());
    body.put("from", from);
    body.put("to", to);
    body.put("onsetMinute", alert.getOnsetMinute());
    body.put("threshold", alert.getThreshold());
    body.put("baseline", alert.getBaseline());
    body.put("series", series);
    return body;
  }

  private Map<String, Object> series(String metric, String dimension, String key, boolean wholeDimension,
      long from, long to, boolean rootCause) throws SQLException {
    List<List<Object>> points = new ArrayList<>();
    if (tables.hasData(Tables.QOE_MINUTE)) {
      // The fleet is every key of the overview's dimension combined.
      String sql = SERIES_SQL.formatted(metric, wholeDimension ? "" : " AND key = ?");
      try (Connection connection = tables.connect();
          PreparedStatement statement = connection.prepareStatement(sql)) {
        int p = 1;
        statement.setString(p++, dimension);
        if (!wholeDimension) {
          statement.setString(p++, key);
        }
        statement.setLong(p++, from);
        statement.setLong(p++, to);
        statement.setDate(p++, Date.valueOf(utcDate(from)));
        statement.setDate(p, Date.valueOf(utcDate(to)));
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            Object value = rs.getObject(2);
            points.add(java.util.Arrays.asList(rs.getLong(1), value == null ? null : ((Number) value).doubleValue()));
          }
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("label", wholeDimension ? "fleet" : dimension + "=" + key);
    out.put("dimension", wholeDimension ? "fleet" : dimension);
    out.put("key", wholeDimension ? "all" : key);
    out.put("rootCause", rootCause);
    out.put("points", points);
    return out;
  }

  private static LocalDate utcDate(long epochMs) {
    return Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC).toLocalDate();
  }
}
