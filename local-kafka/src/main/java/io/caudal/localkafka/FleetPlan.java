package io.caudal.localkafka;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.Topic;
import io.caudal.schemas.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;

/**
 * A fleet of players and servers as a time-ordered list of encoded events: the load of a QoE
 * benchmark. Sessions are already under way when the run starts (a service is never empty), new
 * ones start at a steady pace, so the event rate is flat from the first second.
 *
 * <p>Each session: PLAY_REQUESTED, STARTED about a second later, a HEARTBEAT every
 * {@link Config#heartbeatIntervalMs} with the buffer and throughput a simple player model gives,
 * an RTCP receiver report every other heartbeat, then ENDED. Its network is one of: steady and
 * fast (most); a dip to 1-2.5 Mbit/s for a while that drains the buffer (lower caps, then lifted);
 * lossy (heavy-loss caps); and a few that fail or leave before starting. Every server reports its
 * health each second, some over the 75 % CPU threshold.
 */
public final class FleetPlan {
  /** The rungs the player model picks from (the job's default ladder has the same shape). */
  static final int[] LADDER_KBPS = {235, 750, 1750, 3000, 4300, 5800};
  static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "sa-east"};
  static final String[] ISPS = {"fibra", "cable-co", "mobile-one", "dsl-net", "sat-link"};
  static final String[] DEVICES = {"web", "tv", "ios", "android"};
  static final int SERVERS_PER_REGION = 4;
  static final int TITLES = 500;
  static final long HEALTH_INTERVAL_MS = 1_000;
  /** Events happen up to this long before they are sent (player batching, network). */
  static final int MAX_OBSERVED_BEFORE_MS = 200;
  private static final long MAX_BUFFER_MS = 30_000;
  private static final double MAX_FILL_PER_SECOND = 1.5;
  private static final double SHORT_SESSIONS = 0.04;

  /**
   * @param eventsPerSecond the steady event rate over all topics
   * @param seconds how long the plan lasts; the plan holds about {@code eventsPerSecond × seconds} events
   * @param heartbeatIntervalMs time between two heartbeats of a session
   * @param heartbeatsPerSession heartbeats of a session that plays to its end
   * @param seed the random seed; the same config gives the same plan
   * @param runId distinguishes the ids of one run's sessions and events from another's
   */
  public record Config(int eventsPerSecond, int seconds, long heartbeatIntervalMs, int heartbeatsPerSession,
      long seed, String runId) {
    public Config {
      if (eventsPerSecond <= 0) {
        throw new IllegalArgumentException("events per second must be positive, got " + eventsPerSecond);
      }
      if (seconds <= 0) {
        throw new IllegalArgumentException("seconds must be positive, got " + seconds);
      }
      if (heartbeatIntervalMs < 100) {
        throw new IllegalArgumentException("heartbeat interval must be at least 100 ms, got " + heartbeatIntervalMs);
      }
      if (heartbeatsPerSession < 4) {
        throw new IllegalArgumentException("a session needs at least 4 heartbeats, got " + heartbeatsPerSession);
      }
    }

    public static Config of(int eventsPerSecond, int seconds, String runId) {
      return new Config(eventsPerSecond, seconds, 1_000, 30, 42, runId);
    }

    long durationMs() {
      return seconds * 1_000L;
    }
  }

  private final Config config;
  private final long placeholderTime;

  private FleetPlan(Config config, long placeholderTime) {
    this.config = config;
    this.placeholderTime = placeholderTime;
  }

  /** The plan's events, ordered by send time. */
  public static List<PlannedEvent> generate(Config config) {
    return new FleetPlan(config, System.currentTimeMillis()).events();
  }

  private List<PlannedEvent> events() {
    SplittableRandom random = new SplittableRandom(config.seed());
    List<PlannedEvent> events = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8,
        (long) config.eventsPerSecond() * config.seconds() * 11 / 10));
    healthReports(random.split(), events);
    double healthRate = REGIONS.length * SERVERS_PER_REGION * 1_000.0 / HEALTH_INTERVAL_MS;
    double sessionRate = Math.max(1.0, config.eventsPerSecond() - healthRate);
    // 4 % of sessions fail or leave before starting (2 events); the rest play to the end.
    double eventsPerSession = SHORT_SESSIONS * 2 + (1 - SHORT_SESSIONS) * (3 + config.heartbeatsPerSession() * 1.5);
    long sessionLengthMs = (config.heartbeatsPerSession() + 2) * config.heartbeatIntervalMs();
    // Sessions starting per ms, for sessionRate events per second in the steady state.
    double startsPerMs = sessionRate / eventsPerSession / 1_000.0;
    double gapMs = 1 / startsPerMs;
    long sessions = 0;
    // Starting a session's length before the run fills the fleet as if it had been running.
    for (double start = -sessionLengthMs; start < config.durationMs(); start += gapMs) {
      session(sessions++, (long) start, random.split(), events);
    }
    events.sort(Comparator.comparingLong(PlannedEvent::sendAtMs));
    return events;
  }

  private void session(long number, long startMs, SplittableRandom random, List<PlannedEvent> out) {
    String sessionId = config.runId() + "-s" + number;
    int region = random.nextInt(REGIONS.length);
    // One record per session, refilled and encoded for each event: building a record per event
    // would cost more than all the rest of the plan.
    PlayerHeartbeat base = PlayerHeartbeat.newBuilder()
        .setEventId("")
        .setSessionId(sessionId)
        .setUserId("u" + random.nextInt(200_000))
        .setTitleId("t" + random.nextInt(TITLES))
        .setEventTime(placeholderTime)
        .setType(HeartbeatType.PLAY_REQUESTED)
        .setServerId(serverId(region, random.nextInt(SERVERS_PER_REGION)))
        .setRegion(REGIONS[region])
        .setIsp(ISPS[random.nextInt(ISPS.length)])
        .setDevice(DEVICES[random.nextInt(DEVICES.length)])
        .setPlayheadMs(0L)
        .build();
    long hb = config.heartbeatIntervalMs();
    int[] eventNumber = {0};
    Emitter emit = (time, type, measures) -> {
      clearMeasures(base);
      base.setType(type);
      base.setEventId(sessionId + "-e" + eventNumber[0]++);
      measures.accept(base);
      add(Topics.HEARTBEAT, base, time, random, out);
    };

    double draw = random.nextDouble();
    emit.at(startMs, HeartbeatType.PLAY_REQUESTED, event -> { });
    long startedAt = startMs + 400 + random.nextInt(1_600);
    if (draw < 0.02) {
      emit.at(startedAt, HeartbeatType.ERROR, event -> event.setErrorCode("MEDIA_ERR_DECODE"));
      return;
    }
    if (draw < SHORT_SESSIONS) {
      emit.at(startedAt, HeartbeatType.EXIT, event -> { });
      return;
    }
    Network network = draw < 0.70 ? Network.STEADY : draw < 0.92 ? Network.DIP : Network.LOSSY;
    emit.at(startedAt, HeartbeatType.STARTED, event -> {
      event.setBitrateKbps(LADDER_KBPS[2]);
      event.setBufferMs(4_000L);
    });

    double fast = 9_000 + random.nextInt(12_000);
    int dipFrom = 2 + random.nextInt(Math.max(1, config.heartbeatsPerSession() / 3));
    int dipLength = 8 + random.nextInt(6);
    double dipTo = 50 + random.nextInt(1_950);
    double bufferMs = 4_000;
    double estimate = LADDER_KBPS[2];
    long playheadMs = 0;
    long ssrc = random.nextLong(1L << 32);
    long highestSeq = random.nextInt(65_536);
    int cumulativeLost = 0;
    boolean stalled = false;
    for (int beat = 1; beat <= config.heartbeatsPerSession(); beat++) {
      long time = startedAt + beat * hb;
      double throughput = switch (network) {
        case STEADY -> fast * (0.9 + 0.2 * random.nextDouble());
        case DIP -> (beat >= dipFrom && beat < dipFrom + dipLength ? dipTo : fast) * (0.9 + 0.2 * random.nextDouble());
        case LOSSY -> 2_500 + random.nextInt(2_500);
      };
      // The player picks from its smoothed estimate, which trails a sudden dip by a few segments.
      int bitrate = rungAtOrBelow(estimate * 0.8, bufferMs);
      estimate = 0.7 * estimate + 0.3 * throughput;
      // The buffer grows by what arrives beyond what plays, at most 1.5 s a second (segments are
      // fetched one after another), and never past the player's target.
      double growth = Math.min(MAX_FILL_PER_SECOND, throughput / bitrate - 1);
      bufferMs = Math.min(MAX_BUFFER_MS, Math.max(0, bufferMs + hb * growth));
      playheadMs += stalled ? 0 : hb;
      base.setPlayheadMs(playheadMs);
      long buffered = (long) bufferMs;
      if (buffered == 0 && !stalled) {
        stalled = true;
        emit.at(time - 1, HeartbeatType.STALL_START, event -> event.setBufferMs(0L));
      } else if (buffered > 2_000 && stalled) {
        stalled = false;
        emit.at(time - 1, HeartbeatType.STALL_END, event -> event.setBufferMs(buffered));
      }
      int dropped = beat / 10;
      emit.at(time, HeartbeatType.HEARTBEAT, event -> {
        event.setBitrateKbps(bitrate);
        event.setBufferMs(buffered);
        event.setThroughputKbps((int) throughput);
        event.setTopBitrateKbps(LADDER_KBPS[LADDER_KBPS.length - 1]);
        event.setDroppedFrames(dropped);
      });
      if (beat % 2 == 0) {
        double loss = network == Network.LOSSY ? 0.06 + 0.06 * random.nextDouble() : 0.002 * random.nextDouble();
        int packets = (int) (throughput * 2 * hb / 1_000 / 10);
        int lost = (int) (packets * loss);
        highestSeq += packets;
        cumulativeLost += lost;
        PlayerRtcp report = PlayerRtcp.newBuilder()
            .setEventId(sessionId + "-r" + beat)
            .setSessionId(sessionId)
            .setServerId(base.getServerId())
            .setEventTime(placeholderTime)
            .setSsrc(ssrc)
            .setFractionLost((int) Math.min(255, loss * 256))
            .setCumulativeLost(cumulativeLost)
            .setHighestSeq(highestSeq)
            .setJitter(900 + random.nextInt(4_000))
            .setClockRate(90_000)
            .setLsr(0)
            .setDlsr(0)
            .setRttMs(20.0 + random.nextInt(120))
            .build();
        add(Topics.RTCP, report, time + 5, random, out);
      }
    }
    long endAt = startedAt + (config.heartbeatsPerSession() + 1) * hb;
    emit.at(endAt, HeartbeatType.ENDED, event -> { });
  }

  private void healthReports(SplittableRandom random, List<PlannedEvent> out) {
    int servers = REGIONS.length * SERVERS_PER_REGION;
    double[] load = new double[servers];
    for (int s = 0; s < servers; s++) {
      // A quarter of the servers run hot, over the 75 % CPU threshold most of the time.
      load[s] = s % 4 == 3 ? 0.8 : 0.3 + 0.3 * random.nextDouble();
    }
    List<String> titles = new ArrayList<>();
    for (int t = 0; t < TITLES; t += 3) {
      titles.add("t" + t);
    }
    for (long time = 0; time < config.durationMs(); time += HEALTH_INTERVAL_MS) {
      for (int s = 0; s < servers; s++) {
        int region = s / SERVERS_PER_REGION;
        double cpu = Math.min(1, Math.max(0, load[s] + 0.1 * (random.nextDouble() - 0.5)));
        ServerHealth report = ServerHealth.newBuilder()
            .setServerId(serverId(region, s % SERVERS_PER_REGION))
            .setRegion(REGIONS[region])
            .setEventTime(placeholderTime)
            .setCpuUtil(cpu)
            .setMemUtil(0.4 + 0.3 * random.nextDouble())
            .setDiskFreeBytes(500L << 30)
            .setPendingBytes(random.nextInt(50 << 20))
            .setActiveSessions(200 + random.nextInt(2_000))
            .setEgressMbps(cpu * 9_000)
            .setCapacityMbps(10_000)
            .setTitles(titles)
            .build();
        add(Topics.SERVER_HEALTH, report, time + s * 7L, random, out);
      }
    }
  }

  private <V extends SpecificRecord> void add(Topic<V> topic, V value, long sendAtMs, SplittableRandom random,
      List<PlannedEvent> out) {
    if (sendAtMs < 0 || sendAtMs >= config.durationMs()) {
      return;
    }
    out.add(new PlannedEvent(topic.name(), topic.keyOf(value), JsonAvroCodec.toBytes(value), EventTimes.offsetOf(value),
        sendAtMs, random.nextInt(MAX_OBSERVED_BEFORE_MS + 1)));
  }

  /** The rung a player's own adaptation picks: what throughput allows, one lower on a short buffer. */
  private static int rungAtOrBelow(double kbps, double bufferMs) {
    int index = 0;
    for (int i = 0; i < LADDER_KBPS.length && LADDER_KBPS[i] <= kbps; i++) {
      index = i;
    }
    if (bufferMs < 5_000 && index > 0) {
      index--;
    }
    return LADDER_KBPS[index];
  }

  /** Empties the session's record of the last event's measurements. */
  private static void clearMeasures(PlayerHeartbeat base) {
    base.setBitrateKbps(null);
    base.setBufferMs(null);
    base.setThroughputKbps(null);
    base.setTopBitrateKbps(null);
    base.setDroppedFrames(null);
    base.setErrorCode(null);
  }

  static String serverId(int region, int server) {
    return REGIONS[region] + "-edge-" + (server + 1);
  }

  private enum Network { STEADY, DIP, LOSSY }

  @FunctionalInterface
  private interface Emitter {
    void at(long sendAtMs, HeartbeatType type, java.util.function.Consumer<PlayerHeartbeat> measures);
  }
}
