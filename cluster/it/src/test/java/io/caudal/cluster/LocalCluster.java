package io.caudal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HDFS, Spark standalone and Flink standalone started by {@code bin/caudal cluster up} exactly as a
 * user starts them, on free loopback ports and a state directory of the test's own, so the test
 * never meets a cluster someone else runs on the machine.
 */
final class LocalCluster implements AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(4);

  final Path home;
  final Path stateDir;
  final int namenodePort;
  final int sparkMasterPort;
  final int flinkRestPort;
  private final Map<String, String> env = new HashMap<>();

  private LocalCluster(Path home, Path stateDir) {
    this.home = home;
    this.stateDir = stateDir;
    this.namenodePort = freePort();
    this.sparkMasterPort = freePort();
    this.flinkRestPort = freePort();
    env.put("CAUDAL_CLUSTER_DIR", stateDir.toString());
    env.put("CAUDAL_NAMENODE_PORT", Integer.toString(namenodePort));
    env.put("CAUDAL_NAMENODE_HTTP_PORT", Integer.toString(freePort()));
    env.put("CAUDAL_DATANODE_PORT", Integer.toString(freePort()));
    env.put("CAUDAL_DATANODE_HTTP_PORT", Integer.toString(freePort()));
    env.put("CAUDAL_DATANODE_IPC_PORT", Integer.toString(freePort()));
    env.put("CAUDAL_SPARK_MASTER_PORT", Integer.toString(sparkMasterPort));
    env.put("CAUDAL_SPARK_MASTER_UI_PORT", Integer.toString(freePort()));
    env.put("CAUDAL_FLINK_RPC_PORT", Integer.toString(freePort()));
    env.put("CAUDAL_FLINK_REST_PORT", Integer.toString(flinkRestPort));
  }

  /** Starts every daemon and waits until each cluster is usable. */
  static LocalCluster up(Path home, Path stateDir) {
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalCluster cluster = new LocalCluster(home, stateDir);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    cluster.caudal("cluster", "up");
    return cluster;
  }

  String hdfs(String path) {
    return "hdfs://127.0.0.1:" + namenodePort + path;
  }

  String sparkMaster() {
    return "spark://127.0.0.1:" + sparkMasterPort;
  }

  String flinkRest() {
    return "http://127.0.0.1:" + flinkRestPort;
  }

  /** Runs bin/caudal to the end and returns its output; a non-zero exit fails the test. */
  String caudal(String... args) {
    Path log = stateDir.resolve("command-" + System.nanoTime() + ".log");
    Process process = start(log, args);
    try {
      boolean finished = process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(finished).as("bin/caudal %s finished in time; output:%n%s", String.join(" ", args), output).isTrue();
      assertThat(process.exitValue()).as("exit code of bin/caudal %s; output:%n%s", String.join(" ", args), output).isZero();
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      process.destroyForcibly();
    }
  }

  /** Starts bin/caudal in the background, stdout and stderr into {@code log}. */
  Process start(Path log, String... args) {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/caudal").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The running daemon's process, from the pid file bin/caudal wrote. */
  Optional<ProcessHandle> daemon(String name) {
    Path pidFile = stateDir.resolve("run/" + name + ".pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: a machine lost, not a clean shutdown. The daemon's children (executors) go with it. */
  void killHard(ProcessHandle daemon) {
    List<ProcessHandle> all = new ArrayList<>(daemon.descendants().toList());
    all.add(daemon);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      p.onExit().join();
    }
  }

  Path log(String daemon) {
    return stateDir.resolve("logs/" + daemon + ".log");
  }

  @Override
  public void close() {
    if (daemon("namenode").isPresent() || daemon("spark-master").isPresent() || daemon("flink-jobmanager").isPresent()) {
      caudal("cluster", "down");
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
