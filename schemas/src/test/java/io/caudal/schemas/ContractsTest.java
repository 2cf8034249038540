package io.caudal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The field lists other modules depend on, as docs/ARCHITECTURE.md gives the contracts. */
class ContractsTest {

  @Test
  void catalogEntryHasExactlyTheColumnsTranscodeWrites() {
    assertThat(names(CatalogEntry.getClassSchema())).containsExactly(
        "titleId", "name", "category", "durationMs", "width", "height", "hasVideo", "hasAudio", "ladder",
        "audioBytes", "segmentDurationMs", "sourceUri", "createdAt", "ratingCount", "ratingAverage",
        "audioTracks", "textTracks", "thumbnails");
    assertThat(names(Rung.getClassSchema())).containsExactly(
        "rungId", "width", "height", "codecs", "targetKbps", "averageKbps", "peakKbps", "bytes", "qualityDb", "vmafEstimate");
  }

  @Test
  void qoeSessionHasTheDesignedColumns() {
    assertThat(names(QoeSession.getClassSchema())).containsExactly(
        "sessionId", "userId", "titleId", "serverId", "region", "isp", "device", "startTime", "endTime",
        "startupTimeMs", "videoStartFailure", "exitBeforeVideoStart", "playbackFailure", "stallCount",
        "stalledMs", "playingMs", "rebufferingRatio", "avgBitrateKbps", "bitrateSwitches", "completion",
        "lossFraction", "jitterMs", "rttMs", "endReason", "experienceScore");
  }

  @Test
  void qoeMinuteHasTheDesignedColumns() {
    assertThat(names(QoeMinute.getClassSchema())).containsExactly(
        "minute", "dimension", "key", "attempts", "plays", "vsfPct", "ebvsPct", "startupP50Ms",
        "startupP95Ms", "rebufferingRatio", "avgBitrateKbps", "errors", "lossFraction", "jitterMs",
        "concurrentSessions", "experienceScore");
  }

  @Test
  void heartbeatHasTheDesignedFieldsAndTypes() {
    assertThat(names(PlayerHeartbeat.getClassSchema())).containsExactly(
        "eventId", "sessionId", "userId", "titleId", "eventTime", "type", "serverId", "region", "isp",
        "device", "playheadMs", "bitrateKbps", "bufferMs", "throughputKbps", "topBitrateKbps",
        "droppedFrames", "errorCode", "cmcdVersion", "cmcdEvent", "playerState", "sequenceNumber", "clientTime",
        "mediaStartDelayMs", "responseCode", "ttfbMs", "ttlbMs");
    assertThat(HeartbeatType.values()).extracting(Enum::name).containsExactly(
        "PLAY_REQUESTED", "STARTED", "HEARTBEAT", "STALL_START", "STALL_END", "BITRATE_CHANGE", "SEEK",
        "PAUSE", "RESUME", "ERROR", "ENDED", "EXIT");
  }

  @Test
  void everyFieldOfEverySchemaIsDocumented() {
    List<Schema> schemas = Samples.all().stream().map(record -> record.getSchema()).distinct().toList();

    assertThat(schemas).allSatisfy(schema -> assertDocumented(schema, schema.getName()));
  }

  @Test
  void everyOptionalFieldDefaultsToNull() {
    List<Schema> schemas = Samples.all().stream().map(record -> record.getSchema()).distinct().toList();

    assertThat(schemas).allSatisfy(schema -> schema.getFields().stream()
        .filter(field -> field.schema().isNullable())
        .forEach(field -> assertThat(field.defaultVal()).as(schema.getName() + "." + field.name())
            .isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE)));
  }

  private static void assertDocumented(Schema schema, String path) {
    assertThat(schema.getDoc()).as(path).isNotBlank();
    for (Schema.Field field : schema.getFields()) {
      assertThat(field.doc()).as(path + "." + field.name()).isNotBlank();
      Schema type = field.schema().getType() == Schema.Type.ARRAY ? field.schema().getElementType() : field.schema();
      if (type.getType() == Schema.Type.RECORD) {
        assertDocumented(type, path + "." + field.name());
      }
    }
  }

  private static List<String> names(Schema schema) {
    return schema.getFields().stream().map(Schema.Field::name).toList();
  }
}
