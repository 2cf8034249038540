package io.caudal.qoe.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caudal.qoe.core.EventValidator;
import io.caudal.qoe.core.Lateness;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A replay file's lines → the records the live topics would have carried: each line is an event
 * in the JSON interchange form plus a {@code topic} field, turned into the same Avro bytes and key
 * a producer would have sent and checked as the live source checks records, so the rest of the
 * pipeline cannot tell a replay from a live run. A line that is not such an event becomes a dead
 * letter saying why.
 */
public final class ReplayLines extends ProcessFunction<String, Input> {
  private static final String REPLAY = "replay";

  private final EventValidator validator;
  private final Lateness lateness;
  private transient ObjectMapper json;

  /** @param outOfOrderness how far behind its topic's newest event an event may be before it is late */
  public ReplayLines(EventValidator validator, Duration outOfOrderness) {
    this.validator = validator;
    this.lateness = new Lateness(outOfOrderness.toMillis());
  }

  @Override
  public void processElement(String line, Context ctx, Collector<Input> out) {
    if (line.isBlank()) {
      return;
    }
    if (json == null) {
      json = new ObjectMapper();
    }
    String topicName = REPLAY;
    try {
      JsonNode node = json.readTree(line);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException("a line must be a JSON object");
      }
      JsonNode topicField = object.remove("topic");
      if (topicField == null || !topicField.isTextual()) {
        throw new IllegalArgumentException("no \"topic\" field naming the event's topic");
      }
      topicName = topicField.asText();
      Optional<Topic<?>> topic = Topics.byName(topicName);
      if (topic.isEmpty()) {
        throw new IllegalArgumentException("unknown topic '" + topicName + "'");
      }
      SpecificRecord event = JsonAvroCodec.fromJson(json.writeValueAsString(object), topic.get().valueClass());
      byte[] key = key(topic.get(), event);
      byte[] value = JsonAvroCodec.toBytes(event);
      long now = ctx.timerService().currentProcessingTime();
      // Each topic of the file stands for one partition: lateness is judged in its own order.
      out.collect(Input.of(validator.check(topicName, key, value, now), lateness, topicName, topicName, key, value,
          now));
    } catch (Exception e) {
      out.collect(new Input(null, EventValidator.deadLetter(topicName, null, line.getBytes(StandardCharsets.UTF_8),
          ctx.timerService().currentProcessingTime(), "malformed", String.valueOf(e.getMessage()))));
    }
  }

  @SuppressWarnings("unchecked")
  private static <V extends SpecificRecord> byte[] key(Topic<V> topic, SpecificRecord event) {
    return topic.keyOf((V) event);
  }
}
