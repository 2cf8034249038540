package io.caudal.qoe.core.alert;

import io.caudal.qoe.core.MinuteAggregate;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The additive sums of one slice's minute that the alerts watch, in whole units so that a slice
 * can be taken out of its scope exactly ({@link #minus}): what the rest would have been without it.
 */
public final class Counts {
  long attempts;
  long startFailures;
  long exitsBeforeStart;
  long sessions;
  long playingMs;
  long stalledMs;
  long bitrateTimeSum;
  long errors;
  long scoreMilliSum;
  long scored;

  public void add(MinuteAggregate.Contribution c) {
    attempts += c.attempt() ? 1 : 0;
    startFailures += c.startFailure() ? 1 : 0;
    exitsBeforeStart += c.exitBeforeStart() ? 1 : 0;
    sessions++;
    playingMs += c.playingMs();
    stalledMs += c.stalledMs();
    bitrateTimeSum += c.bitrateTimeSum();
    errors += c.errors();
    if (c.experienceScore() != null) {
      scoreMilliSum += Math.round(c.experienceScore() * 1000);
      scored++;
    }
  }

  public void merge(Counts o) {
    attempts += o.attempts;
    startFailures += o.startFailures;
    exitsBeforeStart += o.exitsBeforeStart;
    sessions += o.sessions;
    playingMs += o.playingMs;
    stalledMs += o.stalledMs;
    bitrateTimeSum += o.bitrateTimeSum;
    errors += o.errors;
    scoreMilliSum += o.scoreMilliSum;
    scored += o.scored;
  }

  /** These counts without {@code part}'s (part of them). */
  public Counts minus(Counts part) {
    Counts rest = new Counts();
    rest.merge(this);
    rest.attempts -= part.attempts;
    rest.startFailures -= part.startFailures;
    rest.exitsBeforeStart -= part.exitsBeforeStart;
    rest.sessions -= part.sessions;
    rest.playingMs -= part.playingMs;
    rest.stalledMs -= part.stalledMs;
    rest.bitrateTimeSum -= part.bitrateTimeSum;
    rest.errors -= part.errors;
    rest.scoreMilliSum -= part.scoreMilliSum;
    rest.scored -= part.scored;
    return rest;
  }

  public long attempts() {
    return attempts;
  }

  public long sessions() {
    return sessions;
  }

  /** The metric's value, as its qoe_minute column defines it; null when its denominator is 0. */
  public Double value(Metric metric) {
    return switch (metric) {
      case VSF_PCT -> attempts > 0 ? 100.0 * startFailures / attempts : null;
      case EBVS_PCT -> attempts > 0 ? 100.0 * exitsBeforeStart / attempts : null;
      case REBUFFERING_RATIO -> playingMs + stalledMs > 0 ? (double) stalledMs / (playingMs + stalledMs) : null;
      case AVG_BITRATE_KBPS -> playingMs > 0 && bitrateTimeSum > 0 ? (double) bitrateTimeSum / playingMs : null;
      case EXPERIENCE_SCORE -> scored > 0 ? scoreMilliSum / 1000.0 / scored : null;
    };
  }

  /** How many viewers the metric's value rests on: attempts for start metrics, sessions for the others. */
  public long cohort(Metric metric) {
    return metric.startMetric() ? attempts : metric == Metric.EXPERIENCE_SCORE ? scored : sessions;
  }

  void writeTo(DataOutput out) throws IOException {
    for (long v : new long[] {attempts, startFailures, exitsBeforeStart, sessions, playingMs, stalledMs,
        bitrateTimeSum, errors, scoreMilliSum, scored}) {
      out.writeLong(v);
    }
  }

  static Counts readFrom(DataInput in) throws IOException {
    Counts c = new Counts();
    c.attempts = in.readLong();
    c.startFailures = in.readLong();
    c.exitsBeforeStart = in.readLong();
    c.sessions = in.readLong();
    c.playingMs = in.readLong();
    c.stalledMs = in.readLong();
    c.bitrateTimeSum = in.readLong();
    c.errors = in.readLong();
    c.scoreMilliSum = in.readLong();
    c.scored = in.readLong();
    return c;
  }
}
