package io.caudal.qoe.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertRule;
import io.caudal.schemas.AlertState;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.alert.AlertRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdEvaluatorTest {
  private static final long T0 = 1_764_000_000_000L - 1_764_000_000_000L % 60_000;

  private final ThresholdEvaluator evaluator = new ThresholdEvaluator();

  private static QoeMinute row(int minute, String dimension, String key, long attempts, double vsfPct) {
    return QoeMinute.newBuilder().setMinute(T0 + minute * 60_000L).setDimension(dimension).setKey(key)
        .setAttempts(attempts).setPlays(attempts).setVsfPct(vsfPct).setEbvsPct(0.0).setStartupP50Ms(800L)
        .setStartupP95Ms(1500L).setRebufferingRatio(0.0).setAvgBitrateKbps(3000.0).setErrors(0)
        .setLossFraction(null).setJitterMs(null).setConcurrentSessions(attempts).setExperienceScore(90.0).build();
  }

  private static AlertRule rule(String json) {
    return AlertRules.parse(json);
  }

  private static final AlertRule VSF_OVER_5_FOR_2 = rule("""
      {"ruleId": "vsf-high", "metric": "vsfPct", "comparison": "ABOVE", "value": 5.0, "dimension": "region",
       "key": null, "forMinutes": 2, "minAttempts": 25, "enabled": true, "description": null}""");

  private List<Alert> feed(Map<String, AlertRule> rules, QoeMinute... rows) {
    List<Alert> out = new ArrayList<>();
    for (QoeMinute r : rows) {
      out.addAll(evaluator.evaluate(r, rules));
    }
    return out;
  }

  @Test
  void opensAfterForMinutesBadAndResolvesAfterAsManyGood() {
    Map<String, AlertRule> rules = Map.of("vsf-high", VSF_OVER_5_FOR_2);

    List<Alert> alerts = feed(rules, row(0, "region", "eu", 100, 2), row(1, "region", "eu", 100, 8),
        row(2, "region", "eu", 100, 9), row(3, "region", "eu", 100, 9.5), row(4, "region", "eu", 100, 2),
        row(5, "region", "eu", 100, 1));

    assertThat(alerts).extracting(Alert::getState).containsExactly(AlertState.OPEN, AlertState.RESOLVED);
    Alert open = alerts.get(0);
    assertThat(open.getAlertId()).isEqualTo("threshold:vsf-high:region=eu:" + (T0 + 60_000));
    assertThat(open.getMinute()).isEqualTo(T0 + 2 * 60_000);
    assertThat(open.getValue()).isEqualTo(9.0);
    assertThat(open.getThreshold()).isEqualTo(5.0);
    assertThat(open.getRevision()).isEqualTo(1);
    assertThat(alerts.get(1).getAlertId()).isEqualTo(open.getAlertId());
    assertThat(alerts.get(1).getRevision()).isEqualTo(2);
    assertThat(alerts.get(1).getMinute()).isEqualTo(T0 + 5 * 60_000);
  }

  @Test
  void judgesNoMinuteWithFewerAttemptsThanTheRuleAsks() {
    assertThat(feed(Map.of("vsf-high", VSF_OVER_5_FOR_2), row(0, "region", "eu", 10, 50), row(1, "region", "eu", 10, 50),
        row(2, "region", "eu", 10, 50))).isEmpty();
  }

  @Test
  void watchesOnlyItsDimensionAndKey() {
    AlertRule onlyUs = rule("""
        {"ruleId": "us-only", "metric": "vsfPct", "comparison": "ABOVE", "value": 5.0, "dimension": "region",
         "key": "us"}""");

    assertThat(feed(Map.of("us-only", onlyUs), row(0, "region", "eu", 100, 50), row(0, "isp", "us", 100, 50)))
        .isEmpty();
    assertThat(feed(Map.of("us-only", onlyUs), row(0, "region", "us", 100, 50)))
        .extracting(Alert::getState).containsExactly(AlertState.OPEN);
  }

  @Test
  void aRuleRemovedOrEditedAwayResolvesItsAlertAtTheNextMinute() {
    AlertRule below = rule("""
        {"ruleId": "score-low", "metric": "experienceScore", "comparison": "BELOW", "value": 95.0,
         "dimension": "fleet"}""");
    assertThat(feed(Map.of("score-low", below), row(0, "fleet", "all", 100, 0)))
        .extracting(Alert::getState).containsExactly(AlertState.OPEN);

    AlertRule lowered = AlertRule.newBuilder(below).setValue(80.0).build();
    assertThat(feed(Map.of("score-low", lowered), row(1, "fleet", "all", 100, 0)))
        .extracting(Alert::getState).containsExactly(AlertState.RESOLVED);
    assertThat(feed(Map.of("score-low", below), row(2, "fleet", "all", 100, 0)))
        .extracting(Alert::getState).containsExactly(AlertState.OPEN);
    assertThat(feed(Map.of(), row(3, "fleet", "all", 100, 0)))
        .extracting(Alert::getState).containsExactly(AlertState.RESOLVED);
  }
}
