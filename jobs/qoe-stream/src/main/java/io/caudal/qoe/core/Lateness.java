package io.caudal.qoe.core;

import io.caudal.schemas.validate.EventRules;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Event time's bookkeeping per input partition: the watermark that the events read so far imply
 * (bounded out-of-orderness, in steps of {@link #STEP_MS}), and whether an event is late against
 * it. Judging lateness where the partition is read, by the partition's own order, makes it a
 * property of the input rather than of how fast each partition happened to be read, so a replay
 * refuses the same events as the live run. (After a restart the bookkeeping starts again from the
 * records read since the checkpoint.)
 *
 * <p>Event time is the clients' word, and one client must not be able to make every other
 * client's events late. Each event is judged against a clock the client does not set: the time
 * its record reached Kafka (the producer's timestamp, set by edge or the simulator when they
 * forward it) but never later than the processing time (a server producing its own reports with
 * a clock ahead is held to the job's), or, for a replay file, the processing time. An event stamped more than
 * {@code maxAheadMs} ahead of that clock is refused outright ({@link #isTooFarAhead}), and one
 * stamped ahead by less counts, for the watermark, as stamped at that clock ({@link #clockTime}).
 * So the watermark never runs ahead of when the events reached Kafka, whatever a client sends,
 * and this holds as well for a backlog read hours later as for events read as they come.
 */
public final class Lateness implements Serializable {
  /** Watermarks advance in 100 ms steps: a few per second of event time, not one per event. */
  public static final long STEP_MS = 100;
  /**
   * Clocks of synchronised devices agree within a second; 30 s ahead is a clock to distrust, and
   * the most a session with such a clock waits for the watermark to reach its events.
   */
  public static final long DEFAULT_MAX_AHEAD_MS = EventRules.DEFAULT_MAX_FUTURE_MS;

  private final long outOfOrdernessMs;
  private final long maxAheadMs;
  private final Map<String, Long> newest = new HashMap<>();

  public Lateness(long outOfOrdernessMs) {
    this(outOfOrdernessMs, DEFAULT_MAX_AHEAD_MS);
  }

  public Lateness(long outOfOrdernessMs, long maxAheadMs) {
    if (outOfOrdernessMs < 0 || maxAheadMs < 0) {
      throw new IllegalArgumentException("bounds must not be negative, got " + outOfOrdernessMs + " and " + maxAheadMs);
    }
    this.outOfOrdernessMs = outOfOrdernessMs;
    this.maxAheadMs = maxAheadMs;
  }

  /** The watermark implied by the newest event time seen: nothing at or before it is expected any more. */
  public static long watermark(long newestEventTime, long outOfOrdernessMs) {
    return Math.floorDiv(newestEventTime - outOfOrdernessMs, STEP_MS) * STEP_MS - 1;
  }

  /** The time an event stands for in the watermark: its event time, but never later than its clock. */
  public static long clockTime(long eventTime, long now) {
    return Math.min(eventTime, now);
  }

  /** Whether an event stamped {@code eventTime} runs too far ahead of its {@code clock} to be taken. */
  public boolean isTooFarAhead(long eventTime, long clock) {
    return eventTime > clock + maxAheadMs;
  }

  public long maxAheadMs() {
    return maxAheadMs;
  }

  /**
   * The watermark an event of {@code partition} at {@code eventTime} is late against, or
   * {@code Long.MIN_VALUE} when it is on time; an on-time event moves its partition's newest time,
   * to at most its {@code clock}.
   */
  public long lateAgainst(String partition, long eventTime, long clock) {
    Long seen = newest.get(partition);
    if (seen != null) {
      long watermark = watermark(seen, outOfOrdernessMs);
      if (eventTime <= watermark) {
        return watermark;
      }
    }
    long time = clockTime(eventTime, clock);
    if (seen == null || time > seen) {
      newest.put(partition, time);
    }
    return Long.MIN_VALUE;
  }
}
