package io.caudal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import io.caudal.sim.experiment.ThesisReport;
import io.caudal.sim.kafka.KafkaDecisionSource;
import io.caudal.sim.kafka.KafkaEventSink;
import io.caudal.sim.kafka.KafkaTopics;
import io.caudal.sim.model.Ladder;
import io.caudal.sim.model.ServerChoice;
import io.caudal.sim.model.ServerLoadModel;
import io.caudal.sim.model.SessionBehaviour;
import io.caudal.sim.model.SessionOrder;
import io.caudal.sim.model.SimConfig;
import io.caudal.sim.model.Simulation;
import io.caudal.sim.run.Pacer;
import io.caudal.sim.run.SimRunner;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against an in-process KRaft broker that starts without topics: the simulator
 * creates them. The test plays the decision side: it publishes qoe.bitrate and qoe.steering
 * records itself (in transactions, as qoe-stream does), and for the thesis experiment runs a small
 * scripted locator that steers from the health reports.
 */
@IntegrationTest
class SimKafkaIntegrationTest {
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.empty();
  private static String bootstrap;

  @BeforeAll
  static void createTopics() {
    bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap);
  }

  @Test
  void createsTheTopicsItUsesAsTheirLayoutSaysWithOneReplicaOnOneBroker() throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<String> names = KafkaTopics.used().stream().map(Topic::name).toList();
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      List<ConfigResource> resources = names.stream()
          .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
      for (Topic<?> topic : KafkaTopics.used()) {
        assertThat(described.get(topic.name()).partitions()).as(topic.name())
            .hasSize(topic.layout().partitions())
            .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(1));
        Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
        topic.layout().configs().forEach((name, value) ->
            assertThat(config.get(name).value()).as("%s of %s", name, topic.name()).isEqualTo(value));
      }
    }
  }

  @Test
  void aMainRunSendsValidEventsAndAnUnhealthyServerShowsInItsHealth() throws Exception {
    int code = SimMain.run(new String[] {"--players", "30", "--servers", "2", "--regions", "1",
        "--duration", "150s", "--speed", "30", "--seed", "9", "--bootstrap-servers", bootstrap,
        "--fault", "server-unhealthy:eu-west-s1@60s", "--fault", "isp-degrade:eu-west/isp-a@30s",
        "--server-url", "http://{id}.cdn.example"});
    assertThat(code).isZero();

    List<PlayerHeartbeat> heartbeats = readAll(Topics.HEARTBEAT);
    List<PlayerRtcp> rtcp = readAll(Topics.RTCP);
    List<ServerHealth> health = readAll(Topics.SERVER_HEALTH);
    assertValid(heartbeats, rtcp, health);
    assertThat(health).filteredOn(h -> h.getRegion().equals("eu-west")).isNotEmpty()
        .allSatisfy(h -> assertThat(h.getPublicUrl()).isEqualTo("http://" + h.getServerId() + ".cdn.example"));

    List<ServerHealth> s1 = health.stream().filter(h -> h.getServerId().equals("eu-west-s1"))
        .sorted(Comparator.comparingLong(ServerHealth::getEventTime)).toList();
    long start = s1.get(0).getEventTime() - SimConfig.DEFAULT_TICK_MS;
    assertThat(s1.stream().filter(h -> h.getEventTime() <= start + 60_000))
        .isNotEmpty().allSatisfy(h -> assertThat(h.getCpuUtil()).isLessThan(1.0));
    assertThat(s1.stream().filter(h -> h.getEventTime() > start + 60_000))
        .isNotEmpty().allSatisfy(h -> {
          assertThat(h.getCpuUtil()).isEqualTo(1.0);
          assertThat(h.getPendingBytes()).isPositive();
        });
    assertThat(heartbeats.stream().filter(h -> h.getRegion().equals("eu-west")).map(PlayerHeartbeat::getType))
        .contains(HeartbeatType.PLAY_REQUESTED, HeartbeatType.STARTED, HeartbeatType.HEARTBEAT);
  }

  @Test
  void thePlayerObeysABitrateCapAndMovesServerOnASteeringChange() throws Exception {
    String region = "closed-loop";
    SimConfig config = new SimConfig(6, 2, 1, 10, 1.0, Ladder.DEFAULT, 1_000, 5_000, 5_000, 5_000, 2_000,
        10_000, 1_000, ServerLoadModel.DEFAULT, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.STEADY, List.of(),
        Pacer.startEpochMs(System.currentTimeMillis(), 600_000, 10), 21, List.of());
    Simulation simulation = new Simulation(config, List.of(region));
    AtomicBoolean stop = new AtomicBoolean();
    Map<String, List<PlayerHeartbeat>> bySession = new ConcurrentHashMap<>();
    List<PlayerHeartbeat> seen = new CopyOnWriteArrayList<>();

    CompletableFuture<Void> run;
    try (Tail<PlayerHeartbeat> tail = new Tail<>(Topics.HEARTBEAT);
        KafkaEventSink sink = new KafkaEventSink(bootstrap);
        KafkaDecisionSource decisions = new KafkaDecisionSource(bootstrap)) {
      SimRunner runner = new SimRunner(simulation, sink, decisions, new Pacer(10));
      run = CompletableFuture.runAsync(() -> {
        try {
          while (!stop.get() && simulation.elapsedMs() < 600_000) {
            runner.run(simulation.elapsedMs() + 1_000);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      {
        Runnable read = () -> tail.poll().stream().filter(h -> h.getRegion().equals(region)).forEach(h -> {
          seen.add(h);
          bySession.computeIfAbsent(h.getSessionId(), k -> new CopyOnWriteArrayList<>()).add(h);
        });

        // A session playing above 730 kbps gets capped at 730.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          read.run();
          return seen.stream().anyMatch(h -> h.getType() == HeartbeatType.HEARTBEAT && h.getBitrateKbps() > 730);
        });
        PlayerHeartbeat high = seen.stream()
            .filter(h -> h.getType() == HeartbeatType.HEARTBEAT && h.getBitrateKbps() > 730).findFirst().orElseThrow();
        String capped = high.getSessionId();
        KAFKA.publishCommitted(Topics.BITRATE, new BitrateDecision(capped, high.getEventTime(), 730, "rebuffering", 0L));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          read.run();
          return bySession.get(capped).stream().filter(h -> Integer.valueOf(730).equals(h.getTopBitrateKbps()))
              .filter(h -> h.getType() == HeartbeatType.HEARTBEAT).count() >= 3;
        });

        // Every player starts on the default pathway (s1); steering puts s2 first.
        assertThat(seen).allSatisfy(h -> assertThat(h.getServerId()).isIn("unassigned", region + "-s1"));
        KAFKA.publishCommitted(Topics.STEERING, SteeringDecision.newBuilder().setRegion(region)
            .setEventTime(high.getEventTime()).setTtlSeconds(10)
            .setPathwayPriority(List.of(region + "-s2", region + "-s1")).setExcluded(List.of())
            .setReplications(List.of()).build());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          read.run();
          return bySession.keySet().stream().allMatch(session -> bySession.get(session).stream()
              .filter(h -> h.getType() == HeartbeatType.HEARTBEAT)
              .anyMatch(h -> h.getServerId().equals(region + "-s2")));
        });
      }
      stop.set(true);
      run.get();
    }

    List<PlayerHeartbeat> cappedEvents = bySession.get(seen.stream()
        .filter(h -> Integer.valueOf(730).equals(h.getTopBitrateKbps())).findFirst().orElseThrow().getSessionId());
    int firstCapped = indexOf(cappedEvents, h -> Integer.valueOf(730).equals(h.getTopBitrateKbps()));
    assertThat(cappedEvents.subList(firstCapped, cappedEvents.size())).allSatisfy(h -> {
      assertThat(h.getBitrateKbps()).isLessThanOrEqualTo(730);
      assertThat(h.getTopBitrateKbps()).isEqualTo(730);
    });
    assertThat(cappedEvents.subList(0, firstCapped)).anySatisfy(h -> assertThat(h.getBitrateKbps()).isGreaterThan(730));
    bySession.values().forEach(events -> {
      int moved = indexOf(events, h -> h.getServerId().equals(region + "-s2"));
      assertThat(moved).isPositive();
      assertThat(events.subList(moved, events.size()))
          .allSatisfy(h -> assertThat(h.getServerId()).isEqualTo(region + "-s2"));
    });
    assertThat(SessionOrder.problems(new ArrayList<>(seen))).isEmpty();
  }

  @Test
  void theThesisExperimentRunsEndToEndAgainstAScriptedLocator(@TempDir Path out) throws Exception {
    int code;
    try (ScriptedLocator locator = new ScriptedLocator()) {
      CompletableFuture<Void> steering = CompletableFuture.runAsync(locator);
      code = SimMain.run(new String[] {"--experiment", "thesis", "--max-clients", "40", "--client-step", "10",
          "--step-duration", "20s", "--speed", "20", "--bootstrap-servers", bootstrap, "--out", out.toString()});
      locator.stop();
      steering.get();
      assertThat(locator.published()).isPositive();
    }
    assertThat(code).isZero();

    List<String> csv = Files.readAllLines(out.resolve(ThesisReport.CSV));
    assertThat(csv.get(0)).isEqualTo("servers,clients,mean_utilization,mean_wait_ms,p95_wait_ms,waiting_at_end");
    assertThat(csv).hasSize(1 + 4 * 4);
    Map<String, double[]> rows = new HashMap<>();
    for (String line : csv.subList(1, csv.size())) {
      double[] v = Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray();
      rows.put((int) v[0] + "x" + (int) v[1], v);
    }
    // One server: utilization climbs with clients until the locator's 75 % turns newcomers away.
    assertThat(rows.get("1x20")[2]).isGreaterThan(rows.get("1x10")[2]);
    assertThat(rows.get("1x40")[5]).isPositive();
    assertThat(rows.get("1x40")[3]).isPositive();
    // Four servers share 40 clients: lower utilization, and everybody served.
    assertThat(rows.get("4x40")[2]).isLessThan(rows.get("1x40")[2]);
    assertThat(rows.get("4x40")[5]).isZero();
    assertThat(rows.values()).allSatisfy(v -> {
      assertThat(v[2]).isBetween(0.0, 1.0);
      assertThat(v[3]).isNotNegative();
    });
    assertThat(Files.readString(out.resolve(ThesisReport.TABLE))).contains("servers", "mean util");
    BufferedImage plot = ImageIO.read(out.resolve(ThesisReport.PLOT).toFile());
    assertThat(plot.getWidth()).isEqualTo(1280);
  }

  // ---- checks ----------------------------------------------------------------------------------

  private static void assertValid(List<PlayerHeartbeat> heartbeats, List<PlayerRtcp> rtcp, List<ServerHealth> health) {
    assertThat(heartbeats).isNotEmpty().allSatisfy(h -> {
      assertThat(h.getEventId()).isNotBlank();
      assertThat(h.getSessionId()).isNotBlank();
      assertThat(h.getServerId()).isNotBlank();
      assertThat(h.getPlayheadMs()).isNotNegative();
      for (Number n : Arrays.asList(h.getBitrateKbps(), h.getBufferMs(), h.getThroughputKbps(),
          h.getTopBitrateKbps(), h.getDroppedFrames())) {
        if (n != null) {
          assertThat(n.longValue()).isNotNegative();
        }
      }
      assertThat(h.getErrorCode() != null).isEqualTo(h.getType() == HeartbeatType.ERROR);
    });
    assertThat(heartbeats.stream().map(PlayerHeartbeat::getEventId).distinct().count()).isEqualTo(heartbeats.size());
    assertThat(SessionOrder.problems(heartbeats)).isEmpty();
    assertThat(rtcp).isNotEmpty().allSatisfy(r -> {
      assertThat(r.getFractionLost()).isBetween(0, 255);
      assertThat(r.getCumulativeLost()).isNotNegative();
      assertThat(r.getHighestSeq()).isBetween(0L, 0xFFFF_FFFFL);
      assertThat(r.getJitter()).isNotNegative();
      assertThat(r.getClockRate()).isEqualTo(90_000);
      assertThat(r.getSsrc()).isBetween(0L, 0xFFFF_FFFFL);
      assertThat(r.getDlsr()).isNotNegative();
    });
    assertThat(health).isNotEmpty().allSatisfy(s -> {
      assertThat(s.getCpuUtil()).isBetween(0.0, 1.0);
      assertThat(s.getMemUtil()).isBetween(0.0, 1.0);
      assertThat(s.getActiveSessions()).isNotNegative();
      assertThat(s.getEgressMbps()).isNotNegative().isLessThanOrEqualTo(s.getCapacityMbps());
      assertThat(s.getDiskFreeBytes()).isNotNegative();
      assertThat(s.getTitles()).isNotEmpty();
    });
  }

  private static <T> int indexOf(List<T> list, java.util.function.Predicate<T> test) {
    for (int i = 0; i < list.size(); i++) {
      if (test.test(list.get(i))) {
        return i;
      }
    }
    return -1;
  }

  // ---- Kafka helpers ---------------------------------------------------------------------------

  private static KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(props);
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, Topic<?> topic) {
    return consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  /** Every record of the topic so far, decoded with its schema; the key must be the one Topics says. */
  private static <V extends SpecificRecord> List<V> readAll(Topic<V> topic) {
    List<V> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommitted(topic.name())) {
      V value = JsonAvroCodec.fromBytes(record.value(), topic.valueClass());
      assertThat(record.key()).isEqualTo(topic.keyOf(value));
      values.add(value);
    }
    return values;
  }

  /** Follows a topic from its current end. */
  private static final class Tail<V extends SpecificRecord> implements AutoCloseable {
    private final Topic<V> topic;
    private final KafkaConsumer<byte[], byte[]> consumer = consumer();

    Tail(Topic<V> topic) {
      this.topic = topic;
      List<TopicPartition> partitions = partitions(consumer, topic);
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }

    List<V> poll() {
      List<V> values = new ArrayList<>();
      consumer.poll(Duration.ofMillis(100))
          .forEach(r -> values.add(JsonAvroCodec.fromBytes(r.value(), topic.valueClass())));
      return values;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /**
   * Publishes decisions in transactions, as qoe-stream's exactly-once sinks do, through one
   * producer: the locator publishes many a second, too many to open a producer for each.
   */
  private static final class DecisionPublisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    DecisionPublisher(String transactionalId) {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      producer = new KafkaProducer<>(props);
      producer.initTransactions();
    }

    <V extends SpecificRecord> void publish(Topic<V> topic, V value) {
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic.name(), topic.keyOf(value), JsonAvroCodec.toBytes(value)));
      producer.commitTransaction();
    }

    @Override
    public void close() {
      producer.close();
    }
  }

  /**
   * The thesis's locator in a few lines, for the test only: from each batch of health reports of
   * the experiment's regions, steer each region to its servers by CPU, least loaded first, and
   * exclude those at or over 75 % CPU or memory.
   */
  private static final class ScriptedLocator implements Runnable, AutoCloseable {
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Map<String, Map<String, ServerHealth>> latest = new HashMap<>();
    private final DecisionPublisher publisher = new DecisionPublisher("scripted-locator");
    private final Tail<ServerHealth> health = new Tail<>(Topics.SERVER_HEALTH);
    private volatile int published;

    @Override
    public void run() {
      while (!stopped.get()) {
        Map<String, Long> touched = new HashMap<>();
        for (ServerHealth report : health.poll()) {
          if (report.getRegion().startsWith("thesis-")) {
            latest.computeIfAbsent(report.getRegion(), r -> new HashMap<>()).put(report.getServerId(), report);
            touched.merge(report.getRegion(), report.getEventTime(), Math::max);
          }
        }
        touched.forEach((region, at) -> {
          List<ServerHealth> servers = latest.get(region).values().stream()
              .sorted(Comparator.comparingDouble(ServerHealth::getCpuUtil)).toList();
          List<ExcludedServer> excluded = servers.stream()
              .filter(s -> s.getCpuUtil() >= 0.75 || s.getMemUtil() >= 0.75)
              .map(s -> new ExcludedServer(s.getServerId(), "cpu_over_threshold")).toList();
          KAFKA.publishCommitted(Topics.STEERING, SteeringDecision.newBuilder().setRegion(region).setEventTime(at)
              .setTtlSeconds(10).setPathwayPriority(servers.stream().map(ServerHealth::getServerId).toList())
              .setExcluded(excluded).setReplications(List.of()).build());
          published++;
        });
      }
    }

    void stop() {
      stopped.set(true);
    }

    int published() {
      return published;
    }

    @Override
    public void close() {
      stop();
      health.close();
      publisher.close();
    }
  }
}
