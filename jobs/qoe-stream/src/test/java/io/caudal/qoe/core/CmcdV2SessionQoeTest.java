package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.SchemaHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

/**
 * A session reported with CMCD version 2 has the same QoE as the same session sent as version 1
 * events. The v2 session is what edge's collector published for dash.js 5 playing a title with CMCD
 * v2 in chromium (edge's {@code CmcdV2BrowserTest} writes it; a copy is kept in
 * {@code src/test/resources/cmcd-v2/heartbeats.jsonl}); its v1 twin is each of those events
 * written with the released PlayerHeartbeat v1 schema, as a player on the older contract sends
 * them, and read back through the codec.
 */
class CmcdV2SessionQoeTest {
  /** The sample title edge's browser test packages is 12 s long. */
  private static final long TITLE_DURATION_MS = 12_000;

  @Test
  void aV2SessionHasTheQoeOfTheSameSessionInV1() throws IOException {
    List<PlayerHeartbeat> v2 = v2Session();
    Schema v1Schema = SchemaHistory.releasesOf("PlayerHeartbeat").get(0).schema();
    List<PlayerHeartbeat> v1 = v2.stream().map(h -> asWrittenWith(h, v1Schema)).toList();

    assertThat(v2).extracting(PlayerHeartbeat::getCmcdVersion).containsOnly(2);
    assertThat(v1).extracting(PlayerHeartbeat::getCmcdVersion).containsOnlyNulls();
    QoeSession fromV2 = qoe(v2);
    QoeSession fromV1 = qoe(v1);

    assertThat(fromV2).isEqualTo(fromV1);
    assertThat(fromV2.getStartupTimeMs()).as("startup measured").isNotNull().isPositive();
    assertThat(fromV2.getAvgBitrateKbps()).as("average bitrate measured").isNotNull().isPositive();
    assertThat(fromV2.getEndReason()).isEqualTo("ended");
  }

  private static QoeSession qoe(List<PlayerHeartbeat> events) {
    SessionQoe session = new SessionQoe();
    events.stream().sorted(Comparator.comparingLong(PlayerHeartbeat::getEventTime)).forEach(session::onHeartbeat);
    return session.result(TITLE_DURATION_MS, "open");
  }

  private static List<PlayerHeartbeat> v2Session() throws IOException {
    try (InputStream in = CmcdV2SessionQoeTest.class.getResourceAsStream("/cmcd-v2/heartbeats.jsonl")) {
      List<PlayerHeartbeat> events = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> !line.isBlank())
          .map(line -> JsonAvroCodec.fromJson(line, PlayerHeartbeat.class)).toList();
      assertThat(events).extracting(PlayerHeartbeat::getType)
          .contains(HeartbeatType.PLAY_REQUESTED, HeartbeatType.STARTED, HeartbeatType.ENDED);
      return events;
    }
  }

  /** The event as a producer on {@code schema} writes it, read by this job's codec. */
  private static PlayerHeartbeat asWrittenWith(PlayerHeartbeat event, Schema schema) {
    GenericData.Record old = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      Object value = event.get(event.getSchema().getField(field.name()).pos());
      old.put(field.name(), value instanceof Enum<?> e
          ? new GenericData.EnumSymbol(field.schema(), e.name()) : value instanceof CharSequence s ? s.toString() : value);
    }
    return JsonAvroCodec.fromBytes(JsonAvroCodec.toBytes(old), PlayerHeartbeat.class);
  }
}
