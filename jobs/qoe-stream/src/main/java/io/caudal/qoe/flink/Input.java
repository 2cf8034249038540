package io.caudal.qoe.flink;

import io.caudal.qoe.core.EventValidator;
import io.caudal.qoe.core.Lateness;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;

/**
 * One input record once checked where it was read: a valid event, or the dead letter saying why
 * it was refused. Checking at the source lets each Kafka partition carry its own watermark.
 */
public record Input(Event event, DeadLetter deadLetter) {

  /**
   * A checked record, refused when it is stamped too far ahead of the processing clock (so no
   * client's clock can make the others' events late) or is behind its partition's watermark.
   *
   * @param partition where it was read (a Kafka topic and partition, a replay file's topic)
   */
  static Input of(EventValidator.Checked checked, Lateness lateness, String partition, String topic, byte[] key,
      byte[] value, long now) {
    return of(checked, lateness, partition, topic, key, value, now, now);
  }

  /**
   * As above, judged against {@code clock}: when the record reached Kafka, a time the client
   * that stamped the event does not set (see {@link Lateness}).
   */
  static Input of(EventValidator.Checked checked, Lateness lateness, String partition, String topic, byte[] key,
      byte[] value, long now, long clock) {
    Input input = of(checked);
    if (input.event() == null) {
      return input;
    }
    long eventTime = input.eventTime();
    if (lateness.isTooFarAhead(eventTime, clock)) {
      return new Input(null, EventValidator.deadLetter(topic, key, value, now, "ahead_of_clock", "eventTime "
          + eventTime + " is " + (eventTime - clock) + " ms ahead of " + clock + " (when it reached Kafka, or was "
          + "read), more than the " + lateness.maxAheadMs() + " ms allowed"));
    }
    long watermark = lateness.lateAgainst(partition, eventTime, clock);
    return watermark == Long.MIN_VALUE ? input
        : new Input(null, EventValidator.late(topic, key, value, now, eventTime, watermark));
  }

  private static Input of(EventValidator.Checked checked) {
    if (!checked.valid()) {
      return new Input(null, checked.deadLetter());
    }
    if (checked.event() instanceof PlayerHeartbeat heartbeat) {
      return new Input(new Event(heartbeat, null, null), null);
    }
    if (checked.event() instanceof PlayerRtcp rtcp) {
      return new Input(new Event(null, rtcp, null), null);
    }
    return new Input(new Event(null, null, (ServerHealth) checked.event()), null);
  }

  /** A server's health report: it travels with the servers' clock, not the players'. */
  public boolean isServerHealth() {
    return event != null && event.health() != null;
  }

  /** The event time of a valid event; a refused record has none and never moves the watermark. */
  public long eventTime() {
    return event != null ? event.eventTime() : Long.MIN_VALUE;
  }
}
