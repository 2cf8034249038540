package io.caudal.schemas.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.AlertRule;
import io.caudal.schemas.Comparison;
import io.caudal.schemas.JsonAvroCodec;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

  @Test
  void readsARuleWithItsDefaults() {
    AlertRule rule = AlertRules.parse("""
        {"ruleId": "vsf-eu", "metric": "vsfPct", "comparison": "ABOVE", "value": 5, "dimension": "region",
         "key": "eu-west"}""");
    assertThat(rule.getComparison()).isEqualTo(Comparison.ABOVE);
    assertThat(rule.getForMinutes()).isEqualTo(1);
    assertThat(rule.getEnabled()).isTrue();
    assertThat(AlertRules.parse(JsonAvroCodec.toJson(rule))).isEqualTo(rule);
    assertThat(AlertRules.fileName(rule)).isEqualTo("vsf-eu.json");
  }

  @Test
  void watchesEveryNumericMinuteMetricButTheMinuteItself() {
    assertThat(AlertRules.METRICS).contains("vsfPct", "rebufferingRatio", "startupP95Ms", "errors", "experienceScore")
        .doesNotContain("minute", "dimension", "key");
  }

  @Test
  void namesEveryFieldThatIsWrong() {
    assertThatThrownBy(() -> AlertRules.parse("""
        {"ruleId": "../x", "metric": "happiness", "comparison": "ABOVE", "value": 5, "dimension": "planet",
         "forMinutes": 0, "minAttempts": -1}"""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ruleId:").hasMessageContaining("metric: unknown metric happiness")
        .hasMessageContaining("dimension: unknown dimension planet").hasMessageContaining("forMinutes:")
        .hasMessageContaining("minAttempts:");
    assertThatThrownBy(() -> AlertRules.parse("{\"ruleId\": \"r\", \"metric\": \"vsfPct\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an alert rule:");
    assertThatThrownBy(() -> AlertRules.parse("""
        {"ruleId": "r", "metric": "vsfPct", "comparison": "SIDEWAYS", "value": 5, "dimension": "fleet"}"""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comparison");
  }
}
