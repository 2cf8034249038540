package io.caudal.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceOptionsTest {
  @Test
  void parsesEveryOption() {
    MaintenanceOptions o = MaintenanceOptions.parse("--root", "hdfs://nn:8020/caudal", "--table", "qoe_minute",
        "--compact-older-than-hours", "3", "--retention-days", "14", "--now", "2026-01-31T05:00:00+00:00")
        .orElseThrow();
    assertThat(o).isEqualTo(new MaintenanceOptions("hdfs://nn:8020/caudal", "qoe_minute", Duration.ofHours(3), 14,
        Instant.parse("2026-01-31T05:00:00Z")));
  }

  @Test
  void defaultsToTwoHoursAndNinetyDays() {
    MaintenanceOptions o = MaintenanceOptions.parse("--root", "/data", "--table", "qoe_sessions").orElseThrow();
    assertThat(o.compactOlderThan()).isEqualTo(Duration.ofHours(2));
    assertThat(o.retentionDays()).isEqualTo(90);
  }

  @Test
  void refusesATableThatIsNotPartitioned() {
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/data", "--table", "catalog"))
        .hasMessage("--table must be one of [qoe_minute, qoe_sessions], got 'catalog'");
  }

  @Test
  void refusesBadNumbersAndTimes() {
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/d", "--table", "qoe_minute", "--retention-days", "0"))
        .hasMessage("--retention-days must be at least 1, got 0");
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/d", "--table", "qoe_minute", "--now", "yesterday"))
        .hasMessageStartingWith("--now must be an ISO-8601 time with an offset");
  }

  @Test
  void refusesANumberThatIsNotAWholeOneNamingTheOption() {
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/d", "--table", "qoe_minute",
        "--retention-days", "many"))
        .isInstanceOf(UsageException.class).hasMessage("--retention-days must be a whole number, got 'many'");
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/d", "--table", "qoe_minute",
        "--compact-older-than-hours", "1.5"))
        .isInstanceOf(UsageException.class).hasMessage("--compact-older-than-hours must be a whole number, got '1.5'");
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/d", "--table", "qoe_minute",
        "--compact-older-than-hours", "-1"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--compact-older-than-hours must be at least 0, got -1");
  }

  @Test
  void refusesAMissingTableAndAValueMissingAfterTheLastOption() {
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/d"))
        .isInstanceOf(UsageException.class).hasMessage("missing --table");
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/d", "--table", "qoe_minute", "--retention-days"))
        .isInstanceOf(UsageException.class).hasMessage("--retention-days needs a value");
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "--table", "qoe_minute"))
        .isInstanceOf(UsageException.class).hasMessage("--root needs a value");
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/d", "--table", "qoe_minute", "qoe_sessions"))
        .isInstanceOf(UsageException.class).hasMessage("unexpected argument 'qoe_sessions'");
  }

  @Test
  void anOptionGivenTwiceTakesItsLastValue() {
    MaintenanceOptions o = MaintenanceOptions.parse("--root", "/d", "--table", "qoe_minute",
        "--retention-days", "90", "--retention-days", "30").orElseThrow();
    assertThat(o.retentionDays()).isEqualTo(30);
  }

  @Test
  void helpIsNotAnErrorAndListsEveryOptionWithItsDefault() {
    assertThat(MaintenanceOptions.parse("--help")).isEmpty();
    assertThat(MaintenanceOptions.usage()).contains("--root", "--table", "--compact-older-than-hours",
        "--retention-days", "--now", "--help", "default 2", "default 90");
  }

  @Test
  void refusesMissingRootAndValues() {
    assertThatThrownBy(() -> MaintenanceOptions.parse("--table", "qoe_minute")).hasMessage("missing --root");
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root")).hasMessage("--root needs a value");
    assertThatThrownBy(() -> MaintenanceOptions.parse("--root", "/d", "--bogus", "1")).hasMessage("unknown option --bogus");
  }
}
