package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.schemas.AlertRule;
import io.caudal.schemas.alert.AlertRules;
import io.caudal.testing.IntegrationTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The threshold rules' API on a real server: files under config/alert-rules, as qoe-stream reads them. */
@IntegrationTest
class AlertRulesApiTest {

  static final String USER = "ops";
  static final String PASSWORD = "a long enough password";

  @TempDir Path root;
  RunningDashboard dashboard;
  DashboardClient client;
  Path folder;

  @BeforeEach
  void start() throws Exception {
    dashboard = RunningDashboard.start(root, FixtureTables.oneUser(USER, PASSWORD), Optional.empty(),
        Optional.empty(), Optional.empty());
    client = new DashboardClient(dashboard.port);
    assertThat(client.login(USER, PASSWORD).statusCode()).isEqualTo(303);
    folder = root.resolve(AlertRules.FOLDER);
  }

  @AfterEach
  void stop() throws Exception {
    dashboard.close();
  }

  static String rule(String id, String metric, double value, String dimension, String key, int forMinutes) {
    return """
        {"ruleId": "%s", "metric": "%s", "comparison": "ABOVE", "value": %s, "dimension": "%s", "key": %s,
         "forMinutes": %d, "minAttempts": 20, "enabled": true, "description": "paged at night"}
        """.formatted(id, metric, value, dimension, key == null ? "null" : "\"" + key + "\"", forMinutes);
  }

  private AlertRule onDisk(String id) throws Exception {
    return AlertRules.parse(Files.readString(folder.resolve(id + ".json")));
  }

  @Test
  void addsListsEditsAndRemovesARule() throws Exception {
    HttpResponse<String> added = client.postJson("/api/alert-rules", rule("vsf-eu", "vsfPct", 5, "region", "eu-west", 2));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(onDisk("vsf-eu").getValue()).isEqualTo(5.0);
    assertThat(onDisk("vsf-eu").getKey()).isEqualTo("eu-west");

    JsonNode listed = client.getJson("/api/alert-rules");
    assertThat(listed.get("folder").asText()).isEqualTo(folder.toAbsolutePath().normalize().toString());
    assertThat(listed.get("rules")).hasSize(1);
    assertThat(listed.at("/rules/0/rule/metric").asText()).isEqualTo("vsfPct");
    assertThat(listed.get("metrics").toString()).contains("experienceScore", "rebufferingRatio");

    HttpResponse<String> edited =
        client.putJson("/api/alert-rules/vsf-eu", rule("vsf-eu", "vsfPct", 7.5, "region", null, 3));
    assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
    assertThat(onDisk("vsf-eu").getValue()).isEqualTo(7.5);
    assertThat(onDisk("vsf-eu").getKey()).isNull();
    assertThat(onDisk("vsf-eu").getForMinutes()).isEqualTo(3);

    HttpResponse<String> again = client.postJson("/api/alert-rules", rule("vsf-eu", "vsfPct", 1, "fleet", null, 1));
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.body()).contains("ruleId: a rule vsf-eu exists already");

