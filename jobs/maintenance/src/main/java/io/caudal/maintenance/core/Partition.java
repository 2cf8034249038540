package io.caudal.maintenance.core;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One hour of a Hive-partitioned QoE table, {@code date=YYYY-MM-DD/hour=HH} (UTC).
 *
 * @param date the partition's day
 * @param hour its hour, 0–23
 */
public record Partition(LocalDate date, int hour) implements Comparable<Partition> {
  private static final Pattern DATE = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})");
  private static final Pattern HOUR = Pattern.compile("hour=(\\d{2})");

  public Partition {
    if (hour < 0 || hour > 23) {
      throw new IllegalArgumentException("hour must be 0-23, got " + hour);
    }
  }

  /** The day of a {@code date=YYYY-MM-DD} folder name, or empty when the name is not one. */
  public static Optional<LocalDate> parseDate(String folder) {
    Matcher m = DATE.matcher(folder);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(m.group(1)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The hour of an {@code hour=HH} folder name, or empty when the name is not one. */
  public static Optional<Integer> parseHour(String folder) {
    Matcher m = HOUR.matcher(folder);
    if (!m.matches()) {
      return Optional.empty();
    }
    int hour = Integer.parseInt(m.group(1));
    return hour <= 23 ? Optional.of(hour) : Optional.empty();
  }

  public static String dateFolder(LocalDate date) {
    return "date=" + date;
  }

  /** The partition's folder relative to the table, e.g. {@code date=2026-01-31/hour=07}. */
  public String path() {
    return dateFolder(date) + "/" + String.format("hour=%02d", hour);
  }

  public Instant start() {
    return date.atTime(hour, 0).toInstant(ZoneOffset.UTC);
  }

  /** The end of the hour: no row of the partition is later than this. */
  public Instant end() {
    return start().plus(Duration.ofHours(1));
  }

  @Override
  public int compareTo(Partition other) {
    int byDate = date.compareTo(other.date);
    return byDate != 0 ? byDate : Integer.compare(hour, other.hour);
  }

  @Override
  public String toString() {
    return path();
  }
}
