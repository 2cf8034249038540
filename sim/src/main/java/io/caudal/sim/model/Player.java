package io.caudal.sim.model;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import java.util.Random;
import java.util.UUID;

/**
 * One viewer's player: the life of its current session, its buffer and rung, and the events it
 * reports. {@link Simulation} decides when a session begins and which server serves it; the
 * player does the rest tick by tick.
 *
 * <p>Buffer dynamics per tick: downloading adds {@code tick × throughput ÷ bitrate} of media
 * (up to {@link #MAX_BUFFER_MS}); playing spends the tick. When the buffer empties mid-tick the
 * player stalls at that instant, and resumes once {@link #RESUME_BUFFER_MS} is buffered. A seek
 * empties the buffer too, but the wait that follows is a seek, not a stall.
 */
public final class Player {
  /** Server id reported while a player still waits for a server (thesis experiment). */
  public static final String UNASSIGNED = "unassigned";
  /** Segment duration: the transcode module's 4 s target. */
  public static final long SEGMENT_MS = 4_000;
  /** hls.js's default maxBufferLength is 30 s. */
  public static final long MAX_BUFFER_MS = 30_000;
  /** Media needed to restart after a stall or seek: half a segment, as players do. */
  public static final long RESUME_BUFFER_MS = 2_000;
  /** Manifest and init segment before the first media segment: a few round trips and parsing. */
  static final long SETUP_MS = 150;
  /** A viewer stalled this long gives up. */
  static final long GIVE_UP_STALL_MS = 30_000;
  /** RTP payloads of 1200 bytes: the common MTU-safe size. */
  static final double PACKET_BITS = 1200 * 8;
  /** RTP video clock. */
  static final int CLOCK_RATE = 90_000;
  /** Seconds between 1900 (NTP epoch) and 1970. */
  static final long NTP_UNIX_OFFSET_S = 2_208_988_800L;

  /** What the player is doing. */
  public enum State { IDLE, WAITING_SERVER, STARTING, PLAYING, STALLED, SEEKING, PAUSED }

  /** What will happen to a session that has not started yet. */
  enum StartFate { STARTS, FAILS, ABANDONED }

  private final String userId;
  private final String region;
  private final String device;
  private final PlayerPath path;
  private final Ladder ladder;
  private final AbrRule abr;
  private final long heartbeatIntervalMs;
  private final long rtcpIntervalMs;

  private State state = State.IDLE;
  private long nextSessionAtMs;
  private String sessionId;
  private String titleId;
  private long titleDurationMs;
  private String serverId = UNASSIGNED;
  private long requestedAtMs;
  private StartFate fate = StartFate.STARTS;
  private double abandonShare;
  private long abandonAtMs;
  private long startedAtMs;
  private long exitAtPlayheadMs;
  private boolean realistic;

  private ThroughputEstimator estimator;
  private int bitrateKbps;
  private int topBitrateKbps;
  private long bufferMs;
  private long playheadMs;
  private int droppedFrames;
  private long lastSwitchMs;
  private long stallStartMs;
  private long pauseUntilMs;
  private long nextHeartbeatMs;
  private long nextRtcpMs;
  private double lastThroughputKbps;

  private long ssrc;
  private long highestSeq;
  private int cumulativeLost;
  private double jitterUnits;

  public Player(String userId, String region, String device, PlayerPath path, Ladder ladder, AbrRule abr,
      long heartbeatIntervalMs, long rtcpIntervalMs) {
    this.userId = userId;
    this.region = region;
    this.device = device;
    this.path = path;
    this.ladder = ladder;
    this.abr = abr;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    this.rtcpIntervalMs = rtcpIntervalMs;
  }

  // ---- what the simulation reads ---------------------------------------------------------------

  public State state() {
    return state;
  }

  public String userId() {
    return userId;
  }

  public String region() {
    return region;
  }

  public String isp() {
    return path.link().isp();
  }

  public PlayerPath path() {
    return path;
  }

  public String sessionId() {
    return sessionId;
  }

  public String titleId() {
    return titleId;
  }

  public String serverId() {
    return serverId;
  }

  public int bitrateKbps() {
    return bitrateKbps;
  }

  public long bufferMs() {
    return bufferMs;
  }

  /** How long the current (or last) session's title plays. */
  public long titleDurationMs() {
    return titleDurationMs;
  }

  public long playheadMs() {
    return playheadMs;
  }

  public long requestedAtMs() {
    return requestedAtMs;
  }

  public long nextSessionAtMs() {
    return nextSessionAtMs;
  }

  /** Whether the session holds a server (it is fetching or holding media from it). */
  public boolean served() {
    return state == State.STARTING || state == State.PLAYING || state == State.STALLED
        || state == State.SEEKING || state == State.PAUSED;
  }

