package io.caudal.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JsonAvroCodecRefusalTest {

  private static final String HEARTBEAT = JsonAvroCodec.toJson(Samples.heartbeat());

  // ---- JSON -------------------------------------------------------------------------------------

  @Test
  void refusesJsonMissingARequiredField() {
    String json = HEARTBEAT.replace("\"sessionId\":\"s-42\",", "");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat.sessionId: missing required field")
        .satisfies(e -> assertThat(((InvalidRecordException) e).fieldPath()).isEqualTo("sessionId"));
  }

  @Test
  void refusesAStringWhereALongIsWanted() {
    String json = HEARTBEAT.replace("\"eventTime\":1741983312000", "\"eventTime\":\"yesterday\"");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat.eventTime: expected long, got string \"yesterday\"");
  }

  @Test
  void refusesNullForARequiredField() {
    String json = HEARTBEAT.replace("\"userId\":\"u-1001\"", "\"userId\":null");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat.userId: expected string, got null");
  }

  @Test
  void refusesAWrongTypeInsideAnOptionalField() {
    String json = HEARTBEAT.replace("\"bitrateKbps\":3000", "\"bitrateKbps\":\"3000\"");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat.bitrateKbps: expected int, got string \"3000\"");
  }

  @Test
  void refusesAFractionForAnInt() {
    String json = HEARTBEAT.replace("\"droppedFrames\":3", "\"droppedFrames\":3.5");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat.droppedFrames: expected int, got number 3.5");
  }

  @Test
  void refusesANumberOutOfRangeForAnInt() {
    String json = HEARTBEAT.replace("\"bitrateKbps\":3000", "\"bitrateKbps\":3000000000");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat.bitrateKbps: number 3000000000 is out of range for int");
  }

  @Test
  void refusesAnUnknownEnumSymbol() {
    String json = HEARTBEAT.replace("\"type\":\"HEARTBEAT\"", "\"type\":\"BUFFERING\"");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("PlayerHeartbeat.type: unknown HeartbeatType symbol \"BUFFERING\", expected one of [")
        .hasMessageContaining("STALL_START");
  }

  @Test
  void refusesAnUnknownFieldNamingIt() {
    String json = HEARTBEAT.replace("\"bufferMs\":18400", "\"bufferLength\":18400");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat.bufferLength: unknown field");
  }

  @Test
  void refusesAMissingFieldOfARecordInsideAnArray() {
    String json = "{\"region\":\"eu-west\",\"eventTime\":1741983330000,\"ttlSeconds\":300,"
        + "\"pathwayPriority\":[\"edge-eu-2\"],"
        + "\"excluded\":[{\"serverId\":\"edge-eu-1\",\"reason\":\"unhealthy\"},{\"serverId\":\"edge-eu-3\"}],"
        + "\"replications\":[]}";

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, SteeringDecision.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("SteeringDecision.excluded[1].reason: missing required field")
        .satisfies(e -> assertThat(((InvalidRecordException) e).fieldPath()).isEqualTo("excluded[1].reason"));
  }

  @Test
  void refusesAWrongTypeInARungOfTheLadder() {
    String json = JsonAvroCodec.toJson(Samples.catalogEntry())
        .replace("\"targetKbps\":6000", "\"targetKbps\":\"6000\"");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, CatalogEntry.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("CatalogEntry.ladder[2].targetKbps: expected int, got string \"6000\"");
  }

  @Test
  void refusesAnUnknownFieldInARecordInsideAnArray() {
    String json = JsonAvroCodec.toJson(Samples.steeringDecision())
        .replace("\"reason\":\"no_eligible_holder\"", "\"reason\":\"no_eligible_holder\",\"priority\":1");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, SteeringDecision.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("SteeringDecision.replications[0].priority: unknown field");
  }

  @Test
  void refusesAnObjectWhereAnArrayIsWanted() {
    String json = JsonAvroCodec.toJson(Samples.serverHealth())
        .replace("\"titles\":[\"t-big-buck-bunny\",\"t-sintel\",\"t-tears-of-steel\"]", "\"titles\":{}");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, ServerHealth.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("ServerHealth.titles: expected array, got object");
  }

  @Test
  void refusesBytesThatAreNotBase64() {
    String json = JsonAvroCodec.toJson(Samples.deadLetter()).replace("\"payload\":\"wwEA/38=\"", "\"payload\":\"not base64!\"");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, DeadLetter.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("DeadLetter.payload: not base64: ");
  }

  @Test
  void refusesMalformedJsonWithItsPosition() {
    assertThatThrownBy(() -> JsonAvroCodec.fromJson("{\"sessionId\": \"s-42\",}", PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("PlayerHeartbeat: malformed JSON at line 1, column 22: ")
        .satisfies(e -> assertThat(((InvalidRecordException) e).fieldPath()).isEmpty());
  }

  @Test
  void refusesADuplicateFieldName() {
    String json = HEARTBEAT.replace("\"userId\":\"u-1001\"", "\"userId\":\"u-1001\",\"userId\":\"u-666\"");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("PlayerHeartbeat: malformed JSON")
        .hasMessageContaining("Duplicate field 'userId'");
  }

  @Test
  void refusesContentAfterTheRecord() {
    assertThatThrownBy(() -> JsonAvroCodec.fromJson(HEARTBEAT + " {}", PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("PlayerHeartbeat: malformed JSON")
        .hasMessageContaining("Trailing token");
  }

  @Test
  void refusesADocumentThatIsNotAnObject() {
    assertThatThrownBy(() -> JsonAvroCodec.fromJson("[" + HEARTBEAT + "]", PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat: expected object, got array");
  }

  @Test
  void refusesAnEmptyDocument() {
    assertThatThrownBy(() -> JsonAvroCodec.fromJson("  ", PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat: empty document");
  }

  @Test
  void refusesBadGenericJsonTheSameWay() {
    String json = HEARTBEAT.replace("\"playheadMs\":9800", "\"playheadMs\":true");

    assertThatThrownBy(() -> JsonAvroCodec.fromJson(json, PlayerHeartbeat.getClassSchema()))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat.playheadMs: expected long, got boolean true");
  }

  // ---- writing ----------------------------------------------------------------------------------

  @Test
  void refusesToWriteJsonOfARecordWithARequiredFieldUnset() {
    PlayerHeartbeat heartbeat = Samples.heartbeat();
    heartbeat.setUserId(null);

    assertThatThrownBy(() -> JsonAvroCodec.toJson(heartbeat))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat.userId: null value for required string");
  }

  @Test
  void refusesToWriteBytesOfARecordWithARequiredFieldUnsetNamingIt() {
    CatalogEntry entry = Samples.catalogEntry();
    entry.getLadder().get(1).setCodecs(null);

    assertThatThrownBy(() -> JsonAvroCodec.toBytes(entry))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("CatalogEntry.ladder[1].codecs: null value for required string");
  }

  // ---- bytes ------------------------------------------------------------------------------------

  @Test
  void refusesBytesWithoutTheSingleObjectHeader() {
    byte[] garbage = "GARBAGE-NOT-AVRO".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> JsonAvroCodec.fromBytes(garbage))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("bytes: not single-object encoded: header starts 47 41, expected C3 01");
  }

  @Test
  void refusesBytesShorterThanTheHeader() {
    assertThatThrownBy(() -> JsonAvroCodec.fromBytes(new byte[] {(byte) 0xC3, 0x01, 0x00}, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("bytes: not single-object encoded: 3 bytes, shorter than the 10-byte header");
  }

  @Test
  void refusesBytesWithAnUnknownFingerprint() {
    byte[] bytes = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x02, 0x61};

    assertThatThrownBy(() -> JsonAvroCodec.fromBytes(bytes))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("bytes: unknown schema fingerprint 0x0807060504030201;");
  }

  @Test
  void refusesBytesOfAnotherRecordThanTheOneAskedFor() {
    byte[] rtcp = JsonAvroCodec.toBytes(Samples.rtcp());

    assertThatThrownBy(() -> JsonAvroCodec.fromBytes(rtcp, PlayerHeartbeat.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("PlayerHeartbeat: bytes hold a PlayerRtcp, not a PlayerHeartbeat");
  }

  @Test
  void refusesATruncatedBody() {
    byte[] bytes = JsonAvroCodec.toBytes(Samples.heartbeat());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 5);

    assertThatThrownBy(() -> JsonAvroCodec.fromBytes(truncated))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("PlayerHeartbeat: corrupt Avro body (");
  }

  @Test
  void refusesBytesAfterTheRecord() {
    byte[] bytes = JsonAvroCodec.toBytes(Samples.bitrateDecision());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

    assertThatThrownBy(() -> JsonAvroCodec.fromBytes(longer, BitrateDecision.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("BitrateDecision: trailing bytes after the record");
  }

  @Test
  void refusesAnEnumIndexOutOfRange() {
    byte[] bytes = JsonAvroCodec.toBytes(Samples.heartbeat());
    // The body starts with eventId ("e-7f3a9c10": length byte + 10) and four more strings.
    int typeOffset = 10 + 11 + 5 + 7 + 17 + 6;
    assertThat(bytes[typeOffset]).as("zig-zag of HEARTBEAT's index 2").isEqualTo((byte) 4);
    bytes[typeOffset] = 0x7E; // index 63

    assertThatThrownBy(() -> JsonAvroCodec.fromBytes(bytes))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("PlayerHeartbeat: corrupt Avro body (");
  }
}
