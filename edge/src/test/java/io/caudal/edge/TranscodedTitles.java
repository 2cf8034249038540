package io.caudal.edge;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real titles for the browser tests: a generated sample packaged by the transcode jar (build
 * {@code jobs/transcode} first; the reactor does, since edge comes after it), as bin/caudal does.
 */
final class TranscodedTitles {

  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path REPO = MODULE.getParent();
  static final Path TRANSCODE_JAR = REPO.resolve("jobs/transcode/target/caudal-transcode.jar");
  static final Path TRANSCODE_CLASSPATH = REPO.resolve("jobs/transcode/target/local-classpath.txt");
  static final Path WEB = MODULE.resolve("web");
  static final Path SCREENSHOTS = MODULE.resolve("target/screenshots");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** What spark-submit passes to the JVM on Java 17, as bin/caudal's run_spark_class does. */
  static final List<String> SPARK_JAVA_OPTS = BrowserPlaybackTest.SPARK_JAVA_OPTS;

  private TranscodedTitles() {}

  /** Fails with what to do when the transcode jar, chromium or playwright-core is missing. */
  static void requireTools() {
    if (!Files.isRegularFile(TRANSCODE_JAR) || !Files.isRegularFile(TRANSCODE_CLASSPATH)) {
      fail("the browser test packages a title with the transcode jar, and " + TRANSCODE_JAR + " is missing:"
          + " build jobs/transcode first (mvn -B -q -pl jobs/transcode -am package -DskipTests)");
    }
    if (!Files.isExecutable(CHROMIUM)) {
      fail("the browser test drives Debian's chromium at " + CHROMIUM + ": apt-get install chromium (bin/caudal test does)");
    }
    if (!Files.isDirectory(WEB.resolve("node_modules/playwright-core"))) {
      fail("playwright-core is missing from " + WEB + "/node_modules: the Maven build runs npm ci there");
    }
  }

  /** Makes a sample of {@code seconds} and publishes it under {@code root}; returns its title id. */
  static String publish(Path root, String name, String category, int seconds) throws Exception {
    Path sample = root.resolve("incoming/" + name.toLowerCase().replace(' ', '-') + ".mp4");
    Files.createDirectories(sample.getParent());
    List<String> before = titles(root);
    run(root, "io.caudal.transcode.sample.SampleMaker", sample.toString(), "--seconds", Integer.toString(seconds),
        "--size", "640x360", "--rate", "25");
    run(root, "io.caudal.transcode.TranscodeJob", "--input", sample.toString(), "--name", name,
        "--category", category, "--root", root.toString(), "--max-rungs", "2");
    return titles(root).stream().filter(t -> !before.contains(t)).findFirst()
        .orElseThrow(() -> new AssertionError("transcode published no title under " + root.resolve("vod")));
  }

  private static List<String> titles(Path root) throws Exception {
    if (!Files.isDirectory(root.resolve("vod"))) {
      return List.of();
    }
    try (Stream<Path> titles = Files.list(root.resolve("vod"))) {
      return titles.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    }
  }

  private static void run(Path root, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    command.addAll(SPARK_JAVA_OPTS);
    command.add("-Dlog4j2.configurationFile=" + REPO.resolve("bin/log4j2-local.properties"));
    command.add("-cp");
    command.add(TRANSCODE_JAR + File.pathSeparator + Files.readString(TRANSCODE_CLASSPATH).strip());
    command.add(mainClass);
    command.addAll(List.of(args));
    Path log = root.resolve("transcode.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(mainClass + " did not finish in 5 minutes");
    }
    if (process.exitValue() != 0) {
      fail(mainClass + " failed (exit " + process.exitValue() + "):\n" + Files.readString(log));
    }
  }
}
