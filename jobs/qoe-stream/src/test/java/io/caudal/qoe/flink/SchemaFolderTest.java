package io.caudal.qoe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.qoe.ContractVersions;
import io.caudal.qoe.core.EventValidator;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer upgraded before the job: its newer version, dropped under {@code <root>/schemas/}, is
 * learnt while running.
 */
class SchemaFolderTest {
  private static final byte[] KEY = "s".getBytes(StandardCharsets.UTF_8);

  @TempDir Path root;

  private static PlayerHeartbeat heartbeat() {
    long now = System.currentTimeMillis();
    return PlayerHeartbeat.newBuilder().setEventId("e1").setSessionId("s").setUserId("u").setTitleId("t1")
        .setEventTime(now).setType(HeartbeatType.HEARTBEAT).setServerId("a").setRegion("eu").setIsp("i")
        .setDevice("d").setPlayheadMs(1000L).setBitrateKbps(3000).setBufferMs(30_000L).build();
  }

  /** The heartbeat's contract with one field more. */
  private static Schema withField(String field, String typeAndDefault) {
    return ContractVersions.withField(PlayerHeartbeat.getClassSchema(), field, typeAndDefault);
  }

  @Test
  void aNewerVersionDroppedInTheFolderIsReadAndAnIncompatibleOneStaysADeadLetter() throws Exception {
    Schema next = withField("folderTestLanguage", ContractVersions.OPTIONAL_STRING);
    Schema incompatible = withField("folderTestRequired", "\"string\"");
    PlayerHeartbeat event = heartbeat();
    byte[] fromNext = ContractVersions.writtenWith(event, next, "en");
    byte[] fromIncompatible = ContractVersions.writtenWith(event, incompatible, "x");
    EventValidator validator = new EventValidator().withNewerSchemas(new SchemaFolder(root.toUri().toString(), 0));
    long now = event.getEventTime();

    DeadLetter before = validator.check(Topics.HEARTBEAT.name(), KEY, fromNext, now).deadLetter();
    assertThat(before.getReason()).as("no folder yet").isEqualTo("unknown_schema");

    Path folder = Files.createDirectories(root.resolve(SchemaFolder.FOLDER));
    Files.writeString(folder.resolve("PlayerHeartbeat-next.avsc"), next.toString());
    Files.writeString(folder.resolve("PlayerHeartbeat-incompatible.avsc"), incompatible.toString());
    Files.writeString(folder.resolve("truncated.avsc"), "{\"type\": \"record\", ");

    EventValidator.Checked read = validator.check(Topics.HEARTBEAT.name(), KEY, fromNext, now);
    assertThat(read.valid()).as("read once learnt: %s", read.deadLetter()).isTrue();
    assertThat(read.event()).isEqualTo(event);
    DeadLetter refused = validator.check(Topics.HEARTBEAT.name(), KEY, fromIncompatible, now).deadLetter();
    assertThat(refused.getReason()).isEqualTo("unknown_schema");
    assertThat(refused.getPayload().array()).isEqualTo(fromIncompatible);
  }

  @Test
  void theFolderIsLookedAtAtMostOncePerInterval() throws Exception {
    SchemaFolder folder = new SchemaFolder(root.toUri().toString(), 60_000);
    assertThat(folder.learnNew()).isFalse();
    Path schemas = Files.createDirectories(root.resolve(SchemaFolder.FOLDER));
    Files.writeString(schemas.resolve("PlayerHeartbeat-later.avsc"),
        withField("folderTestLater", "[\"null\",\"long\"],\"default\":null").toString());

    assertThat(folder.learnNew()).as("within the interval: not looked at").isFalse();
    assertThat(new SchemaFolder(root.toUri().toString(), 60_000).learnNew()).as("a first look").isTrue();
  }
}
