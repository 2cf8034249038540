package io.caudal.qoe.core.alert;

import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertKind;
import io.caudal.schemas.AlertRule;
import io.caudal.schemas.Comparison;
import io.caudal.schemas.QoeMinute;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operators' threshold rules over one slice's {@code qoe_minute} rows (the fleet's included),
 * minute by minute. A rule opens its alert after {@code forMinutes} bad minutes in a row and
 * resolves it after as many good ones; a minute with fewer attempts than {@code minAttempts}, or
 * without the metric, is not judged. An alert whose rule was removed, disabled or no longer
 * watches the slice resolves at the slice's next minute.
 */
public final class ThresholdEvaluator {
  private final Map<String, AlertLifecycle> byRule = new TreeMap<>();

  /** Judges one row against the rules in force; the alert changes, ordered by rule id. */
  public List<Alert> evaluate(QoeMinute row, Map<String, AlertRule> rules) {
    List<Alert> out = new ArrayList<>();
    for (AlertRule rule : new TreeMap<>(rules).values()) {
      if (!applies(rule, row)) {
        continue;
      }
      Object field = row.get(rule.getMetric());
      if (!(field instanceof Number number) || row.getAttempts() < rule.getMinAttempts()) {
        continue;
      }
      double value = number.doubleValue();
      boolean bad = rule.getComparison() == Comparison.ABOVE ? value > rule.getValue() : value < rule.getValue();
      AlertLifecycle alert = byRule.computeIfAbsent(rule.getRuleId(), k -> new AlertLifecycle());
      AlertLifecycle.Judged j = judged(rule.getRuleId(), rule.getMetric(), row, value, rule.getValue());
      (bad ? alert.bad(j, rule.getForMinutes()) : alert.good(j, rule.getForMinutes())).ifPresent(out::add);
    }
    // Alerts of rules gone, disabled or narrowed away from this slice.
    for (Map.Entry<String, AlertLifecycle> kept : byRule.entrySet()) {
      AlertRule rule = rules.get(kept.getKey());
      if (kept.getValue().isOpen() && (rule == null || !applies(rule, row))) {
        kept.getValue().good(judged(kept.getKey(), rule == null ? "" : rule.getMetric(), row, Double.NaN,
            rule == null ? null : rule.getValue()), 1).ifPresent(out::add);
      }
    }
    byRule.values().removeIf(AlertLifecycle::isIdle);
    return out;
  }

  private static boolean applies(AlertRule rule, QoeMinute row) {
    return rule.getEnabled() && rule.getDimension().equals(row.getDimension())
        && (rule.getKey() == null || rule.getKey().equals(row.getKey()));
  }

  private static AlertLifecycle.Judged judged(String ruleId, String metric, QoeMinute row, double value,
      Double threshold) {
    return new AlertLifecycle.Judged(AlertKind.THRESHOLD, ruleId, metric, row.getDimension(), row.getKey(),
        row.getMinute(), value, null, threshold, null, row.getAttempts(), List.of());
  }

  // ---- state encoding ---------------------------------------------------------------------------

  /** The version of the encoding {@link #writeTo} writes. */
  public static final int STATE_FORMAT = 1;

  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(byRule.size());
    for (Map.Entry<String, AlertLifecycle> a : byRule.entrySet()) {
      out.writeUTF(a.getKey());
      a.getValue().writeTo(out);
    }
  }

  public static ThresholdEvaluator readFrom(DataInput in, int format) throws IOException {
    if (format != STATE_FORMAT) {
      throw new IOException("threshold evaluator format " + format + " is not " + STATE_FORMAT);
    }
    ThresholdEvaluator t = new ThresholdEvaluator();
    for (int i = in.readInt(); i > 0; i--) {
      t.byRule.put(in.readUTF(), AlertLifecycle.readFrom(in));
    }
    return t;
  }
}
