package io.caudal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonAvroCodecRoundTripTest {

  static Stream<SpecificRecord> samples() {
    return Samples.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void readsBackWhatItWritesAsJson(SpecificRecord record) {
    String json = JsonAvroCodec.toJson(record);

    assertThat(JsonAvroCodec.fromJson(json, record.getClass())).isEqualTo(record);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void readsBackWhatItWritesAsSingleObjectBytes(SpecificRecord record) {
    byte[] bytes = JsonAvroCodec.toBytes(record);

    assertThat(JsonAvroCodec.fromBytes(bytes, record.getClass())).isEqualTo(record);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void findsTheClassOfBytesByTheirFingerprint(SpecificRecord record) {
    SpecificRecord decoded = JsonAvroCodec.fromBytes(JsonAvroCodec.toBytes(record));

    assertThat(decoded).isInstanceOf(record.getClass()).isEqualTo(record);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void writesTheSameBytesAsAvrosOwnMessageEncoder(SpecificRecord record) throws Exception {
    ByteBuffer avros = (ByteBuffer) record.getClass().getMethod("toByteBuffer").invoke(record);
    byte[] expected = new byte[avros.remaining()];
    avros.get(expected);

    assertThat(JsonAvroCodec.toBytes(record)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void readsJsonIntoGenericRecordsThatWriteTheSameJsonAndBytes(SpecificRecord record) {
    String json = JsonAvroCodec.toJson(record);

    GenericRecord generic = JsonAvroCodec.fromJson(json, record.getSchema());

    assertThat(JsonAvroCodec.toJson(generic)).isEqualTo(json);
    assertThat(JsonAvroCodec.toBytes(generic)).isEqualTo(JsonAvroCodec.toBytes(record));
    assertThat(JsonAvroCodec.toJson(JsonAvroCodec.fromBytes(JsonAvroCodec.toBytes(generic), record.getSchema())))
        .isEqualTo(json);
  }

  @Test
  void everyTopicValueAndTableRowHasASample() {
    var sampled = Samples.all().stream().map(Object::getClass).distinct().toList();

    assertThat(sampled)
        .containsAll(Topics.all().stream().map(Topic::valueClass).toList())
        .containsAll(Tables.all().stream().map(Table::rowClass).toList());
  }

  @Test
  void writesPlainJsonWithoutUnionWrappers() {
    String json = JsonAvroCodec.toJson(Samples.heartbeat());

    assertThat(json).isEqualTo("{\"eventId\":\"e-7f3a9c10\",\"sessionId\":\"s-42\",\"userId\":\"u-1001\","
        + "\"titleId\":\"t-big-buck-bunny\",\"eventTime\":1741983312000,\"type\":\"HEARTBEAT\","
        + "\"serverId\":\"edge-eu-1\",\"region\":\"eu-west\",\"isp\":\"telco-a\",\"device\":\"web\","
        + "\"playheadMs\":9800,\"bitrateKbps\":3000,\"bufferMs\":18400,\"throughputKbps\":24500,"
        + "\"topBitrateKbps\":6000,\"droppedFrames\":3,\"errorCode\":null,\"cmcdVersion\":null,\"cmcdEvent\":null,"
        + "\"playerState\":null,\"sequenceNumber\":null,\"clientTime\":null,\"mediaStartDelayMs\":null,"
        + "\"responseCode\":null,\"ttfbMs\":null,\"ttlbMs\":null}");
  }

  @Test
  void writesBytesAsBase64() {
    String json = JsonAvroCodec.toJson(Samples.deadLetter());

    assertThat(json).contains("\"key\":\"cy00Mg==\"", "\"payload\":\"wwEA/38=\"");
  }

  @Test
  void readsAbsentOptionalFieldsAsNull() {
    String json = "{\"eventId\":\"e-1\",\"sessionId\":\"s-42\",\"userId\":\"u-1001\","
        + "\"titleId\":\"t-big-buck-bunny\",\"eventTime\":1741983300000,\"type\":\"PLAY_REQUESTED\","
        + "\"serverId\":\"edge-eu-1\",\"region\":\"eu-west\",\"isp\":\"telco-a\",\"device\":\"web\","
        + "\"playheadMs\":0,\"errorCode\":null}";

    PlayerHeartbeat heartbeat = JsonAvroCodec.fromJson(json, PlayerHeartbeat.class);

    assertThat(heartbeat.getType()).isEqualTo(HeartbeatType.PLAY_REQUESTED);
    assertThat(heartbeat.getBitrateKbps()).isNull();
    assertThat(heartbeat.getBufferMs()).isNull();
    assertThat(heartbeat.getErrorCode()).isNull();
  }

  @Test
  void fillsAbsentFieldsThatHaveADefault() {
    String json = JsonAvroCodec.toJson(Samples.catalogEntry())
        .replace(",\"ratingCount\":12,\"ratingAverage\":4.25", "");

    CatalogEntry entry = JsonAvroCodec.fromJson(json, CatalogEntry.class);

    assertThat(entry.getRatingCount()).isZero();
    assertThat(entry.getRatingAverage()).isNull();
  }

  @Test
  void acceptsIntegralNumbersForDoubleFields() {
    String json = JsonAvroCodec.toJson(Samples.serverHealth()).replace("\"capacityMbps\":10000.0", "\"capacityMbps\":10000");

    assertThat(JsonAvroCodec.fromJson(json, ServerHealth.class).getCapacityMbps()).isEqualTo(10_000.0);
  }

  @Test
  void keepsNotANumberThroughJson() {
    QoeMinute minute = QoeMinute.newBuilder(Samples.qoeMinute()).setJitterMs(Double.NaN).build();

    String json = JsonAvroCodec.toJson(minute);

    assertThat(json).contains("\"jitterMs\":\"NaN\"");
    assertThat(JsonAvroCodec.fromJson(json, QoeMinute.class).getJitterMs()).isNaN();
  }
}
