package io.caudal.schemas.alert;

import io.caudal.schemas.AlertRule;
import io.caudal.schemas.InvalidRecordException;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.QoeMinute;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The rules every threshold rule obeys, shared by the dashboard that writes rules and qoe-stream
 * that evaluates them, so a rule one accepts is never refused by the other.
 */
public final class AlertRules {

  /** Where rules live under a Caudal root: one {@code <ruleId>.json} each. */
  public static final String FOLDER = "config/alert-rules";

  /** Dimensions a rule may watch; {@code fleet} is everything at once (key {@code all}). */
  public static final List<String> DIMENSIONS = List.of("fleet", "region", "isp", "server", "device", "title");

  /** Metrics a rule may watch: the numeric fields of a {@code qoe_minute} row. */
  public static final Set<String> METRICS = numericFieldsOf(QoeMinute.getClassSchema());

  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_FOR_MINUTES = 60;

  private AlertRules() {}

  /**
   * Reads and checks one rule file's text.
   *
   * @throws IllegalArgumentException naming the field and what is wrong with it
   */
  public static AlertRule parse(String json) {
    AlertRule rule;
    try {
      rule = JsonAvroCodec.fromJson(json, AlertRule.class);
    } catch (InvalidRecordException e) {
      throw new IllegalArgumentException("not an alert rule: " + e.getMessage(), e);
    }
    List<String> problems = problems(rule);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return rule;
  }

  /** What is wrong with a rule, one line per field; empty when it may be evaluated. */
  public static List<String> problems(AlertRule rule) {
    List<String> problems = new ArrayList<>();
    if (!RULE_ID.matcher(rule.getRuleId()).matches()) {
      problems.add("ruleId: must be 1-64 of A-Za-z0-9._- (it names the rule's file)");
    }
    if (!METRICS.contains(rule.getMetric())) {
      problems.add("metric: unknown metric " + rule.getMetric() + "; one of " + METRICS);
    }
    if (!Double.isFinite(rule.getValue())) {
      problems.add("value: must be a finite number");
    }
    if (!DIMENSIONS.contains(rule.getDimension())) {
      problems.add("dimension: unknown dimension " + rule.getDimension() + "; one of " + DIMENSIONS);
    }
    if (rule.getKey() != null && rule.getKey().isBlank()) {
      problems.add("key: leave it out for every key of the dimension, or name one");
    }
    if ("fleet".equals(rule.getDimension()) && rule.getKey() != null && !"all".equals(rule.getKey())) {
      problems.add("key: the fleet has the single key all");
    }
    if (rule.getForMinutes() < 1 || rule.getForMinutes() > MAX_FOR_MINUTES) {
      problems.add("forMinutes: must be 1-" + MAX_FOR_MINUTES);
    }
    if (rule.getMinAttempts() < 0) {
      problems.add("minAttempts: must not be negative");
    }
    return problems;
  }

  /** The file name a rule is stored under. */
  public static String fileName(AlertRule rule) {
    return rule.getRuleId() + ".json";
  }

  private static Set<String> numericFieldsOf(Schema record) {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (Schema.Field field : record.getFields()) {
      Schema type = field.schema();
      if (type.getType() == Schema.Type.UNION) {
        type = type.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).findFirst().orElseThrow();
      }
      boolean numeric = switch (type.getType()) {
        case INT, LONG, FLOAT, DOUBLE -> true;
        default -> false;
      };
      // The minute is when, not how well.
      if (numeric && !field.name().equals("minute")) {
        names.add(field.name());
      }
    }
    return java.util.Collections.unmodifiableSet(names);
  }
}
