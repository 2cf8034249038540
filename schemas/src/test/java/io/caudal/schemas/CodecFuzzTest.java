package io.caudal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Fuzz targets for {@link JsonAvroCodec}: whatever bytes arrive, the codec either refuses them
 * cleanly ({@link InvalidRecordException}, of which {@link UnknownSchemaException} is one) or
 * returns a record that writes and reads back to itself, as JSON and as single-object bytes. Any
 * other exception, or a hang, is a finding.
 *
 * <p>In a normal build each target replays its inputs in {@code src/test/resources/io/caudal/schemas/
 * CodecFuzzTestInputs/<target>/} (valid records, near misses, and every input a fuzzing run found);
 * with {@code JAZZER_FUZZ=1} (the build's {@code fuzz} profile) Jazzer fuzzes one target for its
 * {@code maxDuration}.
 */
class CodecFuzzTest {

  /** The contracts a byte-level reader may meet: every topic's value and every table's row. */
  private static final List<Class<? extends SpecificRecord>> CONTRACTS = SchemaHistory.currentClasses().values()
      .stream().sorted((a, b) -> a.getName().compareTo(b.getName())).toList();

  /** The body of a player event, as edge's collector hands it to the codec. */
  @FuzzTest(maxDuration = "30s")
  void heartbeatJson(byte[] input) {
    String json = new String(input, StandardCharsets.UTF_8);
    PlayerHeartbeat event;
    try {
      event = JsonAvroCodec.fromJson(json, PlayerHeartbeat.class);
    } catch (InvalidRecordException refused) {
      assertThat(refused.getMessage()).startsWith("PlayerHeartbeat");
      return;
    }
    assertRoundTrips(event, PlayerHeartbeat.class);
  }

  /** Any contract's JSON: the first byte picks the contract. */
  @FuzzTest(maxDuration = "30s")
  void anyContractJson(FuzzedDataProvider data) {
    Class<? extends SpecificRecord> type = data.pickValue(CONTRACTS);
    String json = data.consumeRemainingAsString();
    SpecificRecord record;
    try {
      record = JsonAvroCodec.fromJson(json, type);
    } catch (InvalidRecordException refused) {
      return;
    }
    assertRoundTrips(record, type);
  }

  /** Single-object bytes off a Kafka topic, of whichever contract their fingerprint names. */
  @FuzzTest(maxDuration = "30s")
  void singleObjectBytes(byte[] input) {
    SpecificRecord record;
    try {
      record = JsonAvroCodec.fromBytes(input);
    } catch (InvalidRecordException refused) {
      return;
    }
    assertRoundTrips(record, record.getClass());
  }

  private static <T extends SpecificRecord> void assertRoundTrips(SpecificRecord record, Class<T> type) {
    assertThat(JsonAvroCodec.fromJson(JsonAvroCodec.toJson(record), type)).isEqualTo(record);
    assertThat(JsonAvroCodec.fromBytes(JsonAvroCodec.toBytes(record), type)).isEqualTo(record);
  }
}