    HttpResponse<String> removed = client.delete("/api/alert-rules/vsf-eu");
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(folder.resolve("vsf-eu.json")).doesNotExist();
    assertThat(client.getJson("/api/alert-rules").get("rules")).isEmpty();
    assertThat(client.delete("/api/alert-rules/vsf-eu").statusCode()).isEqualTo(404);
    assertThat(client.putJson("/api/alert-rules/vsf-eu", rule("vsf-eu", "vsfPct", 1, "fleet", null, 1)).statusCode())
        .isEqualTo(404);
  }

  @Test
  void refusesAnInvalidRuleWith400NamingTheField() throws Exception {
    HttpResponse<String> badMetric = client.postJson("/api/alert-rules", rule("r1", "coolness", 5, "region", null, 1));
    assertThat(badMetric.statusCode()).isEqualTo(400);
    assertThat(DashboardClient.JSON.readTree(badMetric.body()).get("error").asText())
        .startsWith("metric: unknown metric coolness");

    HttpResponse<String> badMinutes = client.postJson("/api/alert-rules", rule("r1", "vsfPct", 5, "planet", null, 0));
    String error = DashboardClient.JSON.readTree(badMinutes.body()).get("error").asText();
    assertThat(badMinutes.statusCode()).isEqualTo(400);
    assertThat(error).contains("dimension: unknown dimension planet").contains("forMinutes: must be 1-60");

    HttpResponse<String> badId = client.postJson("/api/alert-rules", rule("../../etc/x", "vsfPct", 5, "fleet", null, 1));
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(badId.body()).contains("ruleId: must be 1-64 of A-Za-z0-9._-");

    HttpResponse<String> notJson = client.postJson("/api/alert-rules", "{\"ruleId\": ");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not an alert rule");

    client.postJson("/api/alert-rules", rule("r1", "vsfPct", 5, "fleet", null, 1));
    HttpResponse<String> renamed = client.putJson("/api/alert-rules/r1", rule("r2", "vsfPct", 5, "fleet", null, 1));
    assertThat(renamed.statusCode()).isEqualTo(400);
    assertThat(renamed.body()).contains("ruleId: the body's ruleId r2 differs");

    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.map(path -> path.getFileName().toString())).containsExactly("r1.json");
    }
  }

  @Test
  void refusesRuleChangesWithoutTheCsrfToken() throws Exception {
    assertThat(client.postJson("/api/alert-rules", rule("kept", "vsfPct", 5, "fleet", null, 1)).statusCode())
        .isEqualTo(201);
    String token = client.csrfToken();

    client.useCsrfToken(null);
    assertThat(client.postJson("/api/alert-rules", rule("forged", "vsfPct", 1, "fleet", null, 1)).statusCode())
        .isEqualTo(403);
    client.useCsrfToken("not-the-token");
    assertThat(client.putJson("/api/alert-rules/kept", rule("kept", "vsfPct", 99, "fleet", null, 1)).statusCode())
        .isEqualTo(403);
    assertThat(client.delete("/api/alert-rules/kept").statusCode()).isEqualTo(403);

    assertThat(folder.resolve("forged.json")).doesNotExist();
    assertThat(onDisk("kept").getValue()).isEqualTo(5.0);
    client.useCsrfToken(token);
    assertThat(client.delete("/api/alert-rules/kept").statusCode()).isEqualTo(200);
  }

  @Test
  void aReaderNeverSeesHalfARuleAndNoHiddenFileIsLeft() throws Exception {
    // Each edit makes the file much longer or shorter: a write in place would show a torn file.
    String shortDescription = "x";
    String longDescription = "y".repeat(200_000);
    assertThat(client.postJson("/api/alert-rules", withDescription(0, shortDescription)).statusCode()).isEqualTo(201);
    Path file = folder.resolve("big.json");
    AtomicBoolean editing = new AtomicBoolean(true);
    List<String> torn = new ArrayList<>();
    int[] reads = {0};
    Thread reader = new Thread(() -> {
      while (editing.get()) {
        try {
          AlertRules.parse(Files.readString(file));
          reads[0]++;
        } catch (NoSuchFileException e) {
          torn.add("the file was missing for a moment");
        } catch (Exception e) {
          torn.add(e.getMessage());
        }
      }
    });
    reader.start();
    for (int i = 1; i <= 40; i++) {
      HttpResponse<String> edited =
          client.putJson("/api/alert-rules/big", withDescription(i, i % 2 == 0 ? shortDescription : longDescription));
      assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
    }
    editing.set(false);
    reader.join();

    assertThat(torn).isEmpty();
    assertThat(reads[0]).isPositive();
    assertThat(onDisk("big").getValue()).isEqualTo(40.0);
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.map(path -> path.getFileName().toString())).containsExactly("big.json");
    }
  }

  private static String withDescription(int value, String description) {
    return """
        {"ruleId": "big", "metric": "errors", "comparison": "ABOVE", "value": %d, "dimension": "fleet",
         "description": "%s"}
        """.formatted(value, description);
  }
}
