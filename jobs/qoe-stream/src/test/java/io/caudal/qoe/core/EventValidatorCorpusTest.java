package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.testing.EventCorpus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared validation corpus of schemas ({@code validate/player-heartbeat-corpus.jsonl}) as the job
 * reads it: Avro bytes on player.heartbeat, checked by {@link EventValidator}. Edge's
 * {@code EventCorpusTest} pushes the same cases through its collector, so what edge accepts the job
 * keeps, and what edge refuses the job would dead-letter.
 */
class EventValidatorCorpusTest {

  static final long NOW = 1_764_000_000_000L;
  @Test
  void keepsWhatTheCorpusAcceptsAndDeadLettersTheRestNamingTheField() {
    EventValidator validator = new EventValidator();
    List<JsonNode> cases = EventCorpus.cases();
    assertThat(cases).hasSizeGreaterThan(10);
    for (JsonNode c : cases) {
      ObjectNode event = (ObjectNode) c.get("event");
      if (c.has("eventTimeOffsetMs")) {
        event.put("eventTime", NOW + c.get("eventTimeOffsetMs").asLong());
      }
      byte[] bytes = JsonAvroCodec.toBytes(JsonAvroCodec.fromJson(event.toString(), PlayerHeartbeat.class));
      EventValidator.Checked checked = validator.check("player.heartbeat", null, bytes, NOW);
      String name = c.get("case").asText();
      if (c.get("expect").isTextual()) {
        assertThat(checked.valid()).as(name).isTrue();
      } else {
        DeadLetter dead = checked.deadLetter();
        assertThat(dead).as(name).isNotNull();
        String rule = c.get("expect").get("rule").asText();
        assertThat(dead.getReason()).as(name).isEqualTo(rule.equals("implausible_time") ? rule : "invalid");
        assertThat(dead.getDetail()).as(name).startsWith(c.get("expect").get("field").asText() + " ");
      }
    }
  }
}
