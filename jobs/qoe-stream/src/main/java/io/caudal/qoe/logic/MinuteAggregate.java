package io.caudal.qoe.logic;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import io.caudal.schemas.QoeMinute;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

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
   * @param bitrateTimeSum Σ bitrate × playing ms in this minute
   */
  public record Contribution(String sessionId, boolean attempt, boolean play, boolean startFailure,
      boolean exitBeforeStart, Long startupMs, long playingMs, long stalledMs, double bitrateTimeSum, int errors,
      double lossSum, int lossReports, double jitterMsSum, int jitterReports) implements Serializable {}

  private long attempts;
  private long plays;
  private long startFailures;
  private long exitsBeforeStart;
  private long errors;
  private long playingMs;
  private long stalledMs;
  private double bitrateTimeSum;
  private double lossSum;
  private long lossReports;
  private double jitterMsSum;
  private long jitterReports;
  private final Set<String> sessions = new HashSet<>();
  private transient DDSketch startup = newSketch();

  public void add(Contribution c) {
    attempts += c.attempt() ? 1 : 0;
    plays += c.play() ? 1 : 0;
    startFailures += c.startFailure() ? 1 : 0;
    exitsBeforeStart += c.exitBeforeStart() ? 1 : 0;
    errors += c.errors();
    playingMs += c.playingMs();
    stalledMs += c.stalledMs();
    bitrateTimeSum += c.bitrateTimeSum();
    lossSum += c.lossSum();
    lossReports += c.lossReports();
    jitterMsSum += c.jitterMsSum();
    jitterReports += c.jitterReports();
    sessions.add(c.sessionId());
    if (c.startupMs() != null) {
      startup.accept(Math.max(0, c.startupMs()));
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
    lossSum += other.lossSum;
    lossReports += other.lossReports;
    jitterMsSum += other.jitterMsSum;
    jitterReports += other.jitterReports;
    sessions.addAll(other.sessions);
    startup.mergeWith(other.startup);
  }

  /** The {@code qoe_minute} row; rates are null when their denominator is zero. */
  public QoeMinute toRow(long minute, String dimension, String key) {
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
        .setAvgBitrateKbps(playingMs > 0 && bitrateTimeSum > 0 ? bitrateTimeSum / playingMs : null)
        .setErrors(errors)
        .setLossFraction(lossReports > 0 ? lossSum / lossReports : null)
        .setJitterMs(jitterReports > 0 ? jitterMsSum / jitterReports : null)
        .setConcurrentSessions(sessions.size())
        .build();
  }

  private static DDSketch newSketch() {
    return DDSketches.unboundedDense(RELATIVE_ACCURACY);
  }

  // The sketch is not java.io.Serializable; its own compact encoding goes in its place.
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    GrowingByteArrayOutput encoded = GrowingByteArrayOutput.withDefaultInitialCapacity();
    startup.encode(encoded, false);
    byte[] array = encoded.trimmedCopy();
    out.writeInt(array.length);
    out.write(array);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    byte[] array = new byte[in.readInt()];
    in.readFully(array);
    startup = newSketch();
    startup.decodeAndMergeWith(ByteArrayInput.wrap(array));
  }
}
