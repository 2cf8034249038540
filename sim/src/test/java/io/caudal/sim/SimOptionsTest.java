package io.caudal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import io.caudal.sim.kafka.KafkaTopics;
import io.caudal.sim.model.Fault;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimOptionsTest {

  @Test
  void readsTheIssuesCommandLine() {
    SimOptions options = SimOptions.parse("--players", "500", "--servers", "6", "--regions", "3", "--duration", "5m",
        "--fault", "server-unhealthy:eu-west-s1@60s", "--fault", "hot-title:t003/us-east@2m").orElseThrow();
    assertThat(options.players()).isEqualTo(500);
    assertThat(options.servers()).isEqualTo(6);
    assertThat(options.regions()).isEqualTo(3);
    assertThat(options.durationMs()).isEqualTo(300_000);
    assertThat(options.speed()).isEqualTo(1.0);
    assertThat(options.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(options.faults()).containsExactly(new Fault.ServerUnhealthy("eu-west-s1", 60_000),
        new Fault.HotTitle("t003", "us-east", 120_000));
    assertThat(options.thesisExperiment()).isFalse();
    assertThat(options.serverUrl()).isNull();
  }

  @Test
  void readsTheServersPublicUrl() {
    assertThat(SimOptions.parse("--server-url", "https://{id}.cdn.example/").orElseThrow().serverUrl())
        .isEqualTo("https://{id}.cdn.example/");
  }

  @Test
  void viewersRateAtEdgesBaseUrlOfALiveRunOnly() {
    assertThat(SimOptions.parse("--rate-at", "http://127.0.0.1:8080").orElseThrow().rateAt())
        .hasToString("http://127.0.0.1:8080/");
    assertThat(SimOptions.parse().orElseThrow().rateAt()).isNull();
    assertThatThrownBy(() -> SimOptions.parse("--rate-at", "127.0.0.1:8080"))
        .isInstanceOf(UsageException.class).hasMessageContaining("--rate-at must be edge's base URL");
    assertThatThrownBy(() -> SimOptions.parse("--rate-at", "http://edge/v1/ratings"))
        .isInstanceOf(UsageException.class).hasMessageContaining("--rate-at must be edge's base URL");
    assertThatThrownBy(() -> SimOptions.parse("--rate-at", "http://edge:8080", "--events-out", "e.jsonl"))
        .isInstanceOf(UsageException.class).hasMessageContaining("--rate-at needs a live run");
  }

  @Test
  void theExperimentRunsFasterThanRealTimeByDefault() {
    SimOptions options = SimOptions.parse("--experiment", "thesis", "--max-clients", "60", "--out", "figs")
        .orElseThrow();
    assertThat(options.thesisExperiment()).isTrue();
    assertThat(options.speed()).isEqualTo(SimOptions.DEFAULT_EXPERIMENT_SPEED);
    assertThat(options.maxClients()).isEqualTo(60);
    assertThat(options.out()).isEqualTo(Path.of("figs"));
  }

  @Test
  void helpIsNotAnError() {
    assertThat(SimOptions.parse("--help")).isEmpty();
    assertThat(SimOptions.usage()).contains("--players", "--fault", "--experiment");
  }

  @Test
  void refusesBadOptionsNamingThem() {
    List.of(
        List.of(List.of("--players", "many"), "--players must be a whole number, got 'many'"),
        List.of(List.of("--regions", "5", "--servers", "2"), "--regions must be between 1 and --servers (2)"),
        List.of(List.of("--duration", "soon"), "--duration 'soon' is not a duration"),
        List.of(List.of("--speed", "0"), "--speed must be positive"),
        List.of(List.of("--speed", "fast"), "--speed must be a number, got 'fast'"),
        List.of(List.of("--experiment", "figure-7"), "--experiment 'figure-7' is unknown"),
        List.of(List.of("--fault", "server-unhealthy:s1"), "--fault: fault 'server-unhealthy:s1' is not KIND:TARGET@TIME"),
        List.of(List.of("--server-url", "http://cdn.example"), "--server-url must be an http:// or https:// URL with {id}"),
        List.of(List.of("--start", "2026-01-05T00:00:00Z"), "--start needs --events-out"),
        List.of(List.of("--events-out", "e.jsonl", "--start", "monday"), "--start 'monday' is not an instant"),
        List.of(List.of("--events-out", "e.jsonl", "--start", "2999-01-01T00:00:00Z"), "ends in the future"),
        List.of(List.of("--frobnicate"), "unknown option --frobnicate"))
        .forEach(c -> {
          @SuppressWarnings("unchecked")
          List<String> args = (List<String>) c.get(0);
          assertThatThrownBy(() -> SimOptions.parse(args.toArray(String[]::new)))
              .isInstanceOf(UsageException.class).hasMessageContaining((String) c.get(1));
        });
  }

  @Test
  void aFileFromAGivenStartIsTheSameOnEveryRun(@TempDir Path dir) throws Exception {
    String[] run = {"--players", "20", "--servers", "2", "--regions", "1", "--duration", "3m", "--seed", "7",
        "--start", "2026-01-05T00:00:00Z", "--fault", "isp-degrade:eu-west/isp-a@60s+60s", "--events-out"};
    SimMain.run(concat(run, dir.resolve("a.jsonl").toString()));
    SimMain.run(concat(run, dir.resolve("b.jsonl").toString()));

    List<String> first = Files.readAllLines(dir.resolve("a.jsonl"));
    assertThat(first).isNotEmpty();
    assertThat(first.get(0)).contains("\"eventTime\":176757");
    assertThat(Files.readAllLines(dir.resolve("b.jsonl"))).isEqualTo(first);
  }

  private static String[] concat(String[] head, String last) {
    String[] all = java.util.Arrays.copyOf(head, head.length + 1);
    all[head.length] = last;
    return all;
  }

  @Test
  void refusesAnOptionWithoutItsValueNamingIt() {
    assertThatThrownBy(() -> SimOptions.parse("--players"))
        .isInstanceOf(UsageException.class).hasMessage("--players needs a value");
    assertThatThrownBy(() -> SimOptions.parse("--bootstrap-servers", "--players", "3"))
        .isInstanceOf(UsageException.class).hasMessage("--bootstrap-servers needs a value");
  }

  @Test
  void aFaultOnAnUnknownServerIsAUsageError() {
    assertThatThrownBy(() -> SimMain.run(new String[] {"--servers", "2", "--regions", "1",
        "--fault", "server-unhealthy:mars-s1@10s"}))
        .isInstanceOf(UsageException.class).hasMessageContaining("no server mars-s1");
  }

  @Test
  void saysSoInOneLineWhenNoBrokerAnswers() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(() -> SimMain.run(new String[] {"--players", "1", "--duration", "1s",
        "--bootstrap-servers", "127.0.0.1:" + port}))
        .isInstanceOf(KafkaTopics.BrokerUnavailableException.class)
        .hasMessage("no Kafka broker answers at 127.0.0.1:" + port + " (start one, or pass --bootstrap-servers HOST:PORT)");
  }
}
