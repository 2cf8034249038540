package io.caudal.edge.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fuzz targets for what turns a collector request's bytes into heartbeats: {@link EventBatch}
 * ({@code /v1/events}), {@link Cmcd} lists (the {@code CMCD=} query argument and headers, and CMCD
 * v2 event-mode lines), {@link CmcdJson}, each followed by {@link CmcdHeartbeats} and the checks
 * the collector applies. Whatever arrives is either refused cleanly, with an
 * {@link IllegalArgumentException} that says why (the collector's 400), or becomes heartbeats that
 * pass {@link EventBatch#check}, carry what edge stamps, and re-encode and decode to themselves.
 * Any other exception, or a hang, is a finding.
 *
 * <p>In a normal build each target replays its inputs in {@code src/test/resources/io/caudal/edge/
 * collect/CollectorFuzzTestInputs/<target>/}; with {@code JAZZER_FUZZ=1} (the build's {@code fuzz}
 * profile) Jazzer fuzzes one target for its {@code maxDuration}.
 */
class CollectorFuzzTest {

  /** The collector's clock for every input: seeds' event times are near it. */
  static final long NOW = 1_760_000_000_000L;
  static final EventBatch.Stamp STAMP = new EventBatch.Stamp("viewer-1", "title-1", "edge-a", "eu-west");

  @FuzzTest(maxDuration = "30s")
  void eventBatch(byte[] input) {
    List<PlayerHeartbeat> batch;
    try {
      batch = EventBatch.parse(new String(input, StandardCharsets.UTF_8), NOW, STAMP);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(EventBatch.MAX_EVENTS);
    batch.forEach(CollectorFuzzTest::assertAccepted);
  }

  /** One CMCD list, as the query argument of a media request or of {@code GET /v1/cmcd}. */
  @FuzzTest(maxDuration = "30s")
  void cmcdRequest(byte[] input) {
    String query = new String(input, StandardCharsets.UTF_8);
    Map<String, Object> keys;
    try {
      keys = Cmcd.ofRequest(query, name -> null);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).startsWith("CMCD: ");
      return;
    }
    mapAndCheck(keys.isEmpty() ? List.of() : List.of(keys));
  }

  /** A CMCD v2 event-mode body ({@code application/cmcd}): one report per line. */
  @FuzzTest(maxDuration = "30s")
  void cmcdEventLines(byte[] input) {
    List<Map<String, Object>> reports;
    try {
      reports = Cmcd.parseLines(new String(input, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).startsWith("line ");
      return;
    }
    mapAndCheck(reports);
  }

  /** A CMCD JSON body: an object of CMCD keys or an array of them. */
  @FuzzTest(maxDuration = "30s")
  void cmcdJson(byte[] input) {
    List<Map<String, Object>> reports;
    try {
      reports = CmcdJson.parse(new String(input, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    mapAndCheck(reports);
  }

  /** Maps reports in order as the collector does, each either refused or accepted whole. */
  private static void mapAndCheck(List<Map<String, Object>> reports) {
    CmcdHeartbeats.SessionState state = CmcdHeartbeats.SessionState.NEW;
    for (Map<String, Object> report : reports) {
      PlayerHeartbeat heartbeat;
      try {
        heartbeat = CmcdHeartbeats.toHeartbeat(report, STAMP.userId(), STAMP.titleId(), STAMP.serverId(),
            STAMP.region(), NOW, state);
        EventBatch.check(heartbeat, NOW, "report");
      } catch (IllegalArgumentException refused) {
        assertThat(refused.getMessage()).isNotBlank();
        return;
      }
      state = state.after(heartbeat);
      assertAccepted(heartbeat);
    }
  }

  private static void assertAccepted(PlayerHeartbeat event) {
    assertThat(event.getUserId()).isEqualTo(STAMP.userId());
    assertThat(event.getTitleId()).isEqualTo(STAMP.titleId());
    assertThat(event.getServerId()).isEqualTo(STAMP.serverId());
    assertThat(event.getRegion()).isEqualTo(STAMP.region());
    EventBatch.check(event, NOW, "event");
    assertThat(JsonAvroCodec.fromBytes(JsonAvroCodec.toBytes(event), PlayerHeartbeat.class)).isEqualTo(event);
    assertThat(JsonAvroCodec.fromJson(JsonAvroCodec.toJson(event), PlayerHeartbeat.class)).isEqualTo(event);
  }
}
