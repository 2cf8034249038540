package io.caudal.edge.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caudal.schemas.InvalidRecordException;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.validate.EventRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the body of {@code POST /v1/events}: one player.heartbeat object, an array of them, or
 * {@code {"events": [...]}}, at most {@link #MAX_EVENTS}, and nothing after it. Every event is
 * checked before any is sent, so a batch is refused whole with the first problem named: by the
 * schema, then by schemas' {@link EventRules}, the rules qoe-stream applies, so an event edge
 * accepts is never dead-lettered for its content.
 *
 * <p>What the client cannot know or must not choose is stamped by edge ({@link Stamp}): the server
 * and region are this server's, the user and title its playback grant's (a body naming another
 * user or title is refused). Edge also bounds the free-text fields (ids, ISP, device, error code)
 * in length and refuses control characters in them.
 */
public final class EventBatch {

  public static final int MAX_EVENTS = 1000;
  /**
   * Edge accepts events a little less old than the job does: an event may spend up to this long in
   * Kafka before the job reads it and still be on time there.
   */
  public static final long TRANSIT_ALLOWANCE_MS = 3_600_000L;
  public static final long MAX_PAST_MS = EventRules.DEFAULT_MAX_PAST_MS - TRANSIT_ALLOWANCE_MS;
  public static final long MAX_FUTURE_MS = EventRules.DEFAULT_MAX_FUTURE_MS;
  /** Ids are UUIDs or shorter; an ISP or device name is a few words. */
  public static final int MAX_TEXT_LENGTH = 128;

  /**
   * What edge writes into every event itself.
   *
   * @param userId the user of the request's playback grant
   * @param titleId the title of the request's playback grant
   * @param serverId this server
   * @param region this server's region
   */
  public record Stamp(String userId, String titleId, String serverId, String region) {}

  private EventBatch() {}

  /**
   * @param nowMillis the time event times are checked against
   * @throws IllegalArgumentException naming the problem and the event's index
   */
  public static List<PlayerHeartbeat> parse(String body, long nowMillis, Stamp stamp) {
    JsonNode root = StrictJson.read(body);
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("empty body: expected an event, an array of events or {\"events\": [...]}");
    }
    JsonNode events = root;
    if (root.isObject() && root.size() == 1 && root.has("events")) {
      events = root.get("events");
      if (!events.isArray()) {
        throw new IllegalArgumentException("events must be an array");
      }
    }
    if (events.isObject()) {
      return List.of(one(events, -1, nowMillis, stamp));
    }
    if (!events.isArray()) {
      throw new IllegalArgumentException("expected an event, an array of events or {\"events\": [...]}");
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("no events in the batch");
    }
    if (events.size() > MAX_EVENTS) {
      throw new IllegalArgumentException("a batch holds at most " + MAX_EVENTS + " events, got " + events.size());
    }
    List<PlayerHeartbeat> out = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      out.add(one(events.get(i), i, nowMillis, stamp));
    }
    return out;
  }

  private static PlayerHeartbeat one(JsonNode node, int index, long nowMillis, Stamp stamp) {
    String where = index < 0 ? "event" : "events[" + index + "]";
    if (!(node instanceof ObjectNode fields)) {
      throw new IllegalArgumentException(where + ": expected an event object");
    }
    granted(fields, "userId", stamp.userId(), where);
    granted(fields, "titleId", stamp.titleId(), where);
    fields.put("userId", stamp.userId()).put("titleId", stamp.titleId())
        .put("serverId", stamp.serverId()).put("region", stamp.region());
    PlayerHeartbeat event;
    try {
      event = JsonAvroCodec.fromJson(fields.toString(), PlayerHeartbeat.class);
    } catch (InvalidRecordException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    bounded(where, "eventId", event.getEventId());
    bounded(where, "sessionId", event.getSessionId());
    bounded(where, "isp", event.getIsp());
    bounded(where, "device", event.getDevice());
    bounded(where, "errorCode", event.getErrorCode());
    check(event, nowMillis, where);
    return event;
  }

  /** A field the grant fixes: absent, or the grant's value. */
  private static void granted(ObjectNode fields, String field, String grantedValue, String where) {
    JsonNode given = fields.get(field);
    if (given != null && !given.isNull() && !given.asText().equals(grantedValue)) {
      throw new IllegalArgumentException(where + "." + field + ": not_granted: the playback token is for "
          + field.replace("Id", "") + " " + grantedValue);
    }
  }

  private static void bounded(String where, String field, String value) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(where + "." + field + ": too_long: at most " + MAX_TEXT_LENGTH
          + " characters, got " + value.length());
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(where + "." + field + ": control_characters: none allowed");
    }
  }

  /**
   * Checks an event by {@link EventRules}, as qoe-stream will.
   *
   * @param where how the message names the event, e.g. {@code events[3]}
   * @throws IllegalArgumentException {@code <where>.<field>: <rule>: <detail>} for the first rule broken
   */
  public static void check(PlayerHeartbeat event, long nowMillis, String where) {
    List<EventRules.Violation> broken = EventRules.check(event);
    Optional<EventRules.Violation> first = broken.isEmpty()
        ? EventRules.checkTime(event.getEventTime(), nowMillis, MAX_PAST_MS, MAX_FUTURE_MS)
        : Optional.of(broken.get(0));
    if (first.isPresent()) {
      EventRules.Violation v = first.get();
      throw new IllegalArgumentException(where + "." + v.field() + ": " + v.rule() + ": " + v.detail());
    }
  }
}
