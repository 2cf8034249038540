package io.caudal.qoe;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.qoe.kafka.Script;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.SchemaHistory;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.Table;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade seen by the job: while producers are upgraded one by one, the input topics
 * hold the same stream of events written by producers of three versions at once, interleaved:
 * the previous release (ServerHealth v1, without {@code publicUrl}), the current one, and the
 * next (every input contract with one optional field more, a version the job was not built with
 * and learns while running from the root's {@code schemas/} folder). The live job reads them all:
 * nothing is dead-lettered, and it commits exactly the sessions, minutes and decisions a replay of
 * the same events gives.
 */
@IntegrationTest
class MixedSchemaVersionsTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = LiveJobs.miniCluster();
  @RegisterExtension
  static final KafkaBroker KAFKA = KafkaBroker.empty();

  private static final long T0 = LiveJobs.startOfEvents();

  @TempDir Path temp;

  @Test
  void readsProducersOfThePreviousCurrentAndNextVersionsAtOnceAndLosesNothing() throws Exception {
    Script script = new Script();
    script.fleet(300, T0 + 60_000, 11);
    for (long t = T0; t <= T0 + 8 * 60_000; t += 5000) {
      script.health("srv-a", t, 0.3, List.of("title-0", "title-1"));
      script.health("srv-b", t + 1, t > T0 + 4 * 60_000 ? 0.9 : 0.5, List.of("title-2"));
      script.health("srv-c", t + 2, 0.4, List.of("title-0", "title-2"));
    }
    Schema healthV1 = SchemaHistory.releasesOf("ServerHealth").get(0).schema();
    Map<String, Schema> nextOf = new HashMap<>();
    Path live = temp.resolve("live");
    Path schemas = Files.createDirectories(live.resolve("schemas"));
    for (Topic<?> topic : List.of(Topics.HEARTBEAT, Topics.RTCP, Topics.SERVER_HEALTH)) {
      Schema next = ContractVersions.withField(topic.valueSchema(), "comingSoon", ContractVersions.OPTIONAL_STRING);
      // A version released after the job was built: the job learns it from the root's schemas folder.
      Files.writeString(schemas.resolve(next.getName() + "-next.avsc"), next.toString());
      nextOf.put(topic.name(), next);
    }

    // A third of the sessions, and srv-a, from the previous release's producers; srv-c and a third from the next's.
    List<ProducerRecord<byte[], byte[]>> mixed = new ArrayList<>();
    Map<String, Integer> versions = new HashMap<>();
    for (ProducerRecord<byte[], byte[]> record : script.records()) {
      SpecificRecord event = JsonAvroCodec.fromBytes(record.value());
      String key = new String(record.key(), StandardCharsets.UTF_8);
      // 0 previous, 1 current, 2 next
      int producer = event instanceof ServerHealth ? key.charAt(key.length() - 1) - 'a' : Math.floorMod(key.hashCode(), 3);
      byte[] value = switch (producer) {
        case 0 -> event instanceof ServerHealth ? ContractVersions.writtenWith(event, healthV1, null) : record.value();
        case 1 -> event instanceof ServerHealth health
            ? JsonAvroCodec.toBytes(ServerHealth.newBuilder(health).setPublicUrl("http://" + key + ".example").build())
            : record.value();
        default -> ContractVersions.writtenWith(event, nextOf.get(record.topic()), "v-next");
      };
      versions.merge(record.topic() + "#" + producer, 1, Integer::sum);
      mixed.add(new ProducerRecord<>(record.topic(), record.key(), value));
    }
    assertThat(versions).as("every topic has records of every producer version").hasSize(9);

    KAFKA.createTopics(1, Topics.all().stream().map(Topic::name).toArray(String[]::new));
    KAFKA.send(mixed);
    QoeOptions options = QoeOptions.parse("--bootstrap-servers", KAFKA.bootstrapServers(),
        "--root", live.toUri().toString(), "--group-id", "qoe-mixed", "--bounded",
        "--checkpoint-interval-ms", "300", "--parallelism", "2").orElseThrow();
    StreamExecutionEnvironment env = QoeJob.environment(options);
    QoeJob.build(env, options);
    env.execute("mixed versions");

    Path replay = temp.resolve("replay");
    Path file = replay.resolve("events.jsonl");
    Files.createDirectories(replay);
    try (Writer out = Files.newBufferedWriter(file)) {
      for (String line : script.lines()) {
        out.write(line + "\n");
      }
    }
    QoeOptions replayOptions = QoeOptions.parse("--replay", file.toUri().toString(), "--root", replay.toUri().toString(),
        "--checkpoint-interval-ms", "500", "--parallelism", "2").orElseThrow();
    StreamExecutionEnvironment replayEnv = QoeJob.environment(replayOptions);
    QoeJob.build(replayEnv, replayOptions);
    replayEnv.execute("replay");

    List<DeadLetter> deadLetters = KAFKA.readCommitted(Topics.DEAD_LETTER);
    assertThat(deadLetters).as("dead letters").isEmpty();
    List<QoeSession> sessions = rows(live, Tables.QOE_SESSIONS);
    assertThat(sessions).hasSize(300);
    assertThat(strings(sessions)).containsExactlyInAnyOrderElementsOf(strings(rows(replay, Tables.QOE_SESSIONS)));
    assertThat(strings(rows(live, Tables.QOE_MINUTE)))
        .containsExactlyInAnyOrderElementsOf(strings(rows(replay, Tables.QOE_MINUTE)));
    assertThat(strings(KAFKA.readCommitted(Topics.STEERING))).isNotEmpty();
  }

  private static <T extends SpecificRecord> List<T> rows(Path root, Table<T> table) throws IOException {
    return TableReader.of(table, root.toUri().toString(), new Configuration()).readAll();
  }

  private static <T> List<String> strings(List<T> records) {
    return records.stream().map(Object::toString).toList();
  }
}
