package io.caudal.qoe.core.alert;

import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertKind;
import io.caudal.schemas.AlertSlice;
import io.caudal.schemas.AlertState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One watched series' alert, minute by minute: it opens after {@code openAfter} bad minutes in a
 * row, is updated when its value or root cause changes materially, and resolves after
 * {@code resolveAfter} good minutes in a row. The id names the kind, the rule or metric, the
 * slice and the onset minute, so it is the same for every change of one alert, and a restart
 * that re-reads the same minutes makes the same ids and revisions.
 */
public final class AlertLifecycle {
  /** An update is published when the value moved by more than this share of the last published one. */
  static final double MATERIAL_CHANGE = 0.5;

  private int badStreak;
  private int goodStreak;
  private long onsetMinute = -1;
  private String openId;
  private long revision;
  private double publishedValue;
  private List<String> publishedCause = List.of();

  /**
   * What is known of the minute judged.
   *
   * @param ruleId the threshold rule, or null for an anomaly
   * @param rootCause slice ids (see {@link Breakdown}) naming the root cause; empty for none
   */
  public record Judged(AlertKind kind, String ruleId, String metric, String dimension, String key, long minute,
      double value, Double baseline, Double threshold, Double score, long attempts, List<String> rootCause) {}

  public boolean isOpen() {
    return openId != null;
  }

  /** The root cause last published (slice ids), empty when none or not open. */
  public List<String> publishedCause() {
    return openId == null ? List.of() : publishedCause;
  }

  /** A bad minute: the alert opens, or is updated, or nothing goes out. */
  public Optional<Alert> bad(Judged j, int openAfter) {
    goodStreak = 0;
    if (badStreak == 0) {
      onsetMinute = j.minute();
    }
    badStreak++;
    if (openId == null) {
      if (badStreak < openAfter) {
        return Optional.empty();
      }
      openId = (j.kind() == AlertKind.THRESHOLD ? "threshold:" + j.ruleId() : "anomaly:" + j.metric())
          + ":" + j.dimension() + "=" + j.key() + ":" + onsetMinute;
      revision = 1;
      return Optional.of(publish(j, AlertState.OPEN));
    }
    // A minute whose search finds no cause keeps the one named: a cause is replaced, not dropped.
    if (j.rootCause().isEmpty() && !publishedCause.isEmpty()) {
      j = new Judged(j.kind(), j.ruleId(), j.metric(), j.dimension(), j.key(), j.minute(), j.value(), j.baseline(),
          j.threshold(), j.score(), j.attempts(), publishedCause);
    }
    boolean causeChanged = !Objects.equals(publishedCause, j.rootCause());
    boolean valueMoved = Math.abs(j.value() - publishedValue) > MATERIAL_CHANGE * Math.abs(publishedValue);
    if (causeChanged || valueMoved) {
      revision++;
      return Optional.of(publish(j, AlertState.UPDATED));
    }
    return Optional.empty();
  }

  /** A good minute (or one with too few viewers to judge, of an open alert): it may resolve. */
  public Optional<Alert> good(Judged j, int resolveAfter) {
    badStreak = 0;
    if (openId == null) {
      return Optional.empty();
    }
    goodStreak++;
    if (goodStreak < resolveAfter) {
      return Optional.empty();
    }
    revision++;
    Alert resolved = publish(new Judged(j.kind(), j.ruleId(), j.metric(), j.dimension(), j.key(), j.minute(),
        j.value(), j.baseline(), j.threshold(), j.score(), j.attempts(), publishedCause), AlertState.RESOLVED);
    openId = null;
    goodStreak = 0;
    return Optional.of(resolved);
  }

  /** A minute neither bad nor good enough (between the thresholds): streaks start again. */
  public void neutral() {
    badStreak = 0;
    goodStreak = 0;
  }

  private Alert publish(Judged j, AlertState state) {
    publishedValue = j.value();
    publishedCause = List.copyOf(j.rootCause());
    List<AlertSlice> cause = new ArrayList<>();
    for (String id : j.rootCause()) {
      cause.addAll(slices(id));
    }
    return Alert.newBuilder()
        .setAlertId(openId).setState(state).setRevision(revision).setKind(j.kind()).setRuleId(j.ruleId())
        .setMetric(j.metric()).setDimension(j.dimension()).setKey(j.key()).setRootCause(cause)
        .setOnsetMinute(idOnset()).setMinute(j.minute()).setValue(j.value()).setBaseline(j.baseline())
        .setThreshold(j.threshold()).setScore(j.score()).setAttempts(j.attempts())
        .setMessage(message(j, state, cause))
        .build();
  }

  private long idOnset() {
    return Long.parseLong(openId.substring(openId.lastIndexOf(':') + 1));
  }

  /** The dimension/key pairs of a slice id. */
  public static List<AlertSlice> slices(String sliceId) {
    List<AlertSlice> parts = new ArrayList<>();
    for (String part : sliceId.split("&")) {
      int eq = part.indexOf('=');
      parts.add(new AlertSlice(part.substring(0, eq), part.substring(eq + 1)));
    }
    return parts;
  }

  private static String message(Judged j, AlertState state, List<AlertSlice> cause) {
    StringBuilder m = new StringBuilder();
    m.append(state == AlertState.RESOLVED ? "resolved: " : "").append(j.metric()).append(" of ")
        .append(j.dimension()).append(' ').append(j.key()).append(String.format(java.util.Locale.ROOT, " is %.4g", j.value()));
    if (j.threshold() != null) {
      m.append(String.format(java.util.Locale.ROOT, " (rule %s: %.4g)", j.ruleId(), j.threshold()));
    }
    if (j.baseline() != null) {
      m.append(String.format(java.util.Locale.ROOT, " against a baseline of %.4g (%.1f spreads off)", j.baseline(),
          j.score()));
    }
    if (!cause.isEmpty()) {
      m.append("; root cause ");
      for (int i = 0; i < cause.size(); i++) {
        m.append(i > 0 ? " & " : "").append(cause.get(i).getDimension()).append(' ').append(cause.get(i).getKey());
      }
    }
    return m.toString();
  }

  // ---- state encoding ---------------------------------------------------------------------------

  void writeTo(DataOutput out) throws IOException {
    out.writeInt(badStreak);
    out.writeInt(goodStreak);
    out.writeLong(onsetMinute);
    out.writeBoolean(openId != null);
    if (openId != null) {
      out.writeUTF(openId);
    }
    out.writeLong(revision);
    out.writeDouble(publishedValue);
    out.writeInt(publishedCause.size());
    for (String id : publishedCause) {
      out.writeUTF(id);
    }
  }

  static AlertLifecycle readFrom(DataInput in) throws IOException {
    AlertLifecycle a = new AlertLifecycle();
    a.badStreak = in.readInt();
    a.goodStreak = in.readInt();
    a.onsetMinute = in.readLong();
    a.openId = in.readBoolean() ? in.readUTF() : null;
    a.revision = in.readLong();
    a.publishedValue = in.readDouble();
    List<String> cause = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      cause.add(in.readUTF());
    }
    a.publishedCause = List.copyOf(cause);
    return a;
  }

  /** Whether nothing is pending: no streak and no open alert, so the series' lifecycle may be dropped. */
  boolean isIdle() {
    return openId == null && badStreak == 0 && goodStreak == 0;
  }
}
