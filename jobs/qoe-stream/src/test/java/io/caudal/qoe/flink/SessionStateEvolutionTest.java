package io.caudal.qoe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.DeadLetter;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint taken by the job before its session state changed ({@link SessionSavepoints}, state
 * format 1, committed under the test resources) restores into the job as it is now (format 2:
 * {@code SessionQoe} gained {@code pathwaySwitches}), by Flink's state migration through
 * {@link FormatSerializer}, and the sessions open in it finish with the QoE an uninterrupted run
 * gives them.
 */
@IntegrationTest
class SessionStateEvolutionTest {
  @TempDir Path temp;

  @Test
  void sessionsOfAFormatOneSavepointFinishWithTheQoeOfAnUninterruptedRun() throws Exception {
    List<List<String>> parts = SessionSavepoints.parts();
    List<String> whole = new ArrayList<>(parts.get(0));
    whole.addAll(parts.get(1));

    List<QoeSession> uninterrupted = run("whole", whole, null);
    List<QoeSession> restored = run("restored", parts.get(1), SessionSavepoints.savepointIn(SessionSavepoints.FORMAT_1));

    assertThat(uninterrupted).hasSize(SessionSavepoints.SESSIONS)
        .allSatisfy(row -> assertThat(row.getStartupTimeMs()).as("started before the cut").isNotNull());
    assertThat(uninterrupted).anySatisfy(row -> assertThat(row.getStallCount()).isPositive());
    // Every row depends on part 1, which only the savepoint holds for the restored job.
    assertThat(restored.stream().map(Object::toString))
        .containsExactlyInAnyOrderElementsOf(uninterrupted.stream().map(Object::toString).toList());
  }

  /** The job over replay lines, from {@code savepoint} when given; the sessions it committed. */
  private List<QoeSession> run(String name, List<String> lines, Path savepoint) throws Exception {
    Path root = temp.resolve(name);
    Files.createDirectories(root);
    Path input = Files.write(root.resolve("events.jsonl"), lines);
    Configuration conf = SessionSavepoints.configuration();
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.toUri().toString());
      // The savepoint's own source (a watched file) is not in this job.
      conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    env.enableCheckpointing(1_000);
    DataStream<String> text = env.fromSource(Connectors.replayFile(input.toUri().toString()),
        WatermarkStrategy.noWatermarks(), name).uid(name + "-file");
    String out = root.toUri().toString();
    QoePipeline.build(SessionSavepoints.inputs(text, name), SessionSavepoints.settings(), new QoePipeline.Outputs(
        Connectors.sessionsTable(out), Connectors.minuteTable(out),
        Connectors.<BitrateDecision>jsonLines(out + "/decisions/bitrate"),
        Connectors.<SteeringDecision>jsonLines(out + "/decisions/steering"),
        Connectors.<DeadLetter>jsonLines(out + "/dlq")));
    env.execute(name);
    return TableReader.of(Tables.QOE_SESSIONS, out, new org.apache.hadoop.conf.Configuration()).readAll();
  }
}
