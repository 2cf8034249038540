package io.caudal.schemas.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules on the shared corpus ({@code validate/player-heartbeat-corpus.jsonl}, which edge's and
 * qoe-stream's tests read too), and on the other two input types.
 */
class EventRulesTest {

  static final long NOW = 1_764_000_000_000L;
  static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void decidesEveryCaseOfTheCorpusAsItExpects() throws IOException {
    List<JsonNode> cases = corpus();
    assertThat(cases).hasSizeGreaterThan(10);
    for (JsonNode c : cases) {
      ObjectNode event = (ObjectNode) c.get("event");
      if (c.has("eventTimeOffsetMs")) {
        event.put("eventTime", NOW + c.get("eventTimeOffsetMs").asLong());
      }
      PlayerHeartbeat heartbeat = JsonAvroCodec.fromJson(event.toString(), PlayerHeartbeat.class);
      List<EventRules.Violation> found = new ArrayList<>(EventRules.check(heartbeat));
      EventRules.checkTime(EventRules.eventTime(heartbeat), NOW, EventRules.DEFAULT_MAX_PAST_MS,
          EventRules.DEFAULT_MAX_FUTURE_MS).ifPresent(found::add);
      String name = c.get("case").asText();
      if (c.get("expect").isTextual()) {
        assertThat(found).as(name).isEmpty();
      } else {
        assertThat(found).as(name).extracting(EventRules.Violation::field, EventRules.Violation::rule)
            .containsExactly(tuple(c.get("expect").get("field").asText(),
                c.get("expect").get("rule").asText()));
      }
    }
  }

  @Test
  void checksRtcpAndHealthReportsByTheirOwnRules() {
    PlayerRtcp rtcp = new PlayerRtcp();
    rtcp.setEventId("r1");
    rtcp.setSessionId("");
    rtcp.setFractionLost(300);
    rtcp.setJitter(-1L);
    rtcp.setClockRate(0);
    assertThat(EventRules.check(rtcp)).extracting(EventRules.Violation::field)
        .containsExactly("fractionLost", "jitter", "clockRate", "sessionId");
    ServerHealth health = new ServerHealth();
    health.setServerId("edge-1");
    health.setCpuUtil(1.5);
    health.setMemUtil(0.5);
    health.setDiskFreeBytes(-1L);
    health.setPendingBytes(0L);
    health.setActiveSessions(0);
    assertThat(EventRules.check(health)).extracting(EventRules.Violation::detail)
        .containsExactly("cpuUtil 1.5 is outside 0-1", "diskFreeBytes -1 is negative");
  }

  @Test
  void refusesToJudgeWhatIsNotAnInputEvent() {
    CatalogEntry entry = new CatalogEntry();
    assertThatThrownBy(() -> EventRules.check(entry)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no rules for io.caudal.schemas.CatalogEntry");
  }

  static List<JsonNode> corpus() throws IOException {
    List<JsonNode> cases = new ArrayList<>();
    try (InputStream in = EventRulesTest.class.getResourceAsStream("/validate/player-heartbeat-corpus.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          cases.add(JSON.readTree(line));
        }
      }
    }
    return cases;
  }
}