  /** Whether the session is on screen (started and not ended). */
  public boolean started() {
    return state == State.PLAYING || state == State.STALLED || state == State.SEEKING || state == State.PAUSED;
  }

  /** Next session no earlier than {@code atMs}. */
  public void scheduleNextSession(long atMs) {
    nextSessionAtMs = atMs;
  }

  // ---- session life ----------------------------------------------------------------------------

  /**
   * The viewer presses play on {@code titleId} at {@code now}: PLAY_REQUESTED is sent with
   * {@code knownServerId} (the server the player will ask, or {@link #UNASSIGNED} when it must
   * wait for steering) and the player waits to be assigned.
   */
  public void request(long now, String sessionId, String titleId, long titleDurationMs, String knownServerId,
      SessionBehaviour behaviour, Random random, EventSink sink) {
    this.sessionId = sessionId;
    this.titleId = titleId;
    this.titleDurationMs = titleDurationMs;
    this.realistic = behaviour == SessionBehaviour.REALISTIC;
    this.requestedAtMs = now;
    this.serverId = knownServerId;
    this.estimator = new ThroughputEstimator();
    this.bitrateKbps = 0;
    this.topBitrateKbps = 0;
    this.lastThroughputKbps = 0;
    this.bufferMs = 0;
    this.playheadMs = 0;
    this.droppedFrames = 0;
    this.ssrc = random.nextInt() & 0xFFFF_FFFFL;
    this.highestSeq = random.nextInt(1 << 16);
    this.cumulativeLost = 0;
    this.jitterUnits = 0;
    if (realistic) {
      double roll = random.nextDouble();
      fate = roll < 0.02 ? StartFate.FAILS : roll < 0.05 ? StartFate.ABANDONED : StartFate.STARTS;
      abandonShare = random.nextDouble();
      exitAtPlayheadMs = random.nextDouble() < 0.35 ? Long.MAX_VALUE
          : (long) (titleDurationMs * (0.05 + 0.9 * random.nextDouble()));
    } else {
      fate = StartFate.STARTS;
      exitAtPlayheadMs = Long.MAX_VALUE;
    }
    state = State.WAITING_SERVER;
    emit(sink, random, now, HeartbeatType.PLAY_REQUESTED, null);
  }

  /** Sets the player on {@code server} at {@code now}: a waiting player starts loading. */
  public void assign(MediaServer server, long now, NetworkSample sample, int capKbps) {
    serverId = server.serverId();
    if (state != State.WAITING_SERVER) {
      return; // a move mid-session: the buffer stays, the next segments come from the new server
    }
    topBitrateKbps = Math.min(capKbps, ladder.top());
    bitrateKbps = abr.firstRung(ladder, estimator.estimateKbps(), topBitrateKbps);
    // Startup: manifest and init segment, then the first segment at the path's throughput.
    long startupMs = SETUP_MS + (long) Math.ceil(sample.rttMs() * 2)
        + (long) Math.ceil(SEGMENT_MS * bitrateKbps / Math.max(sample.throughputKbps(), 1));
    startedAtMs = now + startupMs;
    // A viewer who will not wait leaves at some point of the startup (exit before video start).
    abandonAtMs = now + (long) (abandonShare * startupMs);
    state = State.STARTING;
  }

  /** Advances the session from {@code now} to {@code now + tickMs}. */
  public void tick(long now, long tickMs, NetworkSample sample, int capKbps, Random random, EventSink sink) {
    long end = now + tickMs;
    switch (state) {
      case IDLE -> { }
      case WAITING_SERVER -> {
        if (realistic && end - requestedAtMs >= GIVE_UP_STALL_MS) {
          finish(sink, random, end, HeartbeatType.EXIT, null);
        }
      }
      case STARTING -> tickStarting(now, end, sample, capKbps, random, sink);
      default -> tickSession(now, tickMs, sample, capKbps, random, sink);
    }
  }

