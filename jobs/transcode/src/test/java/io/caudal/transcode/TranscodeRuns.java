package io.caudal.transcode;

import io.caudal.testing.spark.LocalSpark;
import io.caudal.transcode.spark.Progress;
import io.caudal.transcode.spark.Transcoder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How the job tests run a transcode: two-second segments, two per chunk (so a few seconds of
 * media make several chunks), the file's name as the title's name, category "test", and the
 * fixed ladder, whose rungs a test can name (a test that wants the per-title ladder passes
 * {@code --ladder per-title}: the last value of an option counts).
 */
final class TranscodeRuns {
  private TranscodeRuns() {}

  static Transcoder.Result transcode(LocalSpark spark, File input, String root, String... extra) throws IOException {
    return transcode(spark, input.getPath(), root, extra);
  }

  static Transcoder.Result transcode(LocalSpark spark, String input, String root, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("--input", input, "--name", input.substring(input.lastIndexOf('/') + 1),
        "--category", "test", "--root", root, "--segment-seconds", "2", "--segments-per-chunk", "2",
        "--ladder", "fixed"));
    args.addAll(List.of(extra));
    return new Transcoder(spark.context(), TranscodeOptions.parse(args.toArray(String[]::new)).orElseThrow(),
        new Progress(System.out)).run();
  }

  /** Every file under {@code dir}, relative, sorted; empty when it does not exist. */
  static List<String> filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
