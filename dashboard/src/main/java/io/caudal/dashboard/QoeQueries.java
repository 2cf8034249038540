package io.caudal.dashboard;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's own queries over {@code qoe_minute} and {@code qoe_sessions}.
 *
 * <p>How slices are combined: {@code qoe_minute} holds one row per (minute, dimension, key). The
 * fleet-wide numbers add up one dimension ({@value #OVERVIEW_DIMENSION}) across its keys, since
 * every session has exactly one region. Counts (attempts, plays, errors) are summed. VSF % and EBVS
 * % are weighted by attempts, which is exact (each key's percent times its attempts is its count).
 * Startup p50/p95 are weighted by plays: an approximation, since percentiles do not add up (the
 * exact value would need the per-key sketches, which the table does not keep). Rebuffering ratio
 * and average bitrate are time ratios; they are weighted by concurrent sessions, the table's proxy
 * for viewing time in the minute, which is also an approximation. Loss, jitter and the
 * experience score (each minute row holds the mean score of the slice's sessions) likewise.
 */
public final class QoeQueries {

  /** The dimension whose keys partition the fleet for the overview. */
  public static final String OVERVIEW_DIMENSION = "region";

  /** Dimensions of {@code qoe_minute} a breakdown can be asked for. */
  public static final List<String> DIMENSIONS = List.of("region", "isp", "device", "server", "title");

  /** Metrics a breakdown can be ordered by, each with what "worst" means for it. */
  public static final Map<String, String> WORST_FIRST =
      Map.of(
          "rebufferingRatio", "DESC",
          "vsfPct", "DESC",
          "ebvsPct", "DESC",
          "startupP95Ms", "DESC",
          "startupP50Ms", "DESC",
          "errors", "DESC",
          "avgBitrateKbps", "ASC",
          "experienceScore", "ASC",
          "attempts", "DESC");

  private static final String METRICS =
      """
      sum(attempts)::BIGINT AS attempts,
      sum(plays)::BIGINT AS plays,
      sum(vsfPct * attempts) / nullif(sum(attempts) FILTER (WHERE vsfPct IS NOT NULL), 0) AS vsfPct,
      sum(ebvsPct * attempts) / nullif(sum(attempts) FILTER (WHERE ebvsPct IS NOT NULL), 0) AS ebvsPct,
      sum(startupP50Ms * plays) / nullif(sum(plays) FILTER (WHERE startupP50Ms IS NOT NULL), 0) AS startupP50Ms,
      sum(startupP95Ms * plays) / nullif(sum(plays) FILTER (WHERE startupP95Ms IS NOT NULL), 0) AS startupP95Ms,
      sum(rebufferingRatio * concurrentSessions)
          / nullif(sum(concurrentSessions) FILTER (WHERE rebufferingRatio IS NOT NULL), 0) AS rebufferingRatio,
      sum(avgBitrateKbps * concurrentSessions)
          / nullif(sum(concurrentSessions) FILTER (WHERE avgBitrateKbps IS NOT NULL), 0) AS avgBitrateKbps,
      sum(errors)::BIGINT AS errors,
      sum(experienceScore * concurrentSessions)
          / nullif(sum(concurrentSessions) FILTER (WHERE experienceScore IS NOT NULL), 0) AS experienceScore,
      sum(lossFraction * concurrentSessions)
          / nullif(sum(concurrentSessions) FILTER (WHERE lossFraction IS NOT NULL), 0) AS lossFraction
      """;

  /** The range's rows of one dimension; the date bounds let DuckDB skip other partitions. */
  private static final String IN_RANGE =
      "dimension = ? AND minute >= ? AND minute < ? AND date BETWEEN ? AND ?";

  /**
   * Overview: per bucket and, in the row whose bucket is NULL, over the whole range. Parameters:
   * {@link #overviewParams}.
   */
  public static final String OVERVIEW_SQL =
      "SELECT (minute // ?) * ? AS bucket,\n" + METRICS
          + "FROM qoe_minute WHERE " + IN_RANGE + "\n"
          + "GROUP BY GROUPING SETS ((bucket), ()) ORDER BY bucket NULLS FIRST";

  /** Breakdown by the keys of one dimension; the ORDER BY is filled in from {@link #WORST_FIRST}. */
  private static final String BREAKDOWN_SQL =
      "SELECT key,\n" + METRICS
          + "FROM qoe_minute WHERE " + IN_RANGE + "\n"
          + "GROUP BY key ORDER BY %s %s NULLS LAST, key LIMIT ?";

  /**
   * How minute rows of several keys (the fleet's regions) combine into one value of a metric, as
   * {@link #METRICS} does: counts summed, VSF/EBVS weighted by attempts, startup by plays, the
   * rest by concurrent sessions. Only qoe_minute's numeric fields have one.
   */
  public static String combined(String metric) {
    if (!io.caudal.schemas.alert.AlertRules.METRICS.contains(metric)) {
      throw new IllegalArgumentException("metric: '" + metric + "' is not a qoe_minute metric");
    }
    String weight = switch (metric) {
      case "attempts", "plays", "errors", "concurrentSessions" -> null;
      case "vsfPct", "ebvsPct" -> "attempts";
      case "startupP50Ms", "startupP95Ms" -> "plays";
      default -> "concurrentSessions";
    };
    if (weight == null) {
      return "sum(\"" + metric + "\")::DOUBLE";
    }
    return "sum(\"" + metric + "\" * " + weight + ") / nullif(sum(" + weight + ") FILTER (WHERE \"" + metric
        + "\" IS NOT NULL), 0)";
  }

  private static final String SESSION_SQL =
      "SELECT * EXCLUDE (date, hour) FROM qoe_sessions WHERE sessionId = ? OR userId = ?"
          + " ORDER BY startTime DESC LIMIT ?";

  private final QoeTables tables;

  public QoeQueries(QoeTables tables) {
    this.tables = tables;
  }

  /** The breakdown statement for one ordering; public so the benchmark runs the same text. */
  public static String breakdownSql(String orderBy) {
    String direction = WORST_FIRST.get(orderBy);
    if (direction == null) {
      throw new IllegalArgumentException(
          "sort: '" + orderBy + "' is not one of " + String.join(", ", WORST_FIRST.keySet()));
    }
    return BREAKDOWN_SQL.formatted(orderBy, direction);
  }

  /** The overview's parameters, in the order of {@link #OVERVIEW_SQL}. */
  public static List<Object> overviewParams(TimeRange range) {
    List<Object> params = new ArrayList<>(List.of(range.bucketMs(), range.bucketMs()));
    params.addAll(rangeParams(OVERVIEW_DIMENSION, range));
    return params;
  }

  /** A breakdown's parameters, in the order of {@link #breakdownSql}. */
  public static List<Object> breakdownParams(String dimension, TimeRange range, int limit) {
    if (!DIMENSIONS.contains(dimension)) {
      throw new IllegalArgumentException(
          "dimension: '" + dimension + "' is not one of " + String.join(", ", DIMENSIONS));
    }
    List<Object> params = new ArrayList<>(rangeParams(dimension, range));
    params.add(limit);
    return params;
  }

  /** Totals over the range and one point per bucket; empty when there are no rows. */
  public Overview overview(TimeRange range) throws SQLException {
    try (Connection connection = tables.connect();
        PreparedStatement statement = connection.prepareStatement(OVERVIEW_SQL)) {
      bind(statement, overviewParams(range));
      Map<String, Object> totals = null;
      List<Map<String, Object>> series = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = row(rs);
          if (row.get("bucket") == null) {
            row.remove("bucket");
            totals = row;
          } else {
            series.add(row);
          }
        }
      }
      boolean empty = series.isEmpty();
      return new Overview(empty ? null : totals, series, range.bucketMs());
    }
  }

  /** Keys of a dimension over the range, worst first by {@code orderBy}. */
  public List<Map<String, Object>> breakdown(String dimension, String orderBy, TimeRange range, int limit)
      throws SQLException {
    List<Object> params = breakdownParams(dimension, range, limit);
    String sql = breakdownSql(orderBy);
    try (Connection connection = tables.connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      return rows(statement);
    }
  }

  /** The QoE rows of a session id, or of a user's sessions, newest first. */
  public List<Map<String, Object>> sessions(String sessionOrUserId, int limit) throws SQLException {
    if (sessionOrUserId == null || sessionOrUserId.isBlank()) {
      throw new IllegalArgumentException("session search: give a sessionId or userId in 'q'");
    }
    try (Connection connection = tables.connect();
        PreparedStatement statement = connection.prepareStatement(SESSION_SQL)) {
      statement.setString(1, sessionOrUserId.strip());
      statement.setString(2, sessionOrUserId.strip());
      statement.setInt(3, limit);
      return rows(statement);
    }
  }

  private static List<Object> rangeParams(String dimension, TimeRange range) {
    return List.of(dimension, range.fromMs(), range.toMs(), range.firstDate(), range.lastDate());
  }

  private static void bind(PreparedStatement statement, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object param = params.get(i);
      if (param instanceof LocalDate date) {
        statement.setDate(i + 1, Date.valueOf(date));
      } else {
        statement.setObject(i + 1, param);
      }
    }
  }

  private static List<Map<String, Object>> rows(PreparedStatement statement) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        rows.add(row(rs));
      }
    }
    return rows;
  }

  private static Map<String, Object> row(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      row.put(meta.getColumnLabel(i), ReadOnlySql.jsonValue(rs.getObject(i)));
    }
    return row;
  }

  /**
   * The overview's numbers.
   *
   * @param totals the range's totals, null when there is no data in the range
   * @param series one point per bucket, oldest first
   * @param bucketMs width of a point
   */
  public record Overview(Map<String, Object> totals, List<Map<String, Object>> series, long bucketMs) {}
}
