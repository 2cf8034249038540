package io.caudal.qoe.core;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.QoeSession;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The quality of experience of one playback session, computed as defined below, from its
 * heartbeats and RTCP receiver reports in event-time order. It is the state a sessionizer keeps
 * per session; {@link #result} turns it into the session's {@code qoe_sessions} row.
 *
 * <ul>
 *   <li>startup time = STARTED − PLAY_REQUESTED;</li>
 *   <li>video start failure = an ERROR before STARTED; exit before video start = EXIT or ENDED
 *       before STARTED with no error; playback failure = an ERROR after STARTED (every ERROR a
 *       player sends is fatal and ends the session);</li>
 *   <li>rebuffering ratio = stalled ÷ (playing + stalled), counting only stalls after STARTED
 *       that a SEEK did not cause (a stall that begins after a SEEK and before playback went on
 *       is the seek's own loading);</li>
 *   <li>average bitrate weighted by playing time; switches = bitrate changes after STARTED;</li>
 *   <li>completion = furthest playhead ÷ title duration;</li>
 *   <li>loss = mean fraction lost, jitter in ms via each report's clock rate, RTT from LSR/DLSR.</li>
 * </ul>
 */
public final class SessionQoe implements Serializable {
  private enum Phase { WAITING, PLAYING, PAUSED, STALLED }

  /** Seconds from 1900 (NTP's epoch) to 1970 (Unix's). */
  private static final long NTP_UNIX_OFFSET_S = 2_208_988_800L;

  private String sessionId;
  private String userId;
  private String titleId;
  private String serverId;
  private String region;
  private String isp;
  private String device;
  private long firstEvent = Long.MAX_VALUE;
  private long lastEvent = Long.MIN_VALUE;
  private Long requestedAt;
  private Long startedAt;
  private boolean errorBeforeStart;
  private boolean errorAfterStart;
  private String endReason;

  private Phase phase = Phase.WAITING;
  private long phaseSince;
  private boolean seeking;
  private boolean stallCausedBySeek;
  private int stallCount;
  private long stalledMs;
  private long playingMs;
  private Integer bitrateKbps;
  // Since state format 3: the highest bitrate played, for the experience score's rungs reached.
  private Integer maxBitrateKbps;
  // Sums in whole units (kbit/s·ms, 1/256ths lost, µs), so minutes add up to the same value in any order.
  private long bitrateTimeSum;
  private int switches;
  private long maxPlayheadMs;

  private long lostSum256;
  private int lossReports;
  private long jitterMicrosSum;
  private int jitterReports;
  private double rttMsSum;
  private int rttReports;
  private int errors;
  // Since state format 2: a session restored from format 1 counts from the restore on.
  private int pathwaySwitches;
  private Double lastLossFraction;
  private Long lastBufferMs;
  private Integer lastThroughputKbps;

  // What earlier minutes already took (see drainMinute).
  private boolean drainedAttempt;
  private boolean drainedPlay;
  private boolean drainedStartFailure;
  private boolean drainedExitBeforeStart;
  private long drainedPlayingMs;
  private long drainedStalledMs;
  private long drainedBitrateTimeSum;
  private int drainedErrors;
  private long drainedLostSum256;
  private int drainedLossReports;
  private long drainedJitterMicrosSum;
  private int drainedJitterReports;

  /** Applies one heartbeat; events must come in event-time order. */
  public void onHeartbeat(PlayerHeartbeat e) {
    if (sessionId == null) {
      sessionId = e.getSessionId();
      userId = e.getUserId();
      titleId = e.getTitleId();
      region = e.getRegion();
      isp = e.getIsp();
      device = e.getDevice();
    }
    if (startedAt != null && !isEnded() && serverId != null && !serverId.equals(e.getServerId())) {
      pathwaySwitches++;
    }
    serverId = e.getServerId(); // the pathway can change mid-session; the last one serves the row
    long t = e.getEventTime();
    advanceTo(t);
    firstEvent = Math.min(firstEvent, t);
    lastEvent = Math.max(lastEvent, t);
    maxPlayheadMs = Math.max(maxPlayheadMs, e.getPlayheadMs());
    if (e.getBufferMs() != null) {
      lastBufferMs = e.getBufferMs();
    }
    if (e.getThroughputKbps() != null) {
      lastThroughputKbps = e.getThroughputKbps();
    }
    if (isEnded()) {
      return; // anything after the end belongs to no session time
    }
    HeartbeatType type = e.getType();
    switch (type) {
      case PLAY_REQUESTED -> {
        if (requestedAt == null) {
          requestedAt = t;
        }
      }
      case STARTED -> {
        if (startedAt == null) {
          startedAt = t;
          bitrateKbps = e.getBitrateKbps();
          maxBitrateKbps = bitrateKbps;
          enter(Phase.PLAYING, t);
        }
      }
      case HEARTBEAT -> {
        seeking = false; // playback went on: a later stall is not the seek's
        updateBitrate(e.getBitrateKbps(), false);
      }
      case BITRATE_CHANGE -> updateBitrate(e.getBitrateKbps(), true);
      case STALL_START -> {
        if (startedAt != null && phase != Phase.STALLED) {
          stallCausedBySeek = seeking;
          if (!seeking) {
            stallCount++;
          }
          enter(Phase.STALLED, t);
        }
      }
      case STALL_END -> {
        if (phase == Phase.STALLED) {
          seeking = false;
          enter(Phase.PLAYING, t);
        }
      }
      case SEEK -> seeking = true;
      case PAUSE -> {
        if (phase == Phase.PLAYING) {
          enter(Phase.PAUSED, t);
        }
      }
      case RESUME -> {
        if (phase == Phase.PAUSED) {
          enter(Phase.PLAYING, t);
        }
      }
      case ERROR -> {
        errors++;
        if (startedAt == null) {
          errorBeforeStart = true;
        } else {
          errorAfterStart = true;
        }
        end("error");
      }
      case ENDED -> end("ended");
      case EXIT -> end("exit");
      default -> throw new IllegalArgumentException("unknown heartbeat type " + type);
    }
  }

  /** Applies one RTCP receiver report. */
  public void onRtcp(PlayerRtcp r) {
    lastLossFraction = r.getFractionLost() / 256.0;
    lostSum256 += r.getFractionLost();
    lossReports++;
    if (r.getClockRate() > 0) {
      jitterMicrosSum += Math.round(r.getJitter() * 1_000_000.0 / r.getClockRate());
      jitterReports++;
    }
    Double rtt = r.getRttMs() != null ? r.getRttMs() : rttFromReport(r.getEventTime(), r.getLsr(), r.getDlsr());
    if (rtt != null) {
      rttMsSum += rtt;
      rttReports++;
    }
  }

  /**
   * Round-trip time per RFC 3550 §6.4.1: arrival − LSR − DLSR, all in the middle 32 bits of NTP
   * time (1/65536 s); null when no sender report was received yet (LSR = 0).
   */
  static Double rttFromReport(long arrivalMs, long lsr, long dlsr) {
    if (lsr == 0) {
      return null;
    }
    long seconds = arrivalMs / 1000 + NTP_UNIX_OFFSET_S;
    long fraction = (arrivalMs % 1000) * 65_536 / 1000;
    long arrival = ((seconds & 0xFFFF) << 16) | fraction;
    long rtt = (arrival - lsr - dlsr) & 0xFFFFFFFFL;
    return rtt > 0x7FFFFFFFL ? null : rtt * 1000.0 / 65_536;
  }

  /** Whether a heartbeat was applied: an RTCP report before any belongs to no known session. */
  public boolean isKnown() {
    return sessionId != null;
  }

  /**
   * What the session reports now, for its bitrate cap: empty until it has started and reported
   * both its buffer and its throughput, and once it has ended.
   */
  public Optional<BitrateCapPolicy.Observation> observation() {
    if (startedAt == null || isEnded() || lastBufferMs == null || lastThroughputKbps == null) {
      return Optional.empty();
    }
    return Optional.of(new BitrateCapPolicy.Observation(lastBufferMs, lastThroughputKbps,
        lastLossFraction == null ? OptionalDouble.empty() : OptionalDouble.of(lastLossFraction), lastEvent));
  }

  /**
   * Counts the phase the session is in up to {@code t}: at a minute's end the session is still in
   * it, and that minute gets its share. A session that then goes silent keeps this time (up to the
   * last minute boundary before it is closed for inactivity), so its row and its minutes agree.
   */
  public void accrueTo(long t) {
    if (!isEnded()) {
      advanceTo(t);
    }
  }

  /**
   * The session's share of the minute that ends now: what happened since the previous call.
   * Call it once per minute the session is open in, and once when it closes.
   */
  public MinuteAggregate.Contribution drainMinute() {
    return drainMinute(null);
  }

  /**
   * The session's share of the minute that ends now, with its experience score so far against
   * the title's ladder (see {@link ExperienceScore}), for the minute's mean score.
   */
  public MinuteAggregate.Contribution drainMinute(int[] ladderKbps) {
    Double score = ladderKbps == null ? null : experienceScore(ladderKbps);
    boolean started = startedAt != null;
    boolean attempt = requestedAt != null && !drainedAttempt;
    boolean play = started && !drainedPlay;
    boolean startFailure = errorBeforeStart && !drainedStartFailure;
    boolean exitBeforeStart = isEnded() && !started && !errorBeforeStart
        && ("exit".equals(endReason) || "ended".equals(endReason)) && !drainedExitBeforeStart;
    Long startupMs = play && requestedAt != null ? startedAt - requestedAt : null;
    var contribution = new MinuteAggregate.Contribution(sessionId, attempt, play, startFailure, exitBeforeStart,
        startupMs, playingMs - drainedPlayingMs, stalledMs - drainedStalledMs,
        bitrateTimeSum - drainedBitrateTimeSum, errors - drainedErrors, lostSum256 - drainedLostSum256,
        lossReports - drainedLossReports, jitterMicrosSum - drainedJitterMicrosSum, jitterReports - drainedJitterReports,
        score);
    drainedAttempt |= attempt;
    drainedPlay |= play;
    drainedStartFailure |= startFailure;
    drainedExitBeforeStart |= exitBeforeStart;
    drainedPlayingMs = playingMs;
    drainedStalledMs = stalledMs;
    drainedBitrateTimeSum = bitrateTimeSum;
    drainedErrors = errors;
    drainedLostSum256 = lostSum256;
    drainedLossReports = lossReports;
    drainedJitterMicrosSum = jitterMicrosSum;
    drainedJitterReports = jitterReports;
    return contribution;
  }

  /** The slice values of the session: server, region, isp, device, title. */
  public String serverId() {
    return serverId;
  }

  public String region() {
    return region;
  }

  public String isp() {
    return isp;
  }

  public String device() {
    return device;
  }

  /**
   * How many times the session moved to another server (content-steering pathway) after it
   * started: heartbeats name the server serving them.
   */
  public int pathwaySwitches() {
    return pathwaySwitches;
  }

  public String sessionId() {
    return sessionId;
  }

  /** Whether ENDED, EXIT or an ERROR closed the session. */
  public boolean isEnded() {
    return endReason != null;
  }

  public String titleId() {
    return titleId;
  }

  public long lastEventTime() {
    return lastEvent;
  }

  /** The session's viewer-experience score so far (see {@link ExperienceScore}), null when it has none. */
  public Double experienceScore(int[] ladderKbps) {
    long total = playingMs + stalledMs;
    Long startupMs = startedAt == null ? null : requestedAt == null ? Long.valueOf(0) : Long.valueOf(startedAt - requestedAt);
    return ExperienceScore.of(new ExperienceScore.Inputs(errorBeforeStart || errorAfterStart, startupMs,
        total > 0 ? (double) stalledMs / total : null, stallCount,
        playingMs > 0 && bitrateTimeSum > 0 ? (double) bitrateTimeSum / playingMs : null, maxBitrateKbps, ladderKbps));
  }

  /** The session's row, without an experience score (the title's ladder unknown). */
  public QoeSession result(long titleDurationMs, String reasonIfOpen) {
    return result(titleDurationMs, reasonIfOpen, null);
  }

  /**
   * The session's row.
   *
   * @param titleDurationMs the title's duration, for completion (0 when unknown)
   * @param reasonIfOpen why a session without an end event closed (e.g. "inactivity")
   * @param ladderKbps the title's ladder, for the experience score; null for none
   */
  public QoeSession result(long titleDurationMs, String reasonIfOpen, int[] ladderKbps) {
    if (sessionId == null) {
      throw new IllegalStateException("a session needs at least one heartbeat");
    }
    boolean started = startedAt != null;
    long total = playingMs + stalledMs;
    String reason = endReason != null ? endReason : reasonIfOpen;
    return QoeSession.newBuilder()
        .setSessionId(sessionId).setUserId(userId).setTitleId(titleId).setServerId(serverId)
        .setRegion(region).setIsp(isp).setDevice(device)
        .setStartTime(firstEvent).setEndTime(lastEvent)
        .setStartupTimeMs(started && requestedAt != null ? startedAt - requestedAt : null)
        .setVideoStartFailure(errorBeforeStart)
        .setExitBeforeVideoStart(!started && !errorBeforeStart && ("exit".equals(reason) || "ended".equals(reason)))
        .setPlaybackFailure(errorAfterStart)
        .setStallCount(stallCount).setStalledMs(stalledMs).setPlayingMs(playingMs)
        .setRebufferingRatio(total > 0 ? (double) stalledMs / total : null)
        .setAvgBitrateKbps(playingMs > 0 && bitrateTimeSum > 0 ? (double) bitrateTimeSum / playingMs : null)
        .setBitrateSwitches(switches)
        .setCompletion(titleDurationMs > 0 ? Math.min(1.0, (double) maxPlayheadMs / titleDurationMs) : 0.0)
        .setLossFraction(lossReports > 0 ? lostSum256 / 256.0 / lossReports : null)
        .setJitterMs(jitterReports > 0 ? jitterMicrosSum / 1000.0 / jitterReports : null)
        .setRttMs(rttReports > 0 ? rttMsSum / rttReports : null)
        .setEndReason(reason)
        .setExperienceScore(ladderKbps == null ? null : experienceScore(ladderKbps))
        .build();
  }

  // ---- state encoding ---------------------------------------------------------------------------

  /**
   * The version of the encoding {@link #writeTo} writes. Each version adds to the end; a reader of
   * version N reads every older one, giving a field that came later the value a session would have
   * had without it. Raise it with every field added, and read the older versions in {@link #readFrom}.
   *
   * <ol>
   *   <li>the session as first kept;</li>
   *   <li>adds {@link #pathwaySwitches()}, 0 for a session written in format 1;</li>
   *   <li>adds the highest bitrate played (the experience score's rungs reached); a session
   *       written before has its current bitrate as the highest.</li>
   * </ol>
   */
  public static final int STATE_FORMAT = 3;

  /** Writes the whole state in the current {@link #STATE_FORMAT}. */
  public void writeTo(DataOutput out) throws IOException {
    writeString(out, sessionId);
    writeString(out, userId);
    writeString(out, titleId);
    writeString(out, serverId);
    writeString(out, region);
    writeString(out, isp);
    writeString(out, device);
    out.writeLong(firstEvent);
    out.writeLong(lastEvent);
    writeLong(out, requestedAt);
    writeLong(out, startedAt);
    out.writeBoolean(errorBeforeStart);
    out.writeBoolean(errorAfterStart);
    writeString(out, endReason);
    out.writeByte(phase.ordinal());
    out.writeLong(phaseSince);
    out.writeBoolean(seeking);
    out.writeBoolean(stallCausedBySeek);
    out.writeInt(stallCount);
    out.writeLong(stalledMs);
    out.writeLong(playingMs);
    writeInt(out, bitrateKbps);
    out.writeLong(bitrateTimeSum);
    out.writeInt(switches);
    out.writeLong(maxPlayheadMs);
    out.writeLong(lostSum256);
    out.writeInt(lossReports);
    out.writeLong(jitterMicrosSum);
    out.writeInt(jitterReports);
    out.writeDouble(rttMsSum);
    out.writeInt(rttReports);
    out.writeInt(errors);
    out.writeBoolean(lastLossFraction != null);
    if (lastLossFraction != null) {
      out.writeDouble(lastLossFraction);
    }
    writeLong(out, lastBufferMs);
    writeInt(out, lastThroughputKbps);
    out.writeBoolean(drainedAttempt);
    out.writeBoolean(drainedPlay);
    out.writeBoolean(drainedStartFailure);
    out.writeBoolean(drainedExitBeforeStart);
    out.writeLong(drainedPlayingMs);
    out.writeLong(drainedStalledMs);
    out.writeLong(drainedBitrateTimeSum);
    out.writeInt(drainedErrors);
    out.writeLong(drainedLostSum256);
    out.writeInt(drainedLossReports);
    out.writeLong(drainedJitterMicrosSum);
    out.writeInt(drainedJitterReports);
    out.writeInt(pathwaySwitches); // format 2
    writeInt(out, maxBitrateKbps); // format 3
  }

  /**
   * Reads a state {@link #writeTo} wrote in {@code format} (1 up to {@link #STATE_FORMAT}).
   *
   * @throws IOException when the format is one this class does not know (written by a newer one)
   */
  public static SessionQoe readFrom(DataInput in, int format) throws IOException {
    if (format < 1 || format > STATE_FORMAT) {
      throw new IOException("session state format " + format + " is not one of 1.." + STATE_FORMAT
          + " (written by a newer job?)");
    }
    SessionQoe q = new SessionQoe();
    q.sessionId = readString(in);
    q.userId = readString(in);
    q.titleId = readString(in);
    q.serverId = readString(in);
    q.region = readString(in);
    q.isp = readString(in);
    q.device = readString(in);
    q.firstEvent = in.readLong();
    q.lastEvent = in.readLong();
    q.requestedAt = readLong(in);
    q.startedAt = readLong(in);
    q.errorBeforeStart = in.readBoolean();
    q.errorAfterStart = in.readBoolean();
    q.endReason = readString(in);
    q.phase = Phase.values()[in.readByte()];
    q.phaseSince = in.readLong();
    q.seeking = in.readBoolean();
    q.stallCausedBySeek = in.readBoolean();
    q.stallCount = in.readInt();
    q.stalledMs = in.readLong();
    q.playingMs = in.readLong();
    q.bitrateKbps = readInt(in);
    q.bitrateTimeSum = in.readLong();
    q.switches = in.readInt();
    q.maxPlayheadMs = in.readLong();
    q.lostSum256 = in.readLong();
    q.lossReports = in.readInt();
    q.jitterMicrosSum = in.readLong();
    q.jitterReports = in.readInt();
    q.rttMsSum = in.readDouble();
    q.rttReports = in.readInt();
    q.errors = in.readInt();
    q.lastLossFraction = in.readBoolean() ? in.readDouble() : null;
    q.lastBufferMs = readLong(in);
    q.lastThroughputKbps = readInt(in);
    q.drainedAttempt = in.readBoolean();
    q.drainedPlay = in.readBoolean();
    q.drainedStartFailure = in.readBoolean();
    q.drainedExitBeforeStart = in.readBoolean();
    q.drainedPlayingMs = in.readLong();
    q.drainedStalledMs = in.readLong();
    q.drainedBitrateTimeSum = in.readLong();
    q.drainedErrors = in.readInt();
    q.drainedLostSum256 = in.readLong();
    q.drainedLossReports = in.readInt();
    q.drainedJitterMicrosSum = in.readLong();
    q.drainedJitterReports = in.readInt();
    q.pathwaySwitches = format >= 2 ? in.readInt() : 0;
    q.maxBitrateKbps = format >= 3 ? readInt(in) : q.startedAt != null ? q.bitrateKbps : null;
    return q;
  }

  static void writeString(DataOutput out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  static String readString(DataInput in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static void writeLong(DataOutput out, Long value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeLong(value);
    }
  }

  private static Long readLong(DataInput in) throws IOException {
    return in.readBoolean() ? in.readLong() : null;
  }

  private static void writeInt(DataOutput out, Integer value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeInt(value);
    }
  }

  private static Integer readInt(DataInput in) throws IOException {
    return in.readBoolean() ? in.readInt() : null;
  }

  private void updateBitrate(Integer kbps, boolean counted) {
    if (kbps == null) {
      return;
    }
    if (counted && startedAt != null && bitrateKbps != null && !kbps.equals(bitrateKbps)) {
      switches++;
    }
    bitrateKbps = kbps;
    if (startedAt != null) {
      maxBitrateKbps = maxBitrateKbps == null ? kbps : Math.max(maxBitrateKbps, kbps);
    }
  }

  private void end(String reason) {
    endReason = reason;
    phase = Phase.WAITING;
  }

  private void enter(Phase next, long t) {
    phase = next;
    phaseSince = t;
  }

  /** Adds the time since the last event to the phase the session was in. */
  private void advanceTo(long t) {
    if (phase == Phase.WAITING || t <= phaseSince) {
      phaseSince = Math.max(phaseSince, t);
      return;
    }
    long dt = t - phaseSince;
    if (phase == Phase.PLAYING) {
      playingMs += dt;
      if (bitrateKbps != null) {
        bitrateTimeSum += (long) bitrateKbps * dt;
      }
    } else if (phase == Phase.STALLED && !stallCausedBySeek) {
      stalledMs += dt;
    }
    phaseSince = t;
  }
}