  private void tickStarting(long now, long end, NetworkSample sample, int capKbps, Random random, EventSink sink) {
    if (fate == StartFate.ABANDONED && abandonAtMs <= end && abandonAtMs < startedAtMs) {
      finish(sink, random, Math.max(now, abandonAtMs), HeartbeatType.EXIT, null);
      return;
    }
    if (realistic && end - requestedAtMs > 8_000 && startedAtMs > end && random.nextDouble() < 0.1) {
      finish(sink, random, end, HeartbeatType.EXIT, null); // too slow to start: the viewer leaves
      return;
    }
    if (startedAtMs > end) {
      return;
    }
    if (fate == StartFate.FAILS) {
      String code = random.nextBoolean() ? "MANIFEST_LOAD_ERROR" : "FRAG_PARSING_ERROR";
      finish(sink, random, startedAtMs, HeartbeatType.ERROR, code);
      return;
    }
    topBitrateKbps = Math.min(capKbps, ladder.top());
    bufferMs = SEGMENT_MS;
    estimator.sample(Math.max(1, startedAtMs - requestedAtMs), sample.throughputKbps());
    lastThroughputKbps = sample.throughputKbps();
    lastSwitchMs = startedAtMs;
    nextHeartbeatMs = startedAtMs + heartbeatIntervalMs;
    nextRtcpMs = startedAtMs + rtcpIntervalMs;
    state = State.PLAYING;
    emit(sink, random, startedAtMs, HeartbeatType.STARTED, null);
  }

  private void tickSession(long now, long tickMs, NetworkSample sample, int capKbps, Random random, EventSink sink) {
    long end = now + tickMs;
    int allowed = ladder.highestAtMost(Math.min(capKbps, ladder.top()));
    topBitrateKbps = allowed;
    if (bitrateKbps > allowed) {
      // A cap from qoe.bitrate: the next segment comes from the capped rung.
      bitrateKbps = allowed;
      lastSwitchMs = now;
      emit(sink, random, now, HeartbeatType.BITRATE_CHANGE, null);
    }

    double throughput = sample.throughputKbps();
    boolean downloading = bufferMs < MAX_BUFFER_MS;
    double fillPerMs = throughput / bitrateKbps;
    if (downloading) {
      estimator.sample(tickMs, throughput);
      lastThroughputKbps = throughput;
    }

    switch (state) {
      case PLAYING -> {
        double gained = downloading ? fillPerMs * tickMs : 0;
        if (bufferMs + gained < tickMs) {
          long emptyAfter = (long) (bufferMs / Math.max(1e-9, 1 - fillPerMs));
          emptyAfter = Math.max(0, Math.min(tickMs, emptyAfter));
          playheadMs += emptyAfter;
          bufferMs = 0;
          stallStartMs = now + emptyAfter;
          state = State.STALLED;
          emit(sink, random, stallStartMs, HeartbeatType.STALL_START, null);
          bufferMs = (long) (fillPerMs * (tickMs - emptyAfter));
        } else {
          playheadMs += tickMs;
          bufferMs = Math.min(MAX_BUFFER_MS, (long) (bufferMs + gained - tickMs));
          if (random.nextDouble() < 0.02 * tickMs / 1000.0) {
            droppedFrames += 1 + random.nextInt(5);
          }
        }
      }
      case STALLED, SEEKING -> {
        bufferMs = Math.min(MAX_BUFFER_MS, (long) (bufferMs + fillPerMs * tickMs));
        if (bufferMs >= RESUME_BUFFER_MS) {
          if (state == State.STALLED) {
            state = State.PLAYING;
            emit(sink, random, end, HeartbeatType.STALL_END, null);
          } else {
            state = State.PLAYING;
          }
        } else if (state == State.STALLED && realistic && end - stallStartMs >= GIVE_UP_STALL_MS) {
          finish(sink, random, end, HeartbeatType.EXIT, null);
          return;
        }
      }
      case PAUSED -> {
        if (downloading) {
          bufferMs = Math.min(MAX_BUFFER_MS, (long) (bufferMs + fillPerMs * tickMs));
        }
        if (pauseUntilMs <= end) {
          state = State.PLAYING;
          emit(sink, random, end, HeartbeatType.RESUME, null);
        }
      }
      default -> throw new IllegalStateException("not in a session: " + state);
    }

    if ((state == State.PLAYING || state == State.STALLED) && end - lastSwitchMs >= SEGMENT_MS) {
      int next = abr.nextRung(ladder, bitrateKbps, estimator.estimateKbps(), bufferMs, allowed);
      if (next != bitrateKbps) {
        bitrateKbps = next;
        lastSwitchMs = end;
        emit(sink, random, end, HeartbeatType.BITRATE_CHANGE, null);
      }
    }

    if (realistic && state == State.PLAYING) {
      double perTick = tickMs / 1000.0;
      if (random.nextDouble() < 0.002 * perTick) {
        playheadMs = Math.max(0, Math.min(titleDurationMs - SEGMENT_MS,
            playheadMs + (long) ((random.nextDouble() - 0.3) * 600_000)));
        bufferMs = 0;
        state = State.SEEKING;
        emit(sink, random, end, HeartbeatType.SEEK, null);
      } else if (random.nextDouble() < 0.002 * perTick) {
        pauseUntilMs = end + 5_000 + random.nextInt(55_000);
        state = State.PAUSED;
        emit(sink, random, end, HeartbeatType.PAUSE, null);
      }
    }

    if (nextRtcpMs <= end) {
      sink.rtcp(receiverReport(end, sample, random));
      nextRtcpMs += rtcpIntervalMs;
    }
    if (nextHeartbeatMs <= end) {
      emit(sink, random, end, HeartbeatType.HEARTBEAT, null);
      nextHeartbeatMs += heartbeatIntervalMs;
    }
    if (playheadMs >= titleDurationMs) {
      playheadMs = titleDurationMs;
      finish(sink, random, end, HeartbeatType.ENDED, null);
    } else if (playheadMs >= exitAtPlayheadMs) {
      finish(sink, random, end, HeartbeatType.EXIT, null);
    }
  }

