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
    long watermark = Lateness.watermark(eventTimestamp, outOfOrdernessMs);
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
