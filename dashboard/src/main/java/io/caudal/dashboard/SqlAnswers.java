package io.caudal.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SQL result written into the HTTP response while it is read, never held whole: JSON for the SQL
 * panel, CSV for downloads. Each stops at its row limit or its byte limit, whichever comes first.
 * Every refusal of the query comes before the first byte (the status is then still free to be 400);
 * a failure while rows are being written ends the JSON with an {@code error} field.
 */
final class SqlAnswers {

  private static final Logger LOG = LoggerFactory.getLogger(SqlAnswers.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Room kept under the byte limit for the JSON answer's closing fields. */
  private static final int JSON_TAIL_BYTES = 256;

  /** RFC 4180, every cell but a number in quotes (a neutralised cell must stay one text cell). */
  static final CSVFormat CSV = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.NON_NUMERIC).get();

  private SqlAnswers() {}

  /**
   * The SQL panel's answer: {@code columns}, {@code types}, {@code rows}, then {@code truncated}
   * and {@code truncatedBy} ({@code rows} or {@code bytes}), {@code rowLimit}, {@code byteLimit},
   * {@code elapsedMs}.
   */
  static void json(Context ctx, ReadOnlySql sql, String text, int rowLimit, long byteLimit)
      throws SqlRefusedException, IOException {
    Counting[] out = new Counting[1];
    long[] rows = {0};
    boolean[] cut = {false};
    ReadOnlySql.RowSink sink = new ReadOnlySql.RowSink() {
      @Override
      public void columns(List<String> names, List<String> types) throws IOException {
        ctx.status(HttpStatus.OK).contentType("application/json");
        out[0] = new Counting(ctx.outputStream());
        write(out[0], "{\"columns\":" + JSON.writeValueAsString(names) + ",\"types\":" + JSON.writeValueAsString(types)
            + ",\"rows\":[");
      }

      @Override
      public boolean row(List<Object> values) throws IOException {
        byte[] row = JSON.writeValueAsBytes(values);
        if (out[0].count + row.length + 1 + JSON_TAIL_BYTES > byteLimit) {
          cut[0] = true;
          return false;
        }
        if (rows[0]++ > 0) {
          out[0].write(',');
        }
        out[0].write(row);
        return true;
      }
    };
    ReadOnlySql.Outcome outcome;
    try {
      outcome = sql.stream(text, rowLimit, sink);
    } catch (SqlRefusedException e) {
      if (out[0] == null) {
        throw e;
      }
      write(out[0], "],\"truncated\":true,\"error\":" + JSON.writeValueAsString(e.getMessage()) + "}");
      return;
    }
    String truncatedBy = cut[0] ? "\"bytes\"" : outcome.moreRows() ? "\"rows\"" : "null";
    write(out[0], "],\"truncated\":" + (cut[0] || outcome.moreRows()) + ",\"truncatedBy\":" + truncatedBy
        + ",\"rowLimit\":" + rowLimit + ",\"byteLimit\":" + byteLimit + ",\"elapsedMs\":" + outcome.elapsedMs() + "}");
  }

  /**
   * A CSV download: a header line, then the rows, each cell neutralised ({@link #csvCell}). It
   * stops at the row or byte limit without a mark in the file (the SQL panel's Run tells whether a
   * query has more rows than a limit).
   */
  static void csv(Context ctx, ReadOnlySql sql, String text, int rowLimit, long byteLimit)
      throws SqlRefusedException, IOException {
    Counting[] out = new Counting[1];
    StringBuilder line = new StringBuilder();
    CSVPrinter printer = new CSVPrinter(line, CSV);
    ReadOnlySql.RowSink sink = new ReadOnlySql.RowSink() {
      @Override
      public void columns(List<String> names, List<String> types) throws IOException {
        ctx.status(HttpStatus.OK).contentType("text/csv; charset=utf-8")
            .header("Content-Disposition", "attachment; filename=\"caudal-query.csv\"");
        out[0] = new Counting(ctx.outputStream());
        printer.printRecord(names.stream().map(SqlAnswers::csvCell));
        writeLine();
      }

      @Override
      public boolean row(List<Object> values) throws IOException {
        printer.printRecord(values.stream().map(SqlAnswers::csvCell));
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        line.setLength(0);
        if (out[0].count + bytes.length > byteLimit) {
          return false;
        }
        out[0].write(bytes);
        return true;
      }

      private void writeLine() throws IOException {
        out[0].write(line.toString().getBytes(StandardCharsets.UTF_8));
        line.setLength(0);
      }
    };
    try {
      sql.stream(text, rowLimit, sink);
    } catch (SqlRefusedException e) {
      if (out[0] == null) {
        throw e;
      }
      // Rows were sent already; a CSV has no place for the reason, so the download just ends.
      LOG.warn("CSV download cut: {}", LogText.quoted(e.getMessage()));
    }
  }

  /**
   * A value as a CSV cell a spreadsheet will not run: numbers as they are; any other text that
   * starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a
   * leading {@code '} (OWASP's rule against CSV injection), and {@link #CSV} quotes it.
   */
  static Object csvCell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Number) {
      return value;
    }
    String text = value instanceof String s ? s : jsonText(value);
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      return "'" + text;
    }
    return text;
  }

  private static String jsonText(Object value) {
    if (value instanceof Boolean) {
      return value.toString();
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Counts what went through, so the answer can stop at its byte limit. */
  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
