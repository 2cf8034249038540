package io.caudal.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.Topics;
import io.caudal.sim.model.SimConfig;
import io.caudal.sim.model.Simulation;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileSinkTest {
  @TempDir
  Path dir;

  @Test
  void writesEachEventAsItsJsonWithItsTopicGzippedAndOnlyWhenClosed() throws Exception {
    Path file = dir.resolve("events.jsonl.gz");
    Simulation sim = new Simulation(SimConfig.defaults(5, 2, 1, 1_764_000_000_000L, 7));
    EventFileSink sink = new EventFileSink(file);
    while (sim.elapsedMs() < 30_000) {
      sim.step(sink);
    }
    assertThat(file).doesNotExist();
    sink.close();

    List<String> lines;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      lines = in.lines().toList();
    }
    assertThat(lines).hasSize((int) sink.written()).isNotEmpty();
    java.util.Set<String> topics = new java.util.HashSet<>();
    for (String line : lines) {
      assertThat(line).startsWith("{\"topic\":\"");
      String topic = line.substring("{\"topic\":\"".length(), line.indexOf('"', "{\"topic\":\"".length()));
      topics.add(topic);
      String event = "{" + line.substring(line.indexOf(',') + 1);
      Class<? extends org.apache.avro.specific.SpecificRecord> type = Topics.byName(topic).orElseThrow().valueClass();
      assertThat(JsonAvroCodec.fromJson(event, type)).isNotNull();
      if (topic.equals(Topics.HEARTBEAT.name())) {
        assertThat(JsonAvroCodec.fromJson(event, PlayerHeartbeat.class).getSessionId()).isNotBlank();
      }
    }
    assertThat(topics).containsExactlyInAnyOrder(Topics.HEARTBEAT.name(), Topics.RTCP.name(),
        Topics.SERVER_HEALTH.name());
    assertThat(dir.toFile().list()).containsExactly("events.jsonl.gz"); // no staging file left
  }
}
