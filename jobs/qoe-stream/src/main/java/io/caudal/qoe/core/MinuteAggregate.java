package io.caudal.qoe.core;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import io.caudal.schemas.QoeMinute;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * One minute of one slice of the fleet (a server, region, isp, device or title): the sum of the
 * sessions' contributions to it. Aggregates merge, so partial minutes from parallel tasks or
 * late panes combine exactly; startup percentiles come from a DDSketch, whose quantiles are
 * within {@link #RELATIVE_ACCURACY} of the true value and which merges without losing that bound
 * (a sorted list would not fit in state at fleet scale).
 */
public final class MinuteAggregate implements Serializable {
  /** Startup percentiles are within 1 % of the exact value. */
  static final double RELATIVE_ACCURACY = 0.01;

  /**
   * One session's share of one minute.
   *
   * @param attempt the session sent PLAY_REQUESTED in this minute
   * @param play the session STARTED in this minute
   * @param startupMs its startup time when it started in this minute, else null
   * @param bitrateTimeSum Σ bitrate × playing ms in this minute, kbit/s·ms
   * @param lostSum256 Σ RTCP fraction lost, in 1/256ths as reported
   * @param jitterMicrosSum Σ RTCP jitter, µs
   * @param experienceScore the session's viewer-experience score at the minute's end, null when none
   */
  public record Contribution(String sessionId, boolean attempt, boolean play, boolean startFailure,
      boolean exitBeforeStart, Long startupMs, long playingMs, long stalledMs, long bitrateTimeSum, int errors,
      long lostSum256, int lossReports, long jitterMicrosSum, int jitterReports, Double experienceScore)
      implements Serializable {

    /** A share without a score. */
    public Contribution(String sessionId, boolean attempt, boolean play, boolean startFailure,
        boolean exitBeforeStart, Long startupMs, long playingMs, long stalledMs, long bitrateTimeSum, int errors,
        long lostSum256, int lossReports, long jitterMicrosSum, int jitterReports) {
      this(sessionId, attempt, play, startFailure, exitBeforeStart, startupMs, playingMs, stalledMs, bitrateTimeSum,
          errors, lostSum256, lossReports, jitterMicrosSum, jitterReports, null);
    }

    /** The score in thousandths of a point: whole units, so sums add up identically in any order. */
    long scoreMilli() {
      return Math.round(experienceScore * 1000);
    }
  }

  private long attempts;
  private long plays;
  private long startFailures;
  private long exitsBeforeStart;
  private long errors;
  private long playingMs;
  private long stalledMs;
  // Whole units: integer sums come out the same in whatever order parallel minutes merge.
  private long bitrateTimeSum;
  private long lostSum256;
  private long lossReports;
  private long jitterMicrosSum;
  private long jitterReports;
  // A session hands in one contribution per minute it is open in, so counting them counts sessions.
  private long sessions;
  // Since format 2: Σ scores in thousandths of a point and how many sessions had one.
  private long scoreMilliSum;
  private long scored;
  // The sketch is kept encoded, so that writing the state (writeTo, Java serialization) is a copy
  // of bytes; the decoded form is a cache rebuilt on first use.
  private byte[] startupSketch;
  private transient DDSketch startup;

  public void add(Contribution c) {
    attempts += c.attempt() ? 1 : 0;
    plays += c.play() ? 1 : 0;
    startFailures += c.startFailure() ? 1 : 0;
    exitsBeforeStart += c.exitBeforeStart() ? 1 : 0;
    errors += c.errors();
    playingMs += c.playingMs();
    stalledMs += c.stalledMs();
    bitrateTimeSum += c.bitrateTimeSum();
    lostSum256 += c.lostSum256();
    lossReports += c.lossReports();
    jitterMicrosSum += c.jitterMicrosSum();
    jitterReports += c.jitterReports();
    sessions++;
    if (c.experienceScore() != null) {
      scoreMilliSum += c.scoreMilli();
      scored++;
    }
    if (c.startupMs() != null) {
      startup().accept(Math.max(0, c.startupMs()));
      storeStartup();
    }
  }

  /** Adds everything {@code other} holds to this aggregate. */
  public void merge(MinuteAggregate other) {
    attempts += other.attempts;
    plays += other.plays;
    startFailures += other.startFailures;
    exitsBeforeStart += other.exitsBeforeStart;
    errors += other.errors;
    playingMs += other.playingMs;
    stalledMs += other.stalledMs;
    bitrateTimeSum += other.bitrateTimeSum;
    lostSum256 += other.lostSum256;
    lossReports += other.lossReports;
    jitterMicrosSum += other.jitterMicrosSum;
    jitterReports += other.jitterReports;
    sessions += other.sessions;
    scoreMilliSum += other.scoreMilliSum;
    scored += other.scored;
    if (!other.startup().isEmpty()) {
      startup().mergeWith(other.startup());
      storeStartup();
    }
  }

  /** The {@code qoe_minute} row; rates are null when their denominator is zero. */
  public QoeMinute toRow(long minute, String dimension, String key) {
    DDSketch startup = startup();
    boolean anyStartup = !startup.isEmpty();
    long played = playingMs + stalledMs;
    return QoeMinute.newBuilder()
        .setMinute(minute).setDimension(dimension).setKey(key)
        .setAttempts(attempts).setPlays(plays)
        .setVsfPct(attempts > 0 ? 100.0 * startFailures / attempts : null)
        .setEbvsPct(attempts > 0 ? 100.0 * exitsBeforeStart / attempts : null)
        .setStartupP50Ms(anyStartup ? Math.round(startup.getValueAtQuantile(0.50)) : null)
        .setStartupP95Ms(anyStartup ? Math.round(startup.getValueAtQuantile(0.95)) : null)
        .setRebufferingRatio(played > 0 ? (double) stalledMs / played : null)
        .setAvgBitrateKbps(playingMs > 0 && bitrateTimeSum > 0 ? (double) bitrateTimeSum / playingMs : null)
        .setErrors(errors)
        .setLossFraction(lossReports > 0 ? lostSum256 / 256.0 / lossReports : null)
        .setJitterMs(jitterReports > 0 ? jitterMicrosSum / 1000.0 / jitterReports : null)
        .setConcurrentSessions(sessions)
        .setExperienceScore(scored > 0 ? scoreMilliSum / 1000.0 / scored : null)
        .build();
  }

  /** This minute's QoE of one server, as steering weighs it. */
  public SteeringPolicy.ServerQoe toServerQoe() {
    DDSketch startup = startup();
    long played = playingMs + stalledMs;
    return new SteeringPolicy.ServerQoe(played > 0 ? (double) stalledMs / played : Double.NaN,
        startup.isEmpty() ? Double.NaN : startup.getValueAtQuantile(0.95),
        lossReports > 0 ? lostSum256 / 256.0 / lossReports : Double.NaN, sessions);
  }

  // ---- state encoding ---------------------------------------------------------------------------

  /** The version of the encoding {@link #writeTo} writes; see {@link SessionQoe#STATE_FORMAT} for the rule. */
  public static final int STATE_FORMAT = 2; // 2 adds the experience score's sum and count

  /** Writes the aggregate in the current {@link #STATE_FORMAT}. */
  public void writeTo(DataOutput out) throws IOException {
    for (long sum : new long[] {attempts, plays, startFailures, exitsBeforeStart, errors, playingMs, stalledMs,
        bitrateTimeSum, lostSum256, lossReports, jitterMicrosSum, jitterReports, sessions, scoreMilliSum, scored}) {
      out.writeLong(sum);
    }
    out.writeInt(startupSketch == null ? -1 : startupSketch.length);
    if (startupSketch != null) {
      out.write(startupSketch);
    }
  }

  /** Reads an aggregate {@link #writeTo} wrote in {@code format}. */
  public static MinuteAggregate readFrom(DataInput in, int format) throws IOException {
    if (format < 1 || format > STATE_FORMAT) {
      throw new IOException("minute aggregate format " + format + " is not one of 1.." + STATE_FORMAT);
    }
    MinuteAggregate a = new MinuteAggregate();
    a.attempts = in.readLong();
    a.plays = in.readLong();
    a.startFailures = in.readLong();
    a.exitsBeforeStart = in.readLong();
    a.errors = in.readLong();
    a.playingMs = in.readLong();
    a.stalledMs = in.readLong();
    a.bitrateTimeSum = in.readLong();
    a.lostSum256 = in.readLong();
    a.lossReports = in.readLong();
    a.jitterMicrosSum = in.readLong();
    a.jitterReports = in.readLong();
    a.sessions = in.readLong();
    if (format >= 2) {
      a.scoreMilliSum = in.readLong();
      a.scored = in.readLong();
    }
    int sketchLength = in.readInt();
    if (sketchLength >= 0) {
      a.startupSketch = new byte[sketchLength];
      in.readFully(a.startupSketch);
    }
    return a;
  }

  private DDSketch startup() {
    if (startup == null) {
      startup = DDSketches.unboundedDense(RELATIVE_ACCURACY);
      if (startupSketch != null) {
        try {
          startup.decodeAndMergeWith(ByteArrayInput.wrap(startupSketch));
        } catch (IOException e) {
          throw new UncheckedIOException("a startup sketch this class encoded does not decode", e);
        }
      }
    }
    return startup;
  }

  private void storeStartup() {
    GrowingByteArrayOutput encoded = GrowingByteArrayOutput.withDefaultInitialCapacity();
    try {
      startup.encode(encoded, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the startup sketch", e);
    }
    startupSketch = encoded.trimmedCopy();
  }
}
