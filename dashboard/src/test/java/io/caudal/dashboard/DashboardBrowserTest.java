package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.testing.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven by playwright-core (installed
 * by the build's npm ci) from {@code src/test/browser/dashboard-e2e.mjs}. Screenshots are kept
 * under {@code target/screenshots/}.
 */
@IntegrationTest
class DashboardBrowserTest {

  static final String USER = "operator";
  static final String PASSWORD = "browser test password";
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path root;
  static RunningDashboard dashboard;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    FixtureTables.writeAll(root, System.currentTimeMillis());
    dashboard = RunningDashboard.start(root, 2, 5_000, 1_000, FixtureTables.oneUser(USER, PASSWORD), Optional.empty());
    port = dashboard.port;
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
  }

  @Test
  void operatorLogsInSeesTheOverviewRunsSqlAndDownloadsCsv() throws Exception {
    JsonNode seen = runBrowser();

    assertThat(seen.get("ok").asBoolean()).as("browser run: %s", seen.path("error").asText()).isTrue();
    assertThat(seen.get("redirectedToLogin").asBoolean()).isTrue();
    assertThat(seen.get("wrongPasswordMessage").asText()).isEqualTo("Wrong user name or password.");
    assertThat(seen.get("user").asText()).isEqualTo(USER);
    assertThat(seen.at("/tiles/attempts").asText()).isEqualTo("1,500");
    assertThat(seen.at("/tiles/plays").asText()).isEqualTo("1,300");
    assertThat(seen.at("/tiles/vsfPct").asText()).isEqualTo("4.00 %");
    assertThat(seen.at("/tiles/rebufferingRatio").asText()).isEqualTo("2.00 %");
    assertThat(seen.at("/tiles/avgBitrateKbps").asText()).isEqualTo("3,625 kbit/s");
    assertThat(seen.at("/tiles/errors").asText()).isEqualTo("70");
    // Tables written before the experience score existed: the score is shown as missing, not failed.
    assertThat(seen.at("/tiles/experienceScore").asText()).isEqualTo("–");
    assertThat(seen.get("charts")).hasSize(7);
    assertThat(seen.get("breakdownFirst").asText()).isEqualTo("srv-3");
    assertThat(seen.get("sessionRow").toString()).contains("sess-bbb", "user-1", "srv-3");
    assertThat(seen.get("steeringMessage").asText()).contains("not connected");
    assertThat(seen.get("sqlHeader")).extracting(JsonNode::asText).containsExactly("key", "attempts");
    assertThat(seen.get("sqlRows").toString()).isEqualTo("[[\"eu-west\",\"1000\"],[\"us-east\",\"500\"]]");
    assertThat(seen.get("csvName").asText()).isEqualTo("caudal-query.csv");
    assertThat(seen.get("csv").asText().lines().toList()).containsExactly(
        "\"key\",\"attempts\"", "\"eu-west\",1000", "\"us-east\",500");
    assertThat(seen.get("sqlAttackMessage").asText()).contains("Permission Error: Cannot access file \"/etc/passwd\"");
    assertThat(seen.get("consoleErrors")).isEmpty();
    assertThat(SCREENSHOTS.resolve("01-overview.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("03-sql.png")).isNotEmptyFile();
  }

  private static JsonNode runBrowser() throws Exception {
    Path log = Files.createTempFile("dashboard-e2e", ".log");
    ProcessBuilder builder = new ProcessBuilder("node", "src/test/browser/dashboard-e2e.mjs")
        .redirectErrorStream(false)
        .redirectError(log.toFile())
        .redirectOutput(ProcessBuilder.Redirect.PIPE);
    builder.environment().put("BASE_URL", "http://127.0.0.1:" + port);
    builder.environment().put("DASH_USER", USER);
    builder.environment().put("DASH_PASSWORD", PASSWORD);
    builder.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the browser run did not finish in 3 minutes");
    }
    List<String> lines = out.lines().filter(line -> line.startsWith("{")).toList();
    assertThat(lines).as("node printed no JSON; exit %d, stderr: %s", process.exitValue(),
        Files.readString(log)).isNotEmpty();
    return DashboardClient.JSON.readTree(lines.get(lines.size() - 1));
  }

}
