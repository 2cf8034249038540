package io.caudal.edge.collect;

import com.fasterxml.jackson.databind.JsonNode;
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

  private EventBatch() {}

  /**
   * @param nowMillis the time event times are checked against
   * @throws IllegalArgumentException naming the problem and the event's index
   */
  public static List<PlayerHeartbeat> parse(String body, long nowMillis) {
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
      return List.of(one(events, -1, nowMillis));
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
      out.add(one(events.get(i), i, nowMillis));
    }
    return out;
  }

  private static PlayerHeartbeat one(JsonNode node, int index, long nowMillis) {
    String where = index < 0 ? "event" : "events[" + index + "]";
    PlayerHeartbeat event;
    try {
      event = JsonAvroCodec.fromJson(node.toString(), PlayerHeartbeat.class);
    } catch (InvalidRecordException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    check(event, nowMillis, where);
    return event;
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
