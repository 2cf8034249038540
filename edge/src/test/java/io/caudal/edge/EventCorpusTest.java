package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caudal.edge.collect.EventBatch;
import io.caudal.testing.EventCorpus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared validation corpus of schemas ({@code validate/player-heartbeat-corpus.jsonl}) through
 * the collector's parsing, as {@code POST /v1/events} reads a batch. qoe-stream's
 * {@code EventValidatorCorpusTest} checks the same cases as the job reads them: what edge accepts,
 * the job keeps; what edge refuses is named by index, field and rule.
 */
class EventCorpusTest {

  /** The corpus's events are the user u-1's, of title t-1. */
  static final EventBatch.Stamp STAMP = new EventBatch.Stamp("u-1", "t-1", "edge-1", "eu-west");
  @Test
  void acceptsExactlyWhatTheJobKeepsAndNamesIndexFieldAndRuleOfTheRest() {
    long now = System.currentTimeMillis();
    List<JsonNode> cases = EventCorpus.cases();
    assertThat(cases).hasSizeGreaterThan(10);
    for (JsonNode c : cases) {
      ObjectNode event = (ObjectNode) c.get("event");
      if (c.has("eventTimeOffsetMs")) {
        event.put("eventTime", now + c.get("eventTimeOffsetMs").asLong());
      }
      String name = c.get("case").asText();
      String batch = "[" + event + "," + event + "]";
      if (c.get("expect").isTextual()) {
        assertThat(EventBatch.parse(batch, now, STAMP)).as(name).hasSize(2);
      } else {
        String field = c.get("expect").get("field").asText();
        String rule = c.get("expect").get("rule").asText();
        assertThatThrownBy(() -> EventBatch.parse(batch, now, STAMP)).as(name).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("events[0]." + field + ": " + rule + ": ");
      }
    }
  }

  @Test
  void refusesContentAfterTheBatch() {
    long now = System.currentTimeMillis();
    String one = "{\"eventId\":\"e\",\"sessionId\":\"s\",\"userId\":\"u-1\",\"titleId\":\"t-1\",\"eventTime\":" + now
        + ",\"type\":\"HEARTBEAT\",\"serverId\":\"x\",\"region\":\"r\",\"isp\":\"i\",\"device\":\"d\",\"playheadMs\":0}";
    assertThat(EventBatch.parse(one, now, STAMP)).hasSize(1);
    for (String body : List.of(one + one, one + "xyz", one + "\n" + one + "\n", "[" + one + "]]", one + " {")) {
      assertThatThrownBy(() -> EventBatch.parse(body, now, STAMP)).as(body).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("malformed JSON: ");
    }
    assertThatThrownBy(() -> EventBatch.parse(one.replace("{", "{\"playheadMs\":5,"), now, STAMP))
        .hasMessageContaining("Duplicate field 'playheadMs'");
  }
}
