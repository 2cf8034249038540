package io.caudal.edge;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The transcode jar of this build, run as bin/caudal runs it: the browser tests package their titles with it. */
final class TranscodeJar {

  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  static final Path JAR = REPO.resolve("jobs/transcode/target/caudal-transcode.jar");
  static final Path CLASSPATH = REPO.resolve("jobs/transcode/target/local-classpath.txt");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path WEB = Path.of("").toAbsolutePath().resolve("web");
  static final Path SCREENSHOTS = Path.of("").toAbsolutePath().resolve("target/screenshots");
  /** What spark-submit passes to the JVM on Java 17, as bin/caudal's run_spark_class does. */
  static final List<String> SPARK_JAVA_OPTS = List.of(
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");

  private TranscodeJar() {}

  /** Fails naming what to do when the jar, Debian's chromium or playwright-core is missing. */
  static void requireBrowserTestTools() {
    if (!Files.isRegularFile(JAR) || !Files.isRegularFile(CLASSPATH)) {
      fail("the browser test packages a title with the transcode jar, and " + JAR + " is missing:"
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
    return publish(root, name, category, seconds, List.of(), List.of());
  }

  /**
   * Makes a sample of {@code seconds} with SampleMaker's {@code sampleOptions} (audio streams, a
   * subtitle stream) and publishes it with transcode's {@code transcodeOptions} (sidecar subtitles,
   * thumbnails) under {@code root}; returns its title id.
   */
  static String publish(Path root, String name, String category, int seconds, List<String> sampleOptions,
      List<String> transcodeOptions) throws Exception {
    Path sample = root.resolve("incoming/" + name.toLowerCase().replace(' ', '-') + ".mp4");
    Files.createDirectories(sample.getParent());
    List<String> before = titles(root);
    List<String> sampleArgs = new ArrayList<>(List.of(sample.toString(), "--seconds", Integer.toString(seconds),
        "--size", "640x360", "--rate", "25"));
    sampleArgs.addAll(sampleOptions);
    run(root, "io.caudal.transcode.sample.SampleMaker", sampleArgs.toArray(String[]::new));
    List<String> transcodeArgs = new ArrayList<>(List.of("--input", sample.toString(), "--name", name,
        "--category", category, "--root", root.toString(), "--max-rungs", "2"));
    transcodeArgs.addAll(transcodeOptions);
    run(root, "io.caudal.transcode.TranscodeJob", transcodeArgs.toArray(String[]::new));
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

  /** Whether the jar's transcode job takes {@code option}, as its --help lists it. */
  static boolean takes(Path workDir, String option) throws Exception {
    return run(workDir, "io.caudal.transcode.TranscodeJob", "--help").contains(option);
  }

  /** Runs a main class of the jar and returns what it printed; fails with its output when it fails. */
  static String run(Path workDir, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    command.addAll(SPARK_JAVA_OPTS);
    command.add("-Dlog4j2.configurationFile=" + REPO.resolve("bin/log4j2-local.properties"));
    command.add("-cp");
    command.add(JAR + File.pathSeparator + Files.readString(CLASSPATH).strip());
    command.add(mainClass);
    command.addAll(List.of(args));
    Path log = Files.createTempFile(workDir, "transcode-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(mainClass + " did not finish in 5 minutes");
    }
    String output = Files.readString(log);
    if (process.exitValue() != 0) {
      fail(mainClass + " failed (exit " + process.exitValue() + "):\n" + output);
    }
    return output;
  }
}
