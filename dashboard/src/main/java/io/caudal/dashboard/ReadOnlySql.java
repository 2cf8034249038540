package io.caudal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Struct;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Operators' SQL, read-only for real. A statement runs only when DuckDB's own parser says it is a
 * single SELECT (which includes WITH ... SELECT, DESCRIBE, SHOW, SUMMARIZE, FROM ..., VALUES); on
 * top of that the database itself refuses files outside the tables, ATTACH of files, extension
 * loading and changing its settings (see {@link QoeTables}). Each query is cancelled at the time
 * limit and at most the row limit of rows is read.
 */
public final class ReadOnlySql implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_SQL_CHARS = 100_000;

  private final QoeTables tables;
  private final long timeLimitMs;
  private final ScheduledExecutorService canceller =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "sql-time-limit");
            thread.setDaemon(true);
            return thread;
          });

  public ReadOnlySql(QoeTables tables, long timeLimitMs) {
    this.tables = tables;
    this.timeLimitMs = timeLimitMs;
  }

  /** The time limit of one query, milliseconds. */
  public long timeLimitMs() {
    return timeLimitMs;
  }

  /**
   * Runs one read-only statement.
   *
   * @throws SqlRefusedException when the statement is not a single read-only query, DuckDB
   *     refuses it, or it runs past the time limit
   */
  public SqlResult run(String sql, int rowLimit) throws SqlRefusedException {
    try (Connection connection = tables.connect()) {
      checkReadOnly(connection, sql);
      return query(connection, sql, rowLimit);
    } catch (SQLException e) {
      throw new SqlRefusedException("could not open a connection: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses anything but one SELECT-shaped statement, asking DuckDB's parser
   * ({@code json_serialize_sql} serializes SELECT statements only, and says so for anything else).
   */
  static void checkReadOnly(Connection connection, String sql) throws SqlRefusedException {
    if (sql == null || sql.isBlank()) {
      throw new SqlRefusedException("empty query: write one SELECT statement");
    }
    if (sql.length() > MAX_SQL_CHARS) {
      throw new SqlRefusedException("query too long: " + sql.length() + " characters, at most " + MAX_SQL_CHARS);
    }
    JsonNode parsed;
    try (PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql(CAST(? AS VARCHAR))")) {
      statement.setString(1, sql);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        parsed = JSON.readTree(rs.getString(1));
      }
    } catch (SQLException | java.io.IOException e) {
      throw new SqlRefusedException("could not parse the query: " + e.getMessage(), e);
    }
    if (parsed.path("error").asBoolean(false)) {
      String type = parsed.path("error_type").asText("");
      String message = parsed.path("error_message").asText("");
      if ("parser".equals(type)) {
        throw new SqlRefusedException("syntax error: " + message);
      }
      throw new SqlRefusedException(
          "refused: only read-only queries run here (SELECT, WITH ... SELECT, DESCRIBE, SHOW);"
              + " no DDL, writes, ATTACH, COPY, SET, PRAGMA, CALL, INSTALL or LOAD ("
              + message + ")");
    }
    int statements = parsed.path("statements").size();
    if (statements != 1) {
      throw new SqlRefusedException(
          "refused: one statement at a time, this has " + statements);
    }
  }

  private SqlResult query(Connection connection, String sql, int rowLimit) throws SqlRefusedException {
    long start = System.nanoTime();
    AtomicBoolean timedOut = new AtomicBoolean();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      ScheduledFuture<?> limit =
          canceller.schedule(
              () -> {
                timedOut.set(true);
                try {
                  statement.cancel();
                } catch (SQLException ignored) {
                  // The statement finished as the limit hit; nothing to cancel.
                }
              },
              timeLimitMs,
              TimeUnit.MILLISECONDS);
      try (ResultSet rs = statement.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        int width = meta.getColumnCount();
        List<String> columns = new ArrayList<>(width);
        List<String> types = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          columns.add(meta.getColumnLabel(i));
          types.add(meta.getColumnTypeName(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
          if (rows.size() == rowLimit) {
            truncated = true;
            break;
          }
          List<Object> row = new ArrayList<>(width);
          for (int i = 1; i <= width; i++) {
            row.add(jsonValue(rs.getObject(i)));
          }
          rows.add(row);
          if (timedOut.get()) {
            throw timeLimitHit();
          }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        return new SqlResult(columns, types, rows, truncated, rowLimit, elapsedMs);
      } finally {
        limit.cancel(false);
      }
    } catch (SQLException e) {
      if (timedOut.get()) {
        throw timeLimitHit();
      }
      String reason = firstLine(e.getMessage());
      if (reason.contains("Permission Error")) {
        throw new SqlRefusedException("refused: only the QoE tables can be read here. " + reason, e);
      }
      throw new SqlRefusedException(reason, e);
    }
  }

  private SqlRefusedException timeLimitHit() {
    return new SqlRefusedException(
        "cancelled: the query ran past the time limit of " + timeLimitMs + " ms");
  }

  /** DuckDB's messages carry the caret picture on later lines; the first says what was wrong. */
  private static String firstLine(String message) {
    if (message == null) {
      return "query failed";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }

  /** A value Jackson writes as plain JSON: numbers, strings, booleans, lists, maps. */
  static Object jsonValue(Object value) throws SQLException {
    if (value == null
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof String) {
      return value;
    }
    if (value instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? d.toString() : d;
    }
    if (value instanceof Float f) {
      return f.isNaN() || f.isInfinite() ? f.toString() : f.doubleValue();
    }
    if (value instanceof BigInteger big) {
      // HUGEINT sums: a JSON number while it fits a long, text beyond.
      return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big.toString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.doubleValue();
    }
    if (value instanceof Array array) {
      Object[] items = (Object[]) array.getArray();
      List<Object> list = new ArrayList<>(items.length);
      for (Object item : items) {
        list.add(jsonValue(item));
      }
      return list;
    }
    if (value instanceof org.duckdb.DuckDBStruct struct) {
      return jsonValue(struct.getMap());
    }
    if (value instanceof Struct struct) {
      return Arrays.stream(struct.getAttributes()).map(String::valueOf).toList();
    }
    if (value instanceof Map<?, ?> map) {
      java.util.LinkedHashMap<String, Object> out = new java.util.LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.put(String.valueOf(entry.getKey()), jsonValue(entry.getValue()));
      }
      return out;
    }
    if (value instanceof TemporalAccessor || value instanceof java.util.Date) {
      return value.toString();
    }
    return value.toString();
  }

  @Override
  public void close() {
    canceller.shutdownNow();
  }
}
