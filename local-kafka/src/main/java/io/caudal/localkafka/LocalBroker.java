package io.caudal.localkafka;

import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A single-node Kafka (KRaft, broker and controller combined) running in this JVM, with every
 * Caudal topic created as its {@link io.caudal.schemas.TopicLayout} says. Restarting on the same data directory keeps the topics and their records.
 */
public final class LocalBroker implements AutoCloseable {
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String HOST = "localhost";

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final int port;
  private boolean closed;

  private LocalBroker(KafkaRaftServer server, Path dataDir, int port) {
    this.server = server;
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Formats {@code dataDir} when it holds no broker yet, starts the broker on {@code port} and
   * creates the Caudal topics that are missing.
   *
   * @throws PortInUseException when something already listens on the port
   */
  public static LocalBroker start(Path dataDir, int port) {
    requirePortFree(port);
    int controllerPort = freePort();
    KafkaConfig config = new KafkaConfig(brokerProperties(dataDir, port, controllerPort), false);
    try {
      Files.createDirectories(dataDir);
      if (!isFormatted(dataDir)) {
        format(dataDir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the data directory " + dataDir, e);
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    LocalBroker broker = new LocalBroker(server, dataDir, port);
    try {
      server.startup();
      broker.createMissingTopics();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** {@code localhost:PORT}, for clients. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Blocks until the broker has shut down (after {@link #close()} from another thread). */
  public void awaitShutdown() {
    server.awaitShutdown();
  }

  /** Shuts the broker down cleanly: logs flushed, a restart needs no recovery. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }

  static Properties brokerProperties(Path dataDir, int port, int controllerPort) {
    Properties props = new Properties();
    props.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", Integer.toString(NODE_ID)),
        // A static one-voter quorum: the controller port may change between restarts.
        Map.entry("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort),
        Map.entry("controller.listener.names", CONTROLLER_LISTENER),
        Map.entry("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
            + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
        Map.entry("log.dirs", dataDir.toString()),
        // One broker: every internal topic has one replica and needs only that one in sync.
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("default.replication.factor", "1"),
        Map.entry("min.insync.replicas", "1"),
        // Fewer partitions for the internal topics than a cluster's 50: quicker first start.
        Map.entry("offsets.topic.num.partitions", "4"),
        Map.entry("transaction.state.log.num.partitions", "4"),
        // The 15-minute cap the job's exactly-once sinks keep their transaction timeout under.
        Map.entry("transaction.max.timeout.ms", "900000"),
        // Nobody else joins a local group: start consuming at once.
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        // A mistyped topic name fails instead of quietly creating a stray topic.
        Map.entry("auto.create.topics.enable", "false")));
    return props;
  }

  private static boolean isFormatted(Path dataDir) {
    return Files.exists(dataDir.resolve("meta.properties"));
  }

  private static void format(Path dataDir) {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(dataDir.toString())
          .addDirectory(dataDir.toString())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private void createMissingTopics() {
    Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin admin = Admin.create(config)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = Topics.all().stream()
          .filter(topic -> !existing.contains(topic.name()))
          .map(LocalBroker::newTopic)
          .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the Caudal topics: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the Caudal topics", e);
    }
  }

  /** A topic as its layout says, with the one replica a single broker can hold. */
  private static NewTopic newTopic(Topic<?> topic) {
    return new NewTopic(topic.name(), topic.layout().partitions(), (short) 1).configs(topic.layout().configs());
  }

  private static void requirePortFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new PortInUseException(port);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port for the controller", e);
    }
  }

  /** Something already listens on the broker's port. */
  public static final class PortInUseException extends IllegalStateException {
    public PortInUseException(int port) {
      super("port " + port + " is already in use (is a broker already running? choose another with --port)");
    }
  }
}
