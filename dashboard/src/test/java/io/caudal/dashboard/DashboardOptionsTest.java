package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DashboardOptionsTest {

  private static DashboardOptions parse(String... args) {
    return DashboardOptions.parse(args).orElseThrow();
  }

  @Test
  void servesCaudalDataOnThisMachineByDefault() {
    assertThat(parse()).isEqualTo(new DashboardOptions(DashboardOptions.Mode.SERVE, Path.of("caudal-data"),
        Path.of("caudal-data", "dashboard-users.txt"), "127.0.0.1", 8090, Optional.empty(), 10_000, 10_000, 100_000,
        16L << 20, 256L << 20, "2GB", 2, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
  }

  @Test
  void behindTlsIsOffUnlessAsked() {
    assertThat(parse().behindTls()).isFalse();
    assertThat(parse("--behind-tls", "--host", "0.0.0.0").behindTls()).isTrue();
  }

  @Test
  void aTrustedProxyIsAnAddress() {
    assertThat(parse("--trusted-proxy", "127.0.0.1").trustedProxy()).contains("127.0.0.1");
    assertThat(parse("--trusted-proxy", "::1").trustedProxy()).contains("::1");
    assertThatThrownBy(() -> parse("--trusted-proxy", "proxy.example.org"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--trusted-proxy must be an IP address");
  }

  @Test
  void readsWhatTheLauncherTheDemoAndTheBenchmarkPass() {
    DashboardOptions demo = parse("--root", "/srv/caudal", "--port", "8090", "--bootstrap-servers", "localhost:9092");
    assertThat(demo.root()).isEqualTo(Path.of("/srv/caudal"));
    assertThat(demo.bootstrapServers()).contains("localhost:9092");

    DashboardOptions bench = parse("--root", "/b", "--users", "/b/users.txt", "--port", "0", "--threads", "4",
        "--memory-limit", "4GB");
    assertThat(bench.usersFile()).isEqualTo(Path.of("/b/users.txt"));
    assertThat(bench.port()).isZero();
    assertThat(bench.threads()).isEqualTo(4);
    assertThat(bench.memoryLimit()).isEqualTo("4GB");

    DashboardOptions addUser = parse("--users", "/b/users.txt", "--add-user", "bench");
    assertThat(addUser.mode()).isEqualTo(DashboardOptions.Mode.ADD_USER);
    assertThat(addUser.newUser()).contains("bench");

    DashboardOptions queries = parse("--print-queries", "--from", "1000", "--to", "2000");
    assertThat(queries.mode()).isEqualTo(DashboardOptions.Mode.PRINT_QUERIES);
    assertThat(queries.from()).contains("1000");
    assertThat(queries.to()).contains("2000");

    assertThat(parse("--print-hash").mode()).isEqualTo(DashboardOptions.Mode.PRINT_HASH);
  }

  @Test
  void optionsRefuseUnknownFlagsAndRemoteRoots() {
    assertThatThrownBy(() -> DashboardOptions.parse("--colour", "blue")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option --colour");
    assertThatThrownBy(() -> DashboardOptions.parse("--root", "hdfs://nn:8020/caudal"))
        .isInstanceOf(UsageException.class).hasMessageContaining("--root must be a local folder");
    assertThatThrownBy(() -> DashboardOptions.parse("--port")).isInstanceOf(UsageException.class)
        .hasMessage("--port needs a value");
    assertThat(parse("--root", "/data").usersFile()).isEqualTo(Path.of("/data/dashboard-users.txt"));
  }

  @Test
  void refusesABadNumberNamingTheOption() {
    assertThatThrownBy(() -> DashboardOptions.parse("--port", "eighty"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--port must be a whole number, got 'eighty'");
    assertThatThrownBy(() -> DashboardOptions.parse("--threads", "0"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--threads must be between 1 and 256, got 0");
    assertThatThrownBy(() -> DashboardOptions.parse("--sql-timeout-ms", "10"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--sql-timeout-ms must be between 100 and 3600000, got 10");
    assertThatThrownBy(() -> DashboardOptions.parse("--memory-limit", "lots"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--memory-limit must be a size like 2GB, got 'lots'");
  }

  @Test
  void refusesAMissingValueNamingTheOption() {
    assertThatThrownBy(() -> DashboardOptions.parse("--add-user", "--root", "/data"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--add-user needs a value");
  }

  @Test
  void refusesTwoThingsToDoAtOnce() {
    assertThatThrownBy(() -> DashboardOptions.parse("--add-user", "alice", "--print-hash"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--add-user, --print-hash and --print-queries do one thing each: give one");
  }

  @Test
  void helpIsNotAnErrorAndListsEveryOption() {
    assertThat(DashboardOptions.parse("--help")).isEmpty();
    assertThat(DashboardOptions.help()).contains("--root", "--users", "--host", "--port", "--bootstrap-servers",
        "--sql-timeout-ms", "--sql-row-limit", "--csv-row-limit", "--memory-limit", "--threads", "--add-user",
        "--print-hash", "--print-queries", "--from", "--to", "--help", "8090", "2GB");
  }
}
