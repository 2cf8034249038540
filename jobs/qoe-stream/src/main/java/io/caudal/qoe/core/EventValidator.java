package io.caudal.qoe.core;

import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.Topics;
import io.caudal.schemas.UnknownSchemaException;
import io.caudal.schemas.validate.EventRules;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decides whether an incoming event may enter the pipeline. A refused event becomes a
 * {@link DeadLetter} that keeps its raw bytes and says why, with the field named: undecodable
 * bytes or an unknown type ({@code malformed}), bytes of a schema version that is neither current nor
 * released ({@code unknown_schema}, the fingerprint in the detail; any released version is read
 * and resolved to the current one), a missing or negative value ({@code invalid}),
 * an event time implausibly far from the processing time ({@code implausible_time}).
 */
public final class EventValidator implements Serializable {
  public static final long DEFAULT_MAX_PAST_MS = EventRules.DEFAULT_MAX_PAST_MS;
  public static final long DEFAULT_MAX_FUTURE_MS = EventRules.DEFAULT_MAX_FUTURE_MS;

  /** The outcome: exactly one of {@code event} and {@code deadLetter} is set. */
  public record Checked(SpecificRecord event, DeadLetter deadLetter) implements Serializable {
    public boolean valid() {
      return event != null;
    }
  }

  private final long maxPastMs;
  private final long maxFutureMs;
  private final NewerSchemas newerSchemas;

  public EventValidator() {
    this(DEFAULT_MAX_PAST_MS, DEFAULT_MAX_FUTURE_MS);
  }

  /**
   * For a replay of history: events may be of any age (that is what a backfill is for), but not
   * from the future.
   */
  public static EventValidator forReplay() {
    return new EventValidator(Long.MAX_VALUE / 2, DEFAULT_MAX_FUTURE_MS);
  }

  public EventValidator(long maxPastMs, long maxFutureMs) {
    this(maxPastMs, maxFutureMs, null);
  }

  private EventValidator(long maxPastMs, long maxFutureMs, NewerSchemas newerSchemas) {
    if (maxPastMs <= 0 || maxFutureMs <= 0) {
      throw new IllegalArgumentException("time bounds must be positive, got " + maxPastMs + " and " + maxFutureMs);
    }
    this.maxPastMs = maxPastMs;
    this.maxFutureMs = maxFutureMs;
    this.newerSchemas = newerSchemas;
  }

  /** This validator, learning from {@code newer} the versions it meets but was not built with. */
  public EventValidator withNewerSchemas(NewerSchemas newer) {
    return new EventValidator(maxPastMs, maxFutureMs, newer);
  }

  /**
   * Decodes and checks one record of {@code topic} (player.heartbeat, player.rtcp or
   * server.health) received at {@code now}.
   */
  public Checked check(String topic, byte[] key, byte[] value, long now) {
    SpecificRecord event;
    try {
      event = decodeLearning(topic, value);
    } catch (UnknownSchemaException e) {
      // Written with a version of the contract that was never released here: perhaps readable
      // once this job knows it, so kept apart from bytes that are plainly broken.
      return refuse(topic, key, value, now, "unknown_schema", e.getMessage());
    } catch (IllegalArgumentException e) {
      return refuse(topic, key, value, now, "malformed", e.getMessage());
    }
    // The rules are schemas' EventRules, which edge applies too before it accepts an event.
    List<String> problems = EventRules.check(event).stream().map(EventRules.Violation::detail).toList();
    if (!problems.isEmpty()) {
      return refuse(topic, key, value, now, "invalid", String.join("; ", problems));
    }
    Optional<EventRules.Violation> time = EventRules.checkTime(EventRules.eventTime(event), now, maxPastMs, maxFutureMs);
    if (time.isPresent()) {
      return refuse(topic, key, value, now, "implausible_time", time.get().detail());
    }
    return new Checked(event, null);
  }

  /** A dead letter for a valid event that arrived after its window closed. */
  public static DeadLetter late(String topic, byte[] key, byte[] value, long now, long eventTime, long watermark) {
    return deadLetter(topic, key, value, now, "late", "eventTime " + eventTime + " is behind the watermark "
        + watermark + " by more than the allowed lateness");
  }

  private static SpecificRecord decode(String topic, byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("no value bytes");
    }
    if (topic.equals(Topics.HEARTBEAT.name())) {
      return JsonAvroCodec.fromBytes(value, PlayerHeartbeat.class);
    }
    if (topic.equals(Topics.RTCP.name())) {
      return JsonAvroCodec.fromBytes(value, PlayerRtcp.class);
    }
    if (topic.equals(Topics.SERVER_HEALTH.name())) {
      return JsonAvroCodec.fromBytes(value, ServerHealth.class);
    }
    throw new IllegalArgumentException("no events are read from topic '" + topic + "'");
  }

  /** Decodes, learning the newer versions once when the fingerprint is unknown, then trying again. */
  private SpecificRecord decodeLearning(String topic, byte[] value) {
    try {
      return decode(topic, value);
    } catch (UnknownSchemaException e) {
      if (newerSchemas == null || !newerSchemas.learnNew()) {
        throw e;
      }
      return decode(topic, value);
    }
  }

  private static Checked refuse(String topic, byte[] key, byte[] value, long now, String reason, String detail) {
    return new Checked(null, deadLetter(topic, key, value, now, reason, detail));
  }

  /** A dead letter: the refused record's raw bytes, a reason code and a detail naming what was wrong. */
  public static DeadLetter deadLetter(String topic, byte[] key, byte[] value, long now, String reason,
      String detail) {
    return DeadLetter.newBuilder().setSourceTopic(topic).setReceivedTime(now).setReason(reason).setDetail(detail)
        .setKey(key == null ? null : ByteBuffer.wrap(key.clone()))
        .setPayload(ByteBuffer.wrap(value == null ? new byte[0] : value.clone()))
        .build();
  }
}
