package io.caudal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 *
 * <p>The Java heap is bounded too: DuckDB's memory limit does not cover the driver, which turns a
 * whole chunk of rows into Java objects at once. So the statement runs inside a wrapper that makes
 * DuckDB itself refuse any row larger than {@value #MAX_ROW_BYTES} bytes as text (before it
 * reaches Java) and read at most the row limit (plus one, to tell that there were more); rows are
 * then handed to a {@link RowSink} one at a time, which writes them out and may stop early (at a
 * byte limit), so no result is ever held whole.
 */
public final class ReadOnlySql implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_SQL_CHARS = 100_000;
  /** The largest row, as text, that a query may return; DuckDB refuses a larger one itself. */
  static final int MAX_ROW_BYTES = 64 * 1024;
  /** In the error DuckDB raises for a larger row. */
  private static final String ROW_TOO_LARGE = "caudal: row larger than the limit";

  /** Receives a result as it is read, one row at a time. */
  public interface RowSink {
    /** Called once, before any row, when the query has run. */
    void columns(List<String> names, List<String> types) throws IOException;

    /**
     * One row as JSON-ready values.
     *
     * @return whether to go on; false when the sink will take no more (its byte limit)
     */
    boolean row(List<Object> values) throws IOException;
  }

  /**
   * How reading a result ended.
   *
   * @param rows the rows the sink took
   * @param moreRows whether the query had rows beyond the row limit
   * @param elapsedMs time to run the query and hand out its rows
   */
  public record Outcome(long rows, boolean moreRows, long elapsedMs) {}

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
   * Runs one read-only statement and collects its rows (at most {@code rowLimit}).
   *
   * @throws SqlRefusedException when the statement is not a single read-only query, DuckDB
   *     refuses it, a row is larger than {@value #MAX_ROW_BYTES} bytes, or it runs past the time limit
   */
  public SqlResult run(String sql, int rowLimit) throws SqlRefusedException {
    List<String> columns = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<List<Object>> rows = new ArrayList<>();
    Outcome outcome;
    try {
      outcome = stream(sql, rowLimit, new RowSink() {
        @Override
        public void columns(List<String> names, List<String> typeNames) {
          columns.addAll(names);
          types.addAll(typeNames);
        }

        @Override
        public boolean row(List<Object> values) {
          rows.add(values);
          return true;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the list sink does no I/O
    }
    return new SqlResult(columns, types, rows, outcome.moreRows(), rowLimit, outcome.elapsedMs());
  }

  /**
   * Runs one read-only statement, handing its rows (at most {@code rowLimit}) to {@code sink} as
   * they are read. The sink's {@code columns} is called only once the query has run, so every
   * refusal comes before the sink has written anything.
   *
   * @throws SqlRefusedException as {@link #run}; after {@code columns}, only if the driver fails
   *     while handing out rows
   * @throws IOException when the sink fails to write
   */
  public Outcome stream(String sql, int rowLimit, RowSink sink) throws SqlRefusedException, IOException {
    try (Connection connection = tables.connect()) {
      checkReadOnly(connection, sql);
      String bounded = bounded(sql, rowLimit);
      // The wrapper is checked too: it must still be one SELECT whatever the text inside did.
      checkReadOnly(connection, bounded);
      return query(connection, bounded, rowLimit, sink);
    } catch (SQLException e) {
      throw new SqlRefusedException("could not open a connection: " + e.getMessage(), e);
    }
  }

  /**
   * The statement inside a wrapper that refuses a row larger than {@value #MAX_ROW_BYTES} bytes as
   * text, inside DuckDB, and reads one row past the limit (to tell that there were more).
   * {@code *COLUMNS(*)} measures every column whatever the statement names them.
   */
  static String bounded(String sql, int rowLimit) {
    String body = sql.strip();
    while (body.endsWith(";")) {
      body = body.substring(0, body.length() - 1).strip();
    }
    // The statement on lines of its own, so a trailing -- comment cannot swallow the wrapper.
    return "SELECT * FROM (\n" + body + "\n) AS caudal_query WHERE CASE WHEN strlen(concat_ws('', *COLUMNS(*))) > "
        + MAX_ROW_BYTES + " THEN error('" + ROW_TOO_LARGE + "') ELSE true END LIMIT " + (rowLimit + 1L);
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
    } catch (SQLException | IOException e) {
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

  private Outcome query(Connection connection, String sql, int rowLimit, RowSink sink)
      throws SqlRefusedException, IOException {
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
        // The driver holds the whole (bounded) result once executeQuery returns: the time limit is
        // DuckDB's work, not how fast the client takes the rows (a slow download is not cut).
        limit.cancel(false);
        if (timedOut.get()) {
          throw timeLimitHit();
        }
        ResultSetMetaData meta = rs.getMetaData();
        int width = meta.getColumnCount();
        List<String> columns = new ArrayList<>(width);
        List<String> types = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          columns.add(meta.getColumnLabel(i));
          types.add(meta.getColumnTypeName(i));
        }
        sink.columns(columns, types);
        long rows = 0;
        boolean moreRows = false;
        while (rs.next()) {
          if (rows == rowLimit) {
            moreRows = true;
            break;
          }
          List<Object> row = new ArrayList<>(width);
          for (int i = 1; i <= width; i++) {
            row.add(jsonValue(rs.getObject(i)));
          }
          if (!sink.row(row)) {
            break;
          }
          rows++;
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        return new Outcome(rows, moreRows, elapsedMs);
      } finally {
        limit.cancel(false);
      }
    } catch (SQLException e) {
      if (timedOut.get()) {
        throw timeLimitHit();
      }
      String reason = firstLine(e.getMessage());
      if (reason.contains(ROW_TOO_LARGE)) {
        throw new SqlRefusedException("refused: a row of the result is larger than " + MAX_ROW_BYTES / 1024
            + " KB as text; select fewer or shorter columns (e.g. left(col, 1000)), or aggregate", e);
      }
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
