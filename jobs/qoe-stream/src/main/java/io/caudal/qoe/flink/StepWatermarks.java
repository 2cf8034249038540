package io.caudal.qoe.flink;

import io.caudal.qoe.core.Lateness;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks emitted as events arrive, in {@link Lateness#STEP_MS} steps.
 * Emitting on the event (not on a wall-clock period) makes the watermark a function of the events
 * seen so far, so whether an event is late does not depend on the machine's speed, and a replay of
 * the same events judges lateness as the live run did; the step keeps it to a few watermarks per
 * second of event time.
 *
 * <p>An event stamped ahead of the processing clock moves the watermark only to the processing
 * clock ({@link Lateness#clockTime}): no client's clock can push it past the others' events. Events
 * of the past, a replay's included, are never ahead, so this does not make a replay's watermark
 * depend on the machine's speed.
 */
final class StepWatermarks<T> implements WatermarkGenerator<T> {
  private final long outOfOrdernessMs;
  private long emitted = Long.MIN_VALUE;

  StepWatermarks(long outOfOrdernessMs) {
    this.outOfOrdernessMs = outOfOrdernessMs;
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    if (eventTimestamp == Long.MIN_VALUE) {
      return; // a refused record has no event time
    }
    long watermark = Lateness.watermark(Lateness.clockTime(eventTimestamp, System.currentTimeMillis()),
        outOfOrdernessMs);
    if (watermark > emitted) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    // Watermarks follow the events only.
  }
}
