package io.caudal.qoe.core;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.PlayerRtcp;
import io.caudal.schemas.QoeSession;
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
        lossReports - drainedLossReports, jitterMicrosSum - drainedJitterMicrosSum, jitterReports - drainedJitterReports);
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

  /**
   * The session's row.
   *
   * @param titleDurationMs the title's duration, for completion (0 when unknown)
   * @param reasonIfOpen why a session without an end event closed (e.g. "inactivity")
   */
  public QoeSession result(long titleDurationMs, String reasonIfOpen) {
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
        .build();
  }

  private void updateBitrate(Integer kbps, boolean counted) {
    if (kbps == null) {
      return;
    }
    if (counted && startedAt != null && bitrateKbps != null && !kbps.equals(bitrateKbps)) {
      switches++;
    }
    bitrateKbps = kbps;
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
