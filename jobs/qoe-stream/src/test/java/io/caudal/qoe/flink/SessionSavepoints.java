package io.caudal.qoe.flink;

import io.caudal.qoe.QoeOptions;
import io.caudal.qoe.core.EventValidator;
import io.caudal.qoe.kafka.Script;
import io.caudal.schemas.HeartbeatType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The savepoint the state-evolution test restores, and how it was taken: sessions that start in
 * part 1 of a fixed script and end in part 2. {@link #main} runs the job over part 1 from a file
 * it keeps watching (so the job does not finish and close the sessions), waits until every line
 * was read, and stops it with a savepoint, which is committed under
 * {@code src/test/resources/savepoints/}. Run it again only to record a new savepoint, with the
 * job as it was before the state change the test is about.
 */
public final class SessionSavepoints {
  /** The script's time: fixed, so the savepoint and the test agree; in the past, as a replay wants it. */
  static final long T0 = 1_764_000_000_000L;
  /** Events before this time are part 1 (in the savepoint), the rest part 2. */
  static final long CUT = T0 + 150_000;
  static final int SESSIONS = 12;
  /** Where the savepoint taken with session state format 1 is, under the test resources. */
  static final String FORMAT_1 = "savepoints/sessions-format-1";

  private static final AtomicLong READ = new AtomicLong();

  private SessionSavepoints() {}

  /** The script's events before {@link #CUT} and from it on, as replay lines, each part in time order. */
  static List<List<String>> parts() {
    Script before = new Script();
    Script after = new Script();
    for (int s = 0; s < SESSIONS; s++) {
      String id = "sp-" + s;
      String title = "title-" + s % 3;
      String server = "srv-" + (char) ('a' + s % 2);
      long start = T0 + s * 7_000L;
      int bitrate = s % 2 == 0 ? 3000 : 4500;
      part(start, before, after).heartbeat(id, title, server, start, HeartbeatType.PLAY_REQUESTED, 0, null, null, null);
      long started = start + 600 + s * 150L;
      part(started, before, after).heartbeat(id, title, server, started, HeartbeatType.STARTED, 0, bitrate,
          20_000L, 9000);
      long playhead = 0;
      for (long t = started + 10_000; t < start + 240_000; t += 10_000) {
        playhead += 10_000;
        // Some sessions move to the other server in part 2, some stall across the cut.
        String at = s % 3 == 0 && t > CUT + 20_000 ? "srv-" + (char) ('b' - s % 2) : server;
        HeartbeatType type = s % 4 == 1 && t >= CUT - 10_000 && t < CUT ? HeartbeatType.STALL_START
            : s % 4 == 1 && t >= CUT && t < CUT + 10_000 ? HeartbeatType.STALL_END : HeartbeatType.HEARTBEAT;
        part(t, before, after).heartbeat(id, title, at, t, type, playhead, bitrate, 15_000L + s * 500L,
            2_000 + s * 700);
        if (t % 20_000 < 10_000) {
          part(t + 1, before, after).rtcp(id, server, t + 1, s % 5, 900 + s * 10L);
        }
      }
      long end = start + 250_000;
      part(end, before, after).heartbeat(id, title, server, end, s % 5 == 0 ? HeartbeatType.EXIT : HeartbeatType.ENDED,
          playhead, bitrate, null, null);
    }
    for (long t = T0; t < T0 + 260_000; t += 5_000) {
      part(t, before, after).health("srv-a", t, 0.3 + (t - T0) % 7 / 100.0, List.of("title-0", "title-1"));
      part(t + 2, before, after).health("srv-b", t + 2, 0.5, List.of("title-2"));
    }
    return List.of(before.lines(), after.lines());
  }

  private static Script part(long t, Script before, Script after) {
    return t < CUT ? before : after;
  }

  /** The pipeline's inputs from replay lines, as {@code bin/caudal qoe --replay} builds them; uids start with {@code name}. */
  static QoePipeline.Inputs inputs(DataStream<String> text, String name) {
    Duration bound = QoePipeline.DEFAULT_OUT_OF_ORDERNESS;
    DataStream<Input> lines = text.process(new ReplayLines(EventValidator.forReplay(), bound))
        .name(name + " events").uid(name + "-events")
        .map(input -> {
          READ.incrementAndGet();
          return input;
        }).returns(Input.class).name(name + " count").uid(name + "-count");
    return new QoePipeline.Inputs(
        lines.filter(input -> !input.isServerHealth()).uid(name + "-players")
            .assignTimestampsAndWatermarks(QoePipeline.watermarks(bound)).uid(name + "-players-time"),
        lines.filter(Input::isServerHealth).uid(name + "-servers")
            .assignTimestampsAndWatermarks(QoePipeline.watermarks(bound)).uid(name + "-servers-time"));
  }

  /** The job's settings as {@code bin/caudal qoe} has them by default; no catalog. */
  static QoePipeline.Settings settings() {
    int[] ladder = QoeOptions.parse("--root", "unused", "--replay", "unused").orElseThrow().defaultLadderKbps()
        .stream().mapToInt(Integer::intValue).toArray();
    return QoePipeline.Settings.defaults(Map.of(), ladder);
  }

  /** The job's engine setting that matters to state: no generic types (no Kryo). */
  static Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    return conf;
  }

  /**
   * Takes the savepoint: {@code args[0]} is the folder to write it to (the test resources'
   * {@value #FORMAT_1}); Flink makes a {@code savepoint-*} folder in it.
   */
  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]).toAbsolutePath();
    Path watched = Files.createTempDirectory("part-1");
    List<String> part1 = parts().get(0);
    Files.write(watched.resolve("part-1.jsonl"), part1);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, configuration());
    DataStream<String> text = env.fromSource(
        FileSource.forRecordStreamFormat(new TextLineInputFormat(), new org.apache.flink.core.fs.Path(watched.toUri()))
            .monitorContinuously(Duration.ofMillis(200)).build(),
        WatermarkStrategy.noWatermarks(), "part 1").uid("part-1-file");
    // Sinks that keep no state: the savepoint holds the graph's own state and its sources' only.
    QoePipeline.build(inputs(text, "part-1"), settings(), new QoePipeline.Outputs(new DiscardingSink<>(),
        new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>()));
    JobClient job = env.executeAsync("session savepoint");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (READ.get() < part1.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("read " + READ.get() + " of " + part1.size() + " lines in 2 minutes");
      }
      Thread.sleep(100);
    }
    String savepoint = job.stopWithSavepoint(false, folder.toUri().toString(), SavepointFormatType.CANONICAL)
        .get(2, TimeUnit.MINUTES);
    System.out.println("savepoint of " + part1.size() + " lines at " + savepoint);
  }

  /** The savepoint folder ({@code savepoint-*}) under a test resource folder. */
  static Path savepointIn(String resource) throws IOException {
    Path folder;
    try {
      folder = Path.of(SessionSavepoints.class.getClassLoader().getResource(resource).toURI());
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new IOException("no test resource " + resource, e);
    }
    try (Stream<Path> found = Files.list(folder)) {
      return found.filter(p -> p.getFileName().toString().startsWith("savepoint-")).findFirst()
          .orElseThrow(() -> new IOException("no savepoint-* folder in " + folder));
    }
  }
}
