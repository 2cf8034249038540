package io.caudal.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** Bytes written with another version of a contract than the reader's are resolved, not refused. */
class JsonAvroCodecEvolutionTest {

  /** PlayerHeartbeat as it would have been before {@code droppedFrames} was added. */
  private static final Schema OLDER = edited(PlayerHeartbeat.getClassSchema(),
      "{\"name\":\"droppedFrames\",\"type\":[\"null\",\"int\"],\"doc\":\"Frames dropped since the session started "
          + "(cumulative).\",\"default\":null},", "");
  /** PlayerHeartbeat as a later release might be: one optional field more. */
  private static final Schema NEWER = edited(PlayerHeartbeat.getClassSchema(), "]}",
      ",{\"name\":\"audioLanguage\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

  @Test
  void readsServerHealthOfReleasedVersionOneAsTheCurrentVersion() {
    Schema v1 = SchemaHistory.releasesOf("ServerHealth").get(0).schema();
    ServerHealth sample = Samples.serverHealth();
    byte[] bytes = JsonAvroCodec.toBytes(copy(sample, v1));

    ServerHealth read = JsonAvroCodec.fromBytes(bytes, ServerHealth.class);

    assertThat(read.getPublicUrl()).isNull();
    read.setPublicUrl(sample.getPublicUrl());
    assertThat(read).isEqualTo(sample);
  }

  @Test
  void aReaderOfVersionOneReadsTheCurrentServerHealth() {
    Schema v1 = SchemaHistory.releasesOf("ServerHealth").get(0).schema();

    GenericRecord read = JsonAvroCodec.fromBytes(JsonAvroCodec.toBytes(Samples.serverHealth()), v1);

    assertThat(read.getSchema().getField("publicUrl")).isNull();
    assertThat(read.get("serverId")).hasToString("edge-eu-1");
  }

  @Test
  void readsBytesOfAnOlderVersionWithTheNewFieldAtItsDefault() {
    JsonAvroCodec.learn(OLDER);
    PlayerHeartbeat sample = Samples.heartbeat();
    byte[] bytes = JsonAvroCodec.toBytes(copy(sample, OLDER));

    PlayerHeartbeat read = JsonAvroCodec.fromBytes(bytes, PlayerHeartbeat.class);

    assertThat(sample.getDroppedFrames()).isNotNull();
    assertThat(read.getDroppedFrames()).isNull();
    read.setDroppedFrames(sample.getDroppedFrames());
    assertThat(read).isEqualTo(sample);
    assertThat(JsonAvroCodec.fromBytes(bytes)).isInstanceOf(PlayerHeartbeat.class);
  }

  @Test
  void readsBytesOfANewerVersionWithoutTheFieldItDoesNotKnow() {
    JsonAvroCodec.learn(NEWER);
    PlayerHeartbeat sample = Samples.heartbeat();
    GenericRecord newer = copy(sample, NEWER);
    newer.put("audioLanguage", "en");
    byte[] bytes = JsonAvroCodec.toBytes(newer);

    assertThat(JsonAvroCodec.fromBytes(bytes, PlayerHeartbeat.class)).isEqualTo(sample);
    assertThat(JsonAvroCodec.fromBytes(bytes, PlayerHeartbeat.getClassSchema()).get("eventId"))
        .isEqualTo(sample.getEventId());
  }

  @Test
  void avrosOwnMessageDecoderResolvesWithTheCodecsStore() throws Exception {
    JsonAvroCodec.learn(NEWER);
    PlayerHeartbeat sample = Samples.heartbeat();
    GenericRecord newer = copy(sample, NEWER);
    newer.put("audioLanguage", "en");

    BinaryMessageDecoder<PlayerHeartbeat> decoder = new BinaryMessageDecoder<>(
        SpecificData.getForClass(PlayerHeartbeat.class), PlayerHeartbeat.getClassSchema(), JsonAvroCodec.schemaStore());

    assertThat(decoder.decode(ByteBuffer.wrap(JsonAvroCodec.toBytes(newer)))).isEqualTo(sample);
  }

  @Test
  void refusesAnUnknownFingerprintWithTheFingerprint() {
    Schema unreleased = edited(PlayerHeartbeat.getClassSchema(), "]}",
        ",{\"name\":\"neverReleased\",\"type\":[\"null\",\"int\"],\"default\":null}]}");
    byte[] bytes = JsonAvroCodec.toBytes(copy(Samples.heartbeat(), unreleased));
    long fingerprint = JsonAvroCodec.fingerprint(unreleased);

    assertThatThrownBy(() -> JsonAvroCodec.fromBytes(bytes, PlayerHeartbeat.class))
        .isInstanceOf(UnknownSchemaException.class)
        .hasMessage("PlayerHeartbeat: bytes hold unknown schema fingerprint " + String.format("0x%016X", fingerprint)
            + ", not a released version of PlayerHeartbeat")
        .satisfies(e -> assertThat(((UnknownSchemaException) e).fingerprint()).isEqualTo(fingerprint));
  }

  @Test
  void refusesToLearnAnIncompatibleVersion() {
    Schema incompatible = edited(PlayerHeartbeat.getClassSchema(), "]}",
        ",{\"name\":\"audioChannels\",\"type\":\"int\"}]}");

    assertThatThrownBy(() -> JsonAvroCodec.learn(incompatible))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PlayerHeartbeat cannot be learnt: the new PlayerHeartbeat cannot read PlayerHeartbeat")
        .hasMessageContaining("field audioChannels: READER_FIELD_MISSING_DEFAULT_VALUE");
  }

  /** The fields of {@code record} that {@code schema} has, as a generic record of it. */
  private static GenericRecord copy(org.apache.avro.specific.SpecificRecord record, Schema schema) {
    GenericData.Record copy = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      Schema.Field from = record.getSchema().getField(field.name());
      if (from != null) {
        Object value = record.get(from.pos());
        copy.put(field.pos(), value instanceof Enum<?> symbol
            ? new GenericData.EnumSymbol(field.schema(), symbol.name()) : value);
      }
    }
    return copy;
  }

  private static Schema edited(Schema schema, String from, String to) {
    String json = schema.toString();
    int at = json.lastIndexOf(from);
    if (at < 0) {
      throw new IllegalStateException(from + " is not in " + json);
    }
    return new Schema.Parser().parse(json.substring(0, at) + to + json.substring(at + from.length()));
  }
}
