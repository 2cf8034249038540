package io.caudal.qoe.core;

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
 */
public final class Lateness implements Serializable {
  /** Watermarks advance in 100 ms steps: a few per second of event time, not one per event. */
  public static final long STEP_MS = 100;

  private final long outOfOrdernessMs;
  private final Map<String, Long> newest = new HashMap<>();

  public Lateness(long outOfOrdernessMs) {
    this.outOfOrdernessMs = outOfOrdernessMs;
  }

  /** The watermark implied by the newest event time seen: nothing at or before it is expected any more. */
  public static long watermark(long newestEventTime, long outOfOrdernessMs) {
    return Math.floorDiv(newestEventTime - outOfOrdernessMs, STEP_MS) * STEP_MS - 1;
  }

  /**
   * The watermark an event of {@code partition} at {@code eventTime} is late against, or
   * {@code Long.MIN_VALUE} when it is on time; an on-time event moves its partition's newest time.
   */
  public long lateAgainst(String partition, long eventTime) {
    Long seen = newest.get(partition);
    if (seen != null) {
      long watermark = watermark(seen, outOfOrdernessMs);
      if (eventTime <= watermark) {
        return watermark;
      }
    }
    if (seen == null || eventTime > seen) {
      newest.put(partition, eventTime);
    }
    return Long.MIN_VALUE;
  }
}
