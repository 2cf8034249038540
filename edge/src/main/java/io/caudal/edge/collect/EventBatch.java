package io.caudal.edge.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.schemas.InvalidRecordException;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of {@code POST /v1/events}: one player.heartbeat object, an array of them, or
 * {@code {"events": [...]}}, at most {@link #MAX_EVENTS}. Every event is checked before any is
 * sent, so a batch is refused whole with the first problem named.
 */
public final class EventBatch {

  public static final int MAX_EVENTS = 1000;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private EventBatch() {}

  /** @throws IllegalArgumentException naming the problem and the event's index */
  public static List<PlayerHeartbeat> parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
    }
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
      return List.of(one(events, -1));
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
      out.add(one(events.get(i), i));
    }
    return out;
  }

  private static PlayerHeartbeat one(JsonNode node, int index) {
    try {
      return JsonAvroCodec.fromJson(node.toString(), PlayerHeartbeat.class);
    } catch (InvalidRecordException e) {
      throw new IllegalArgumentException((index < 0 ? "" : "events[" + index + "]: ") + e.getMessage());
    }
  }
}
