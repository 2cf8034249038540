package io.caudal.dashboard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.testing.IntegrationTest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQL answers bounded in bytes as well as rows, on a server with small byte limits. */
@IntegrationTest
class SqlAnswerLimitsApiTest {

  static final long SQL_BYTES = 1L << 20;
  static final long CSV_BYTES = 2L << 20;

  @TempDir static Path root;
  static RunningDashboard dashboard;
  static DashboardClient client;

  @BeforeAll
  static void start() throws Exception {
    FixtureTables.writeAll(root, System.currentTimeMillis());
    DashboardServer.Settings settings =
        new DashboardServer.Settings("127.0.0.1", 0, 100, 1000, SQL_BYTES, CSV_BYTES, 3_600_000, false,
            Optional.empty());
    dashboard = RunningDashboard.start(root, 2, 10_000, FixtureTables.oneUser("ops", "correct horse battery"),
        Optional.empty(), Clock.systemUTC(), settings);
    client = new DashboardClient(dashboard.port);
    assertThat(client.login("ops", "correct horse battery").statusCode()).isEqualTo(303);
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
  }

  @Test
  void aSixtyMegabyteValueIsRefusedInsideDuckDbWithAClearMessage() throws Exception {
    String big = "SELECT repeat('x', 60000000) AS big";
    for (HttpResponse<String> response : List.of(client.postSql(big), client.postForm("/api/sql.csv", "sql", big),
        client.postSql("SELECT 1 AS a, [repeat('x', 60000000)] AS nested"))) {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(DashboardClient.JSON.readTree(response.body()).get("error").asText()).isEqualTo(
          "refused: a row of the result is larger than 64 KB as text; select fewer or shorter columns"
              + " (e.g. left(col, 1000)), or aggregate");
    }
    // A short piece of the same value is fine.
    JsonNode body = DashboardClient.JSON.readTree(client.postSql("SELECT left(repeat('x', 60000000), 10) AS head").body());
    assertThat(body.at("/rows/0/0").asText()).isEqualTo("xxxxxxxxxx");
  }

  @Test
  void manyLargeRowsAreCutAtTheByteLimitInOrderAndSaySo() throws Exception {
    HttpResponse<String> response = client.postSql("SELECT i, repeat('x', 50000) AS pad FROM range(100) r(i) ORDER BY i");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat((long) response.body().getBytes(UTF_8).length).isLessThanOrEqualTo(SQL_BYTES);
    JsonNode body = DashboardClient.JSON.readTree(response.body());
    assertThat(body.get("truncated").asBoolean()).isTrue();
    assertThat(body.get("truncatedBy").asText()).isEqualTo("bytes");
    assertThat(body.get("byteLimit").asLong()).isEqualTo(SQL_BYTES);
    int rows = body.get("rows").size();
    assertThat(rows).isBetween(15, 21); // 1 MiB / ~50 KB a row
    assertThat(body.get("rows")).extracting(row -> row.get(0).asInt())
        .containsExactlyElementsOf(IntStream.range(0, rows).boxed().toList());
  }

  @Test
  void rowsBeyondTheRowLimitSaySoToo() throws Exception {
    JsonNode body = DashboardClient.JSON.readTree(client.postSql("SELECT * FROM range(5000) ORDER BY 1 DESC").body());
    assertThat(body.get("rows")).hasSize(100);
    assertThat(body.at("/rows/0/0").asLong()).isEqualTo(4999);
    assertThat(body.get("truncatedBy").asText()).isEqualTo("rows");
    JsonNode all = DashboardClient.JSON.readTree(client.postSql("SELECT 42 AS answer;").body());
    assertThat(all.get("truncated").asBoolean()).isFalse();
    assertThat(all.get("truncatedBy").isNull()).isTrue();
    assertThat(all.at("/rows/0/0").asInt()).isEqualTo(42);
  }

  @Test
  void aCsvDownloadStopsAtItsByteLimit() throws Exception {
    HttpResponse<String> response = client.postForm("/api/sql.csv", "sql", "SELECT i, repeat('x', 50000) AS pad FROM range(1000) r(i)");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat((long) response.body().getBytes(UTF_8).length).isLessThanOrEqualTo(CSV_BYTES);
    List<String> lines = response.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("\"i\",\"pad\"");
    assertThat(lines).hasSizeBetween(30, 43); // 2 MiB / ~50 KB a line, and the header
    assertThat(lines.get(lines.size() - 1)).startsWith((lines.size() - 2) + ",\"xxxx").endsWith("x\"");
  }
}
