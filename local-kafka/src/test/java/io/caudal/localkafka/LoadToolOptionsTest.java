package io.caudal.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.Topics;
import io.caudal.schemas.cli.UsageException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadToolOptionsTest {
  private static final String KAFKA = "localhost:9092";

  private static LoadToolOptions.Mode parse(String... args) {
    return LoadToolOptions.parse(args).orElseThrow();
  }

  @Test
  void readsWhatTheQoeBenchmarkPassesToProduce() {
    LoadToolOptions.Mode mode = parse("produce", "--bootstrap-servers", KAFKA, "--rate", "50000", "--seconds", "40",
        "--run-id", "step-1");
    assertThat(mode).isEqualTo(new LoadToolOptions.Produce(KAFKA,
        new FleetPlan.Config(50_000, 40, 1_000, 30, 42, "step-1"), LoadToolOptions.Pace.PLANNED));
  }

  @Test
  void takesEveryProduceOption() {
    LoadToolOptions.Produce produce = (LoadToolOptions.Produce) parse("produce", "--bootstrap-servers", KAFKA,
        "--rate", "10", "--seconds", "5", "--pace", "max", "--heartbeat-interval-ms", "500",
        "--heartbeats-per-session", "8", "--seed", "7");
    assertThat(produce.pace()).isEqualTo(LoadToolOptions.Pace.MAX);
    assertThat(produce.plan().heartbeatIntervalMs()).isEqualTo(500);
    assertThat(produce.plan().heartbeatsPerSession()).isEqualTo(8);
    assertThat(produce.plan().seed()).isEqualTo(7);
    assertThat(produce.plan().runId()).startsWith("r");
  }

  @Test
  void readsTheMeasuringModesWithTheirDefaults() {
    assertThat(parse("plain-consume", "--bootstrap-servers", KAFKA)).isEqualTo(new LoadToolOptions.PlainConsume(KAFKA,
        List.of("player.heartbeat", "player.rtcp", "server.health"), Duration.ofSeconds(600)));
    assertThat(parse("plain-consume", "--bootstrap-servers", KAFKA, "--topics", "a,b", "--timeout-s", "9"))
        .isEqualTo(new LoadToolOptions.PlainConsume(KAFKA, List.of("a", "b"), Duration.ofSeconds(9)));
    assertThat(parse("lag", "--bootstrap-servers", KAFKA, "--seconds", "55", "--group", "caudal-qoe-stream",
        "--interval-ms", "1000")).isEqualTo(new LoadToolOptions.Lag(KAFKA, Duration.ofSeconds(55),
        Optional.of("caudal-qoe-stream"), List.of("player.heartbeat", "player.rtcp", "server.health"),
        Duration.ofSeconds(1)));
    assertThat(parse("lag", "--bootstrap-servers", KAFKA, "--seconds", "3", "--topics", "player.rtcp"))
        .isEqualTo(new LoadToolOptions.Lag(KAFKA, Duration.ofSeconds(3), Optional.empty(), List.of("player.rtcp"),
            Duration.ofSeconds(1)));
    assertThat(parse("decisions", "--bootstrap-servers", KAFKA, "--seconds", "40"))
        .isEqualTo(new LoadToolOptions.Decisions(KAFKA, Duration.ofSeconds(40)));
    assertThat(parse("transactions", "--bootstrap-servers", KAFKA))
        .isEqualTo(new LoadToolOptions.Transactions(KAFKA));
  }

  @Test
  void readsTheJobsInputTopicsByDefault() {
    assertThat(LoadToolOptions.DEFAULT_TOPICS.split(","))
        .containsExactly(Topics.HEARTBEAT.name(), Topics.RTCP.name(), Topics.SERVER_HEALTH.name());
  }

  @Test
  void helpIsNotAnErrorAndListsEveryModesOptions() {
    assertThat(LoadToolOptions.parse("--help")).isEmpty();
    assertThat(LoadToolOptions.parse("lag", "--help")).isEmpty();
    assertThat(LoadToolOptions.help()).contains("produce", "plain-consume", "lag", "decisions", "transactions",
        "--bootstrap-servers", "--rate", "--seconds", "--pace", "--heartbeat-interval-ms", "--heartbeats-per-session",
        "--seed", "--run-id", "--topics", "--timeout-s", "--group", "--interval-ms");
  }

  @Test
  void refusesAnUnknownOptionNamingItAndTheMode() {
    assertThatThrownBy(() -> parse("decisions", "--bootstrap-servers", KAFKA, "--seconds", "5", "--rate", "9"))
        .isInstanceOf(UsageException.class)
        .hasMessage("decisions: unknown option --rate");
  }

  @Test
  void refusesABadNumberNamingTheOption() {
    assertThatThrownBy(() -> parse("produce", "--bootstrap-servers", KAFKA, "--rate", "fast", "--seconds", "5"))
        .isInstanceOf(UsageException.class)
        .hasMessage("produce: --rate must be a whole number, got 'fast'");
    assertThatThrownBy(() -> parse("produce", "--bootstrap-servers", KAFKA, "--rate", "0", "--seconds", "5"))
        .isInstanceOf(UsageException.class)
        .hasMessage("produce: --rate must be at least 1, got 0");
    assertThatThrownBy(() -> parse("produce", "--bootstrap-servers", KAFKA, "--rate", "9", "--seconds", "5",
        "--heartbeat-interval-ms", "50"))
        .isInstanceOf(UsageException.class)
        .hasMessage("produce: --heartbeat-interval-ms must be at least 100, got 50");
    assertThatThrownBy(() -> parse("lag", "--bootstrap-servers", KAFKA, "--seconds", "-1"))
        .isInstanceOf(UsageException.class)
        .hasMessage("lag: --seconds must be at least 1, got -1");
  }

  @Test
  void refusesAMissingRequiredOptionNamingIt() {
    assertThatThrownBy(() -> parse("produce", "--bootstrap-servers", KAFKA, "--seconds", "5"))
        .isInstanceOf(UsageException.class)
        .hasMessage("produce: missing --rate");
    assertThatThrownBy(() -> parse("transactions"))
        .isInstanceOf(UsageException.class)
        .hasMessage("transactions: missing --bootstrap-servers");
  }

  @Test
  void refusesAMissingValueNamingTheOption() {
    assertThatThrownBy(() -> parse("lag", "--bootstrap-servers", KAFKA, "--seconds"))
        .isInstanceOf(UsageException.class)
        .hasMessage("lag: --seconds needs a value");
    assertThatThrownBy(() -> parse("decisions", "--bootstrap-servers", "--seconds", "5"))
        .isInstanceOf(UsageException.class)
        .hasMessage("decisions: --bootstrap-servers needs a value");
  }

  @Test
  void refusesAnUnknownPaceAndAnUnknownMode() {
    assertThatThrownBy(() -> parse("produce", "--bootstrap-servers", KAFKA, "--rate", "9", "--seconds", "5",
        "--pace", "fast"))
        .isInstanceOf(UsageException.class)
        .hasMessage("produce: --pace must be planned or max, got 'fast'");
    assertThatThrownBy(() -> parse("consume", "--bootstrap-servers", KAFKA))
        .isInstanceOf(UsageException.class)
        .hasMessage("unexpected argument 'consume'");
    assertThatThrownBy(() -> parse())
        .isInstanceOf(UsageException.class)
        .hasMessage("a mode is required, one of produce, plain-consume, lag, decisions, transactions");
  }
}
