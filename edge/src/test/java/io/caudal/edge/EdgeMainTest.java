package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.caudal.schemas.cli.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code bin/caudal edge}: serving, signing, help, and errors that name the option. */
class EdgeMainTest {

  @TempDir Path dir;

  @Test
  void parsesServerOptions() throws Exception {
    EdgeMain.Parsed parsed = EdgeMain.parse("--port", "0", "--server-id", "e2", "--region", "eu", "--pathway",
        "e1=http://127.0.0.1:8080/", "--secret-file", secretFile().toString(), "--root", "/tmp/r").orElseThrow();
    assertThat(parsed.sign()).isNull();
    assertThat(parsed.options().serverId()).isEqualTo("e2");
    assertThat(parsed.options().pathways()).containsEntry("e1", "http://127.0.0.1:8080");
  }

  @Test
  void refusesBadOptionsNamingThem() {
    assertThatThrownBy(() -> EdgeMain.parse("--port", "x")).isInstanceOf(UsageException.class)
        .hasMessage("--port must be a whole number, got 'x'");
    assertThatThrownBy(() -> EdgeMain.parse("--pathway", "nourl")).isInstanceOf(UsageException.class)
        .hasMessage("--pathway must be ID=URL, got 'nourl'");
    assertThatThrownBy(() -> EdgeMain.parse("--frobnicate", "1")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option --frobnicate");
    assertThatThrownBy(() -> EdgeMain.parse("--sign", "u1")).isInstanceOf(UsageException.class)
        .hasMessage("--sign needs a value");
  }

  @Test
  void signsWithATtl() throws Exception {
    EdgeMain.Parsed parsed = EdgeMain.parse("--sign", "u1", "t-1", "--ttl", "7200", "--secret-file", secretFile().toString())
        .orElseThrow();
    assertThat(parsed.sign()).isEqualTo(new EdgeMain.Sign("u1", "t-1", 7200));
  }

  @Test
  void takesTheDefaultsWrittenDown() throws Exception {
    EdgeOptions options = EdgeMain.parse("--secret-file", secretFile().toString()).orElseThrow().options();
    assertThat(options.port()).isEqualTo(EdgeOptions.DEFAULT_PORT);
    assertThat(options.root()).isEqualTo(EdgeOptions.DEFAULT_ROOT);
    assertThat(options.serverId()).isEqualTo(EdgeOptions.DEFAULT_SERVER_ID);
    assertThat(options.healthInterval()).isEqualTo(EdgeOptions.DEFAULT_HEALTH_INTERVAL);
    assertThat(options.capacityMbps()).isEqualTo(EdgeOptions.DEFAULT_CAPACITY_MBPS);
    assertThat(options.cacheBytes()).isEqualTo(EdgeOptions.DEFAULT_CACHE_BYTES);
    assertThat(EdgeMain.parse("--sign", "u1", "t-1", "--secret-file", secretFile().toString()).orElseThrow().sign()
        .ttlSeconds())
        .isEqualTo(EdgeMain.DEFAULT_TTL_SECONDS);
  }

  @Test
  void parsesTheGuardsAgainstHostileClients() throws Exception {
    EdgeOptions.Guards defaults = EdgeMain.parse("--secret-file", secretFile().toString()).orElseThrow().options()
        .guards();
    assertThat(defaults).isEqualTo(EdgeOptions.Guards.defaults());
    EdgeOptions.Guards guards = EdgeMain.parse("--max-uploads", "100", "--max-uploads-per-client", "4",
        "--body-timeout-seconds", "5", "--min-body-rate", "2048", "--allowed-origin", "https://player.example/",
        "--allowed-origin", "http://127.0.0.1:3000", "--max-ttl", "3600", "--secret-file", secretFile().toString())
        .orElseThrow().options().guards();
    assertThat(guards).isEqualTo(new EdgeOptions.Guards(100, 4, Duration.ofSeconds(5), 2048,
        List.of("https://player.example", "http://127.0.0.1:3000"), Duration.ofHours(1)));
  }

  @Test
  void refusesGuardsOutOfRangeNamingTheOption() {
    assertThatThrownBy(() -> EdgeMain.parse("--max-uploads-per-client", "0"))
        .hasMessage("--max-uploads-per-client must be between 1 and 2048, got 0");
    assertThatThrownBy(() -> EdgeMain.parse("--body-timeout-seconds", "0"))
        .hasMessage("--body-timeout-seconds must be between 1 and 300, got 0");
    assertThatThrownBy(() -> EdgeMain.parse("--sign", "u1", "t-1", "--ttl", "7200", "--max-ttl", "3600"))
        .hasMessage("--ttl 7200 is longer than --max-ttl 3600");
    assertThatThrownBy(() -> EdgeMain.parse("--allowed-origin", "player.example"))
        .hasMessage("--allowed-origin needs an http:// or https:// URL, got 'player.example'");
  }

  @Test
  void keepsPathwaysInTheOrderGiven() throws Exception {
    EdgeOptions options = EdgeMain.parse("--server-id", "e0", "--public-url", "http://e0", "--pathway", "e3=http://e3",
        "--pathway", "e1=http://e1", "--pathway", "e2=http://e2", "--secret-file", secretFile().toString())
        .orElseThrow().options();
    assertThat(options.pathways().keySet()).containsExactly("e3", "e1", "e2");
    assertThat(options.allPathways().keySet()).containsExactly("e0", "e3", "e1", "e2");
  }

  @Test
  void refusesAnUnknownOptionNamingIt() {
    assertThatThrownBy(() -> EdgeMain.parse("--prot", "8080")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option --prot");
  }

  @Test
  void refusesAPortThatIsNotAWholeNumberNamingTheOption() {
    assertThatThrownBy(() -> EdgeMain.parse("--port", "http")).hasMessage("--port must be a whole number, got 'http'");
    assertThatThrownBy(() -> EdgeMain.parse("--port", "65536"))
        .hasMessage("--port must be between 0 and 65535, got 65536");
  }

  @Test
  void refusesABadPathwayNamingTheOption() {
    assertThatThrownBy(() -> EdgeMain.parse("--pathway", "=http://e1")).hasMessage("--pathway must be ID=URL, got '=http://e1'");
    assertThatThrownBy(() -> EdgeMain.parse("--pathway", "e1=e1.example:8080"))
        .hasMessage("--pathway needs an http:// or https:// URL, got 'e1=e1.example:8080'");
    assertThatThrownBy(() -> EdgeMain.parse("--public-url", "e1.example:8080"))
        .hasMessage("--public-url needs an http:// or https:// URL, got 'e1.example:8080'");
  }

  @Test
  void refusesAnOptionWithoutItsValueNamingIt() {
    assertThatThrownBy(() -> EdgeMain.parse("--root")).hasMessage("--root needs a value");
    assertThatThrownBy(() -> EdgeMain.parse("--port", "--host", "0.0.0.0")).hasMessage("--port needs a value");
  }

  @Test
  void refusesAMissingSecretFileNamingTheOption() {
    Path missing = dir.resolve("no-such-secret");
    assertThatThrownBy(() -> EdgeMain.parse("--secret-file", missing.toString()))
        .hasMessage("--secret-file " + missing + " does not exist");
  }

  @Test
  void takesTheKeyMasterFileAndRefusesAnUnreadableOneNamingTheOption() throws Exception {
    Path master = dir.resolve("key-master");
    Files.writeString(master, "44".repeat(32));
    assertThat(EdgeMain.parse("--key-master-file", master.toString(), "--secret-file", secretFile().toString())
        .orElseThrow().options().keyMasterFile()).isEqualTo(master);
    Path missing = dir.resolve("no-such-master");
    assertThatThrownBy(() -> EdgeMain.parse("--key-master-file", missing.toString(), "--secret-file",
        secretFile().toString())).hasMessage("--key-master-file " + missing + " cannot be read");
  }

  @Test
  void refusesARootThatIsNeitherAUriNorALocalFolderNamingTheOption() {
    assumeTrue(System.getenv(EdgeMain.SECRET_ENV) == null, "the secret comes from " + EdgeMain.SECRET_ENV);
    assertThatThrownBy(() -> EdgeMain.parse("--root", "hdfs://name node/caudal")).isInstanceOf(UsageException.class)
        .hasMessage("--root must be a URI or a local folder, got 'hdfs://name node/caudal'");
  }

  @Test
  void listsEveryOptionWithItsDefaultInTheHelp() throws Exception {
    assertThat(EdgeMain.parse("--help")).isEmpty();
    assertThat(EdgeMain.usage())
        .contains("--root=URI", "--port=PORT", "--host=ADDRESS", "--server-id=ID", "--region=R", "--store=URI",
            "--public-url=URL", "--pathway=ID=URL", "--bootstrap-servers=HOST:PORT", "--secret-file=FILE",
            "--health-interval-seconds=S", "--capacity-mbps=MBPS", "--cache-mb=MB", "--sign=USER TITLE", "--ttl=S",
            "--max-uploads=N", "--max-uploads-per-client=N", "--body-timeout-seconds=S",
            "--min-body-rate=BYTES_PER_S", "--allowed-origin=URL", "--max-ttl=S", "--help")
        .contains("(default 8080)", "(default caudal-data)", "(default localhost:9092)", "(default 256)");
  }

  @Test
  void takesTheViewerAppsOptionsAndRefusesWrongOnesNamingThem() throws Exception {
    assertThat(EdgeMain.usage()).contains("--viewers-file=FILE", "--viewer-demo", "--rental-hours=H", "--add-viewer=NAME",
        "--plan=PLAN", "(default svod)");
    EdgeOptions.Viewers viewers = EdgeMain.parse("--root", dir.toString(), "--viewer-demo", "--rental-hours", "24")
        .orElseThrow().options().viewers();
    assertThat(viewers.demo()).isTrue();
    assertThat(viewers.rentalPeriod()).isEqualTo(Duration.ofHours(24));
    assertThat(viewers.usersFile()).isNull();
    assertThat(EdgeMain.parse("--root", dir.toString()).orElseThrow().options().viewers().demo()).isFalse();
    assertThatThrownBy(() -> EdgeMain.parse("--root", dir.toString(), "--rental-hours", "0"))
        .isInstanceOf(UsageException.class).hasMessageContaining("--rental-hours");
    assertThatThrownBy(() -> EdgeMain.parse("--root", dir.toString(), "--viewer-demo", "--rental-hours", "1000",
        "--max-ttl", "3600"))
        .isInstanceOf(UsageException.class).hasMessage("--rental-hours 1000 is longer than --max-ttl 3600 s");
    assertThatThrownBy(() -> EdgeMain.parse("--root", dir.toString(), "--add-viewer", "ana"))
        .isInstanceOf(UsageException.class).hasMessage("--add-viewer needs --viewers-file");
    assertThatThrownBy(() -> EdgeMain.parse("--root", dir.toString(), "--plan", "avod"))
        .isInstanceOf(UsageException.class).hasMessage("--plan must be svod or tvod, got 'avod'");
    assertThatThrownBy(() -> EdgeMain.parse("--root", dir.toString(), "--viewers-file", dir.resolve("none.txt").toString()))
        .isInstanceOf(UsageException.class).hasMessageContaining("none.txt does not exist");
  }

  @Test
  void processesThatMakeTheLocalSecretAtOnceAllEndWithTheSameOne() throws Exception {
    assumeTrue(System.getenv(EdgeMain.SECRET_ENV) == null, "the secret comes from the environment here");
    Path root = dir.resolve("fresh-root");
    int racers = 16;
    CyclicBarrier start = new CyclicBarrier(racers);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<String>> secrets = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        secrets.add(pool.submit(() -> {
          start.await();
          return new String(EdgeMain.secret(null, root.toString()), StandardCharsets.UTF_8);
        }));
      }
      Set<String> distinct = new HashSet<>();
      for (Future<String> secret : secrets) {
        distinct.add(secret.get());
      }
      assertThat(distinct).containsExactly(Files.readString(root.resolve(".edge-secret")).strip());
      assertThat(Files.getPosixFilePermissions(root.resolve(".edge-secret")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      try (Stream<Path> left = Files.list(root)) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly(".edge-secret");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  Path secretFile() throws IOException {
    Path file = dir.resolve("edge-secret");
    Files.writeString(file, "0123456789abcdef0123\n");
    return file;
  }
}
