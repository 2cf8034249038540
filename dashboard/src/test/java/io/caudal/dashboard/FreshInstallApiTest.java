package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.testing.IntegrationTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A root with no tables at all: every panel says "no data yet", and SQL sees empty tables. */
@IntegrationTest
class FreshInstallApiTest {

  @TempDir static Path root;
  static RunningDashboard dashboard;
  static DashboardClient client;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(root.resolve("tables/qoe_minute/date=2026-01-01/hour=00")); // a folder, no file
    dashboard = RunningDashboard.start(root, 1, 2_000, 100, FixtureTables.oneUser("ops", "a long enough password"),
        Optional.empty());
    client = new DashboardClient(dashboard.port);
    assertThat(client.login("ops", "a long enough password").statusCode()).isEqualTo(303);
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
  }

  @Test
  void overviewAndBreakdownSayNoDataYet() throws Exception {
    JsonNode overview = client.getJson("/api/overview");
    assertThat(overview.get("status").asText()).isEqualTo("no_data");
    assertThat(overview.get("message").asText()).startsWith("No data yet: the table qoe_minute has no files");
    JsonNode breakdown = client.getJson("/api/breakdown?dimension=isp");
    assertThat(breakdown.get("status").asText()).isEqualTo("no_data");
    assertThat(breakdown.get("rows")).isEmpty();
    JsonNode sessions = client.getJson("/api/sessions?q=anyone");
    assertThat(sessions.get("status").asText()).isEqualTo("no_data");
  }

  @Test
  void alertsSayNoAlertsRulesAreEmptyAndTheTimelineIsNotConnected() throws Exception {
    JsonNode alerts = client.getJson("/api/alerts");
    assertThat(alerts.get("status").asText()).isEqualTo("no_alerts");
    assertThat(alerts.get("message").asText()).startsWith("No alerts");
    assertThat(alerts.get("alerts")).isEmpty();
    assertThat(alerts.get("tableHasData").asBoolean()).isFalse();
    assertThat(client.get("/api/alert-chart?alertId=a-1").statusCode()).isEqualTo(404);
    assertThat(client.getJson("/api/alert-rules").get("rules")).isEmpty();
    JsonNode timeline = client.getJson("/api/timeline?session=s-1");
    assertThat(timeline.get("status").asText()).isEqualTo("not_connected");
    assertThat(client.get("/api/timeline").statusCode()).isEqualTo(400);
    JsonNode alertColumns = DashboardClient.JSON.readTree(client.postSql("SELECT * FROM alerts").body());
    assertThat(alertColumns.get("columns")).extracting(JsonNode::asText).contains("alertId", "rootCause", "onsetMinute");
  }

  @Test
  void sqlSeesEmptyTablesWithTheContractsColumns() throws Exception {
    HttpResponse<String> response = client.postSql("SELECT * FROM qoe_minute");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = DashboardClient.JSON.readTree(response.body());
    assertThat(body.get("rows")).isEmpty();
    assertThat(body.get("columns")).extracting(JsonNode::asText)
        .startsWith("minute", "dimension", "key", "attempts", "plays", "vsfPct");
    JsonNode catalog = DashboardClient.JSON.readTree(client.postSql("SELECT ladder FROM catalog").body());
    assertThat(catalog.at("/types/0").asText()).startsWith("STRUCT(");
  }

  @Test
  void statusListsEveryTableAsEmpty() throws Exception {
    JsonNode status = client.getJson("/api/status");
    assertThat(status.get("tables").get("qoe_minute").asBoolean()).isFalse();
    assertThat(status.get("tables").get("catalog").asBoolean()).isFalse();
    assertThat(status.get("steeringConnected").asBoolean()).isFalse();
  }
}
