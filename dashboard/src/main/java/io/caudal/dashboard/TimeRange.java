package io.caudal.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A half-open range of minutes, {@code [fromMs, toMs)}, epoch milliseconds.
 *
 * @param fromMs first instant included
 * @param toMs first instant excluded
 */
public record TimeRange(long fromMs, long toMs) {

  private static final long MINUTE_MS = 60_000;
  /** Charts get at most this many points; longer ranges are bucketed into several minutes. */
  static final int MAX_POINTS = 360;
  private static final long MAX_SPAN_MS = 400L * 24 * 3600 * 1000;

  public TimeRange {
    if (toMs <= fromMs) {
      throw new IllegalArgumentException("time range: 'to' (" + toMs + ") must be after 'from' (" + fromMs + ")");
    }
    if (toMs - fromMs > MAX_SPAN_MS) {
      throw new IllegalArgumentException("time range: at most 400 days at once");
    }
  }

  /** Parses the API's {@code from} and {@code to} parameters (epoch ms); missing means the last 24 h. */
  public static TimeRange parse(String from, String to, long nowMs) {
    long toMs = to == null || to.isBlank() ? nowMs : parseMillis("to", to);
    long fromMs = from == null || from.isBlank() ? toMs - 24 * 3600 * 1000L : parseMillis("from", from);
    return new TimeRange(fromMs, toMs);
  }

  private static long parseMillis(String name, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("time range: '" + name + "' must be epoch milliseconds, got '" + value + "'");
    }
  }

  /** Width of one chart point: whole minutes, so the range fits in {@link #MAX_POINTS} points. */
  public long bucketMs() {
    long minutes = Math.max(1, (toMs - fromMs + MINUTE_MS - 1) / MINUTE_MS);
    long perBucket = (minutes + MAX_POINTS - 1) / MAX_POINTS;
    return perBucket * MINUTE_MS;
  }

  /** First UTC date partition that can hold a row of the range. */
  public LocalDate firstDate() {
    return Instant.ofEpochMilli(fromMs).atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** Last UTC date partition that can hold a row of the range. */
  public LocalDate lastDate() {
    return Instant.ofEpochMilli(toMs - 1).atZone(ZoneOffset.UTC).toLocalDate();
  }
}
