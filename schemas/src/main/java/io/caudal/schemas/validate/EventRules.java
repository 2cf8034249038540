package io.caudal.schemas.validate;

import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * What makes an input event countable: the one set of rules for player.heartbeat, player.rtcp and
 * server.health, applied by edge before it answers 202 and by qoe-stream before an event enters the
 * pipeline, so an event edge accepted is never dead-lettered for its content.
 *
 * <p>Content rules: measurements are not negative, ids are not blank, fractions are in their range.
 * The time rule: the event time is at most {@link #DEFAULT_MAX_PAST_MS} behind and
 * {@link #DEFAULT_MAX_FUTURE_MS} ahead of the time it is checked at. A refusal is a
 * {@link Violation} naming the field and the rule.
 */
public final class EventRules {

  /** Events stamped more than a day back are a wrong clock or a replay that should be a backfill. */
  public static final long DEFAULT_MAX_PAST_MS = 24 * 3_600_000L;
  /**
   * Players' clocks drift by seconds; further ahead is a broken or forged clock. The job also
   * refuses an event this far ahead of when its record reached Kafka ({@code ahead_of_clock}), so
   * that no client's clock can move its watermark; edge, whose clock is the arrival time, refuses
   * the same here, so that what it accepts the job keeps.
   */
  public static final long DEFAULT_MAX_FUTURE_MS = 30_000L;

  /** The rules, by the name a refusal gives. */
  public static final String NEGATIVE = "negative";
  public static final String BLANK = "blank";
  public static final String OUT_OF_RANGE = "out_of_range";
  public static final String NOT_POSITIVE = "not_positive";
  public static final String IMPLAUSIBLE_TIME = "implausible_time";

  /**
   * One broken rule.
   *
   * @param field the field, as the schema names it
   * @param rule one of the rule names of {@link EventRules}
   * @param detail a sentence naming the field, its value and what is wrong
   */
  public record Violation(String field, String rule, String detail) {}

  private EventRules() {}

  /** The content rules an event breaks, in field order; empty when it keeps them all. */
  public static List<Violation> check(SpecificRecord event) {
    List<Violation> problems = new ArrayList<>();
    if (event instanceof PlayerHeartbeat h) {
      nonNegative(problems, "playheadMs", h.getPlayheadMs());
      nonNegative(problems, "bitrateKbps", h.getBitrateKbps());
      nonNegative(problems, "bufferMs", h.getBufferMs());
      nonNegative(problems, "throughputKbps", h.getThroughputKbps());
      nonNegative(problems, "topBitrateKbps", h.getTopBitrateKbps());
      nonNegative(problems, "droppedFrames", h.getDroppedFrames());
      notBlank(problems, "sessionId", h.getSessionId());
      notBlank(problems, "eventId", h.getEventId());
    } else if (event instanceof PlayerRtcp r) {
      if (r.getFractionLost() < 0 || r.getFractionLost() > 255) {
        problems.add(new Violation("fractionLost", OUT_OF_RANGE, "fractionLost " + r.getFractionLost()
            + " is outside 0-255"));
      }
      nonNegative(problems, "jitter", r.getJitter());
      if (r.getClockRate() <= 0) {
        problems.add(new Violation("clockRate", NOT_POSITIVE, "clockRate " + r.getClockRate() + " must be positive"));
      }
      notBlank(problems, "sessionId", r.getSessionId());
      notBlank(problems, "eventId", r.getEventId());
    } else if (event instanceof ServerHealth s) {
      unitInterval(problems, "cpuUtil", s.getCpuUtil());
      unitInterval(problems, "memUtil", s.getMemUtil());
      nonNegative(problems, "diskFreeBytes", s.getDiskFreeBytes());
      nonNegative(problems, "pendingBytes", s.getPendingBytes());
      nonNegative(problems, "activeSessions", s.getActiveSessions());
      notBlank(problems, "serverId", s.getServerId());
    } else {
      throw new IllegalArgumentException("no rules for " + (event == null ? "null" : event.getSchema().getFullName()));
    }
    return problems;
  }

  /** The event time of an input event. */
  public static long eventTime(SpecificRecord event) {
    if (event instanceof PlayerHeartbeat h) {
      return h.getEventTime();
    }
    if (event instanceof PlayerRtcp r) {
      return r.getEventTime();
    }
    if (event instanceof ServerHealth s) {
      return s.getEventTime();
    }
    throw new IllegalArgumentException("no rules for " + (event == null ? "null" : event.getSchema().getFullName()));
  }

  /** The time rule, checked at {@code now}: the event time within the bounds around it. */
  public static Optional<Violation> checkTime(long eventTime, long now, long maxPastMs, long maxFutureMs) {
    if (eventTime < now - maxPastMs || eventTime > now + maxFutureMs) {
      return Optional.of(new Violation("eventTime", IMPLAUSIBLE_TIME, String.format(Locale.ROOT,
          "eventTime %d is %.1f s from the processing time %d", eventTime, (eventTime - now) / 1000.0, now)));
    }
    return Optional.empty();
  }

  private static void nonNegative(List<Violation> problems, String field, Number value) {
    if (value != null && value.doubleValue() < 0) {
      problems.add(new Violation(field, NEGATIVE, field + " " + value + " is negative"));
    }
  }

  private static void unitInterval(List<Violation> problems, String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      problems.add(new Violation(field, OUT_OF_RANGE, field + " " + value + " is outside 0-1"));
    }
  }

  private static void notBlank(List<Violation> problems, String field, String value) {
    if (value == null || value.isBlank()) {
      problems.add(new Violation(field, BLANK, field + " is blank"));
    }
  }
}