  private void finish(EventSink sink, Random random, long at, HeartbeatType type, String errorCode) {
    emit(sink, random, at, type, errorCode);
    state = State.IDLE;
  }

  // ---- events ----------------------------------------------------------------------------------

  private void emit(EventSink sink, Random random, long at, HeartbeatType type, String errorCode) {
    boolean hasMedia = bitrateKbps > 0 && (state != State.STARTING || type == HeartbeatType.STARTED);
    sink.heartbeat(PlayerHeartbeat.newBuilder()
        .setEventId(randomUuid(random))
        .setSessionId(sessionId)
        .setUserId(userId)
        .setTitleId(titleId)
        .setEventTime(at)
        .setType(type)
        .setServerId(serverId)
        .setRegion(region)
        .setIsp(path.link().isp())
        .setDevice(device)
        .setPlayheadMs(playheadMs)
        .setBitrateKbps(hasMedia ? bitrateKbps : null)
        .setBufferMs(hasMedia ? bufferMs : null)
        .setThroughputKbps(lastThroughputKbps > 0 ? (int) Math.round(lastThroughputKbps) : null)
        .setTopBitrateKbps(topBitrateKbps > 0 ? topBitrateKbps : null)
        .setDroppedFrames(hasMedia ? droppedFrames : null)
        .setErrorCode(errorCode)
        .build());
  }

  /** An RFC 3550 §6.4.1 receiver report block over the last interval. */
  private PlayerRtcp receiverReport(long at, NetworkSample sample, Random random) {
    long expected = Math.max(1, Math.round(bitrateKbps * 1000.0 / PACKET_BITS * rtcpIntervalMs / 1000.0));
    double mean = expected * sample.loss();
    long lost = Math.round(mean + random.nextGaussian() * Math.sqrt(mean * (1 - sample.loss())));
    lost = Math.max(0, Math.min(expected, lost));
    int fractionLost = (int) Math.min(255, lost * 256 / expected);
    cumulativeLost = (int) Math.min(0x7F_FFFF, cumulativeLost + lost); // 24-bit signed field
    highestSeq = (highestSeq + expected) & 0xFFFF_FFFFL;
    // J += (|D| - J) / 16 per packet (RFC 3550 §6.4.1), applied for the interval's packets at once.
    double transitUnits = sample.jitterMs() * CLOCK_RATE / 1000.0;
    jitterUnits = transitUnits + (jitterUnits - transitUnits) * Math.pow(15.0 / 16.0, expected);
    // The server's last sender report went out within the last interval.
    long dlsrMs = random.nextInt((int) Math.max(1, rtcpIntervalMs));
    long srAt = at - dlsrMs;
    return PlayerRtcp.newBuilder()
        .setEventId(randomUuid(random))
        .setSessionId(sessionId)
        .setServerId(serverId)
        .setEventTime(at)
        .setSsrc(ssrc)
        .setFractionLost(fractionLost)
        .setCumulativeLost(cumulativeLost)
        .setHighestSeq(highestSeq)
        .setJitter(Math.round(jitterUnits))
        .setClockRate(CLOCK_RATE)
        .setLsr(ntpMiddle32(srAt))
        .setDlsr(dlsrMs * 65_536 / 1000)
        .setRttMs(sample.rttMs())
        .build();
  }

  /** The middle 32 bits of the 64-bit NTP timestamp of {@code epochMs}. */
  static long ntpMiddle32(long epochMs) {
    long seconds = epochMs / 1000 + NTP_UNIX_OFFSET_S;
    long fraction = (epochMs % 1000) * 65_536 / 1000; // top 16 bits of the NTP fraction
    return ((seconds & 0xFFFF) << 16) | fraction;
  }

  /** A version-4 UUID from the simulation's seeded random, so runs repeat. */
  static String randomUuid(Random random) {
    long msb = (random.nextLong() & 0xFFFF_FFFF_FFFF_0FFFL) | 0x0000_0000_0000_4000L;
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString();
  }
}
