package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.testing.IntegrationTest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's HTTP API on a real server, over fixture tables. */
@IntegrationTest
class DashboardApiTest {

  static final String USER = "ops";
  static final String PASSWORD = "correct horse battery";

  @TempDir static Path root;
  static long now;
  static RunningDashboard dashboard;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    now = System.currentTimeMillis();
    FixtureTables.writeAll(root, now);
    dashboard = RunningDashboard.start(root, 2, 2_000, 100, FixtureTables.oneUser(USER, PASSWORD), Optional.empty());
    port = dashboard.port;
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
  }

  private static DashboardClient loggedIn() throws Exception {
    DashboardClient client = new DashboardClient(port);
    assertThat(client.login(USER, PASSWORD).statusCode()).isEqualTo(303);
    return client;
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/overview", "/api/breakdown", "/api/sessions?q=sess-aaa", "/api/steering", "/api/status", "/api/me", "/api/nothing-here"})
  void refusesEveryApiWithoutASession(String path) throws Exception {
    HttpResponse<String> response = new DashboardClient(port).get(path);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(DashboardClient.JSON.readTree(response.body()).get("error").asText())
        .isEqualTo("not logged in: log in at /login first");
  }

  @Test
  void refusesSqlWithoutASession() throws Exception {
    HttpResponse<String> response = new DashboardClient(port).postSql("SELECT 1");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("not logged in");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/assets/app.js", "/assets/style.css", "/somewhere"})
  void sendsPagesWithoutASessionToTheLogin(String path) throws Exception {
    HttpResponse<String> response = new DashboardClient(port).get(path);
    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/login");
  }

  @Test
  void refusesAWrongPasswordAndAnUnknownUser() throws Exception {
    DashboardClient client = new DashboardClient(port);
    HttpResponse<String> wrong = client.login(USER, "not the password");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("Wrong user name or password.");
    assertThat(DashboardClient.setCookie(wrong, DashboardServer.SESSION_COOKIE)).isEmpty();
    assertThat(client.login("mallory", PASSWORD).statusCode()).isEqualTo(401);
    assertThat(client.get("/api/me").statusCode()).isEqualTo(401);
  }

  @Test
  void logsInWithAnHttpOnlySameSiteStrictCookie() throws Exception {
    DashboardClient client = new DashboardClient(port);
    HttpResponse<String> response = client.login(USER, PASSWORD);
    assertThat(response.statusCode()).isEqualTo(303);
    String cookie = DashboardClient.setCookie(response, DashboardServer.SESSION_COOKIE).orElseThrow();
    assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").doesNotContain("Secure");
    assertThat(client.getJson("/api/me").get("user").asText()).isEqualTo(USER);
    assertThat(client.get("/").body()).contains("<script src=\"/assets/app.js\">");
  }

  @Test
  void postsWithoutTheSessionsCsrfTokenAreRefused() throws Exception {
    DashboardClient client = loggedIn();
    String token = client.csrfToken();
    for (String forged : new String[] {null, "forged", token.substring(1)}) {
      client.useCsrfToken(forged);
      HttpResponse<String> sql = client.postSql("SELECT 1");
      assertThat(sql.statusCode()).as("token %s", forged).isEqualTo(403);
      assertThat(sql.body()).contains("refused: this request did not carry the page's CSRF token");
      assertThat(client.postForm("/api/sql.csv", "sql", "SELECT 1").statusCode()).isEqualTo(403);
      assertThat(client.postForm("/logout", "x", "y").statusCode()).isEqualTo(403);
    }
    assertThat(client.get("/api/me").statusCode()).isEqualTo(200); // the forged logout did nothing
    // As the page's forms send it: in the _csrf field.
    client.useCsrfToken(null);
    assertThat(client.postFormFields("/api/sql.csv", "sql", "SELECT 1 AS one", "_csrf", token).body())
        .isEqualTo("\"one\"\r\n1\r\n");
    client.useCsrfToken(token);
    assertThat(client.postSql("SELECT 1").statusCode()).isEqualTo(200);
  }

  @Test
  void aLoginFormWithoutItsTokenAndCookieIsRefused() throws Exception {
    DashboardClient client = new DashboardClient(port);
    HttpResponse<String> form = client.get("/login");
    String cookie = DashboardClient.cookieOf(form, DashboardServer.LOGIN_COOKIE).orElseThrow();
    String token = cookie.substring(cookie.indexOf('=') + 1);
    assertThat(form.body()).contains("name=\"_csrf\" value=\"" + token + "\"");
    assertThat(DashboardClient.setCookie(form, DashboardServer.LOGIN_COOKIE).orElseThrow())
        .contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/login");

    HttpResponse<String> noCookie = client.postLogin(USER, PASSWORD, token, null);
    HttpResponse<String> noToken = client.postLogin(USER, PASSWORD, null, cookie);
    HttpResponse<String> otherToken = client.postLogin(USER, PASSWORD, "forged", cookie);
    for (HttpResponse<String> refused : List.of(noCookie, noToken, otherToken)) {
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("The login form had expired: log in again.");
      assertThat(DashboardClient.setCookie(refused, DashboardServer.SESSION_COOKIE)).isEmpty();
    }
    assertThat(client.postLogin(USER, PASSWORD, token, cookie).statusCode()).isEqualTo(303);
  }

  @Test
  void behindTlsEveryCookieIsSecureAndPagesSendHsts(@TempDir Path otherRoot) throws Exception {
    DashboardServer.Settings behindTls = RunningDashboard.settings(100).withBehindTls();
    try (RunningDashboard tls = RunningDashboard.start(otherRoot, 1, 2_000, FixtureTables.oneUser(USER, PASSWORD),
        Optional.empty(), java.time.Clock.systemUTC(), behindTls)) {
      DashboardClient client = new DashboardClient(tls.port);
      HttpResponse<String> form = client.get("/login");
      assertThat(DashboardClient.setCookie(form, DashboardServer.LOGIN_COOKIE).orElseThrow()).contains("Secure");
      assertThat(form.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
      HttpResponse<String> login = client.login(USER, PASSWORD);
      assertThat(login.statusCode()).isEqualTo(303);
      assertThat(DashboardClient.setCookie(login, DashboardServer.SESSION_COOKIE).orElseThrow())
          .contains("Secure").contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
    }
  }

  @Test
  void logoutEndsTheSession() throws Exception {
    DashboardClient client = loggedIn();
    assertThat(client.postForm("/logout", "x", "y").statusCode()).isEqualTo(303);
    assertThat(client.get("/api/me").statusCode()).isEqualTo(401);
  }

  @Test
  void overviewGivesTotalsAndSeries() throws Exception {
    JsonNode body = loggedIn().getJson("/api/overview?from=" + (now - 3_600_000) + "&to=" + now);
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.at("/totals/attempts").asLong()).isEqualTo(FixtureTables.EXPECTED_ATTEMPTS);
    assertThat(body.at("/totals/vsfPct").asDouble()).isCloseTo(FixtureTables.EXPECTED_VSF_PCT, within(1e-9));
    assertThat(body.at("/totals/rebufferingRatio").asDouble()).isCloseTo(FixtureTables.EXPECTED_REBUFFERING, within(1e-12));
    assertThat(body.get("series")).hasSize(FixtureTables.MINUTES);
  }

  @Test
  void overviewOfAnEmptyRangeSaysSo() throws Exception {
    JsonNode body = loggedIn().getJson("/api/overview?from=1000&to=2000");
    assertThat(body.get("status").asText()).isEqualTo("no_data_in_range");
    assertThat(body.get("message").asText()).isEqualTo("No QoE data in this time range.");
  }

  @Test
  void breakdownIsWorstFirst() throws Exception {
    JsonNode body = loggedIn().getJson("/api/breakdown?dimension=server&sort=rebufferingRatio&from=" + (now - 3_600_000) + "&to=" + now);
    assertThat(body.get("rows")).extracting(row -> row.get("key").asText()).containsExactly("srv-3", "srv-2", "srv-1");
  }

  @Test
  void badParametersAre400WithTheReason() throws Exception {
    DashboardClient client = loggedIn();
    HttpResponse<String> dimension = client.get("/api/breakdown?dimension=planet");
    assertThat(dimension.statusCode()).isEqualTo(400);
    assertThat(dimension.body()).contains("dimension: 'planet' is not one of region, isp, device, server, title");
    HttpResponse<String> range = client.get("/api/overview?from=20&to=10");
    assertThat(range.statusCode()).isEqualTo(400);
    assertThat(range.body()).contains("'to' (10) must be after 'from' (20)");
    HttpResponse<String> limit = client.get("/api/breakdown?limit=lots");
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(limit.body()).contains("limit: not a whole number: 'lots'");
    HttpResponse<String> search = client.get("/api/sessions");
    assertThat(search.statusCode()).isEqualTo(400);
    assertThat(search.body()).contains("give a sessionId or userId in 'q'");
  }

  @Test
  void sessionSearchShowsTheSessionsQoeRow() throws Exception {
    DashboardClient client = loggedIn();
    JsonNode body = client.getJson("/api/sessions?q=sess-bbb");
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.get("rows")).singleElement().satisfies(row -> {
      assertThat(row.get("sessionId").asText()).isEqualTo("sess-bbb");
      assertThat(row.get("startupTimeMs").asLong()).isEqualTo(1900);
      assertThat(row.get("rebufferingRatio").asDouble()).isEqualTo(0.0025);
    });
    JsonNode missing = client.getJson("/api/sessions?q=nobody");
    assertThat(missing.get("status").asText()).isEqualTo("not_found");
    assertThat(missing.get("message").asText()).isEqualTo("No session or user with id 'nobody'.");
  }

  @Test
  void steeringSaysItIsNotConnectedWithoutKafka() throws Exception {
    JsonNode body = loggedIn().getJson("/api/steering");
    assertThat(body.get("status").asText()).isEqualTo("not_connected");
    assertThat(body.get("message").asText()).contains("--bootstrap-servers");
  }

  @Test
  void sqlReturnsColumnsAndRows() throws Exception {
    HttpResponse<String> response = loggedIn().postSql(
        "SELECT key, sum(errors) AS errors FROM qoe_minute WHERE dimension = 'region' GROUP BY key ORDER BY key");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = DashboardClient.JSON.readTree(response.body());
    assertThat(body.get("columns")).extracting(JsonNode::asText).containsExactly("key", "errors");
    assertThat(body.at("/rows/0/0").asText()).isEqualTo("eu-west");
    assertThat(body.at("/rows/0/1").asLong()).isEqualTo(2L * FixtureTables.MINUTES);
    assertThat(body.at("/rows/1/1").asLong()).isEqualTo(5L * FixtureTables.MINUTES);
    assertThat(body.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void sqlCapsRowsAtTheServersLimit() throws Exception {
    HttpResponse<String> response = loggedIn().postSql("SELECT * FROM range(5000)");
    JsonNode body = DashboardClient.JSON.readTree(response.body());
    assertThat(body.get("rows")).hasSize(100);
    assertThat(body.get("truncated").asBoolean()).isTrue();
  }

  @Test
  void sqlDownloadsAsCsv() throws Exception {
    HttpResponse<String> response = loggedIn().postForm("/api/sql.csv", "sql",
        "SELECT key, attempts FROM qoe_minute WHERE dimension = 'server' AND minute = (SELECT min(minute) FROM qoe_minute) ORDER BY key");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment");
    assertThat(response.body().lines().toList())
        .containsExactly("\"key\",\"attempts\"", "\"srv-1\",60", "\"srv-2\",60", "\"srv-3\",30");
  }

  @Test
  void csvCellsAndHeadersCannotBeSpreadsheetFormulas() throws Exception {
    HttpResponse<String> response = loggedIn().postForm("/api/sql.csv", "sql",
        "SELECT '=HYPERLINK(\"http://evil.example\",\"x\")' AS \"@head\", '-2+3' AS b, '+1' AS c,"
            + " chr(9) || 'tab' AS d, 'plain' AS e, -5 AS n");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().lines().toList()).containsExactly(
        "\"'@head\",\"b\",\"c\",\"d\",\"e\",\"n\"",
        "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",\"'-2+3\",\"'+1\",\"'\ttab\",\"plain\",-5");
  }

  @Test
  void aUserNameWithANewlineCannotForgeALogLine() throws Exception {
    String forged = "mallory\n12:00:00.000 [main] INFO io.caudal.dashboard.DashboardServer - login for ops succeeded";
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(new DashboardClient(port).login(forged, "wrong password").statusCode()).isEqualTo(401);
    } finally {
      System.setErr(err);
    }
    List<String> lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
        .filter(line -> line.contains("mallory")).toList();
    assertThat(lines).singleElement().asString()
        .contains("failed login for \"mallory\\n12:00:00.000 [main] INFO");
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines())
        .noneMatch(line -> line.startsWith("12:00:00.000"));
  }

  @Test
  void sqlAttacksAreRefusedWithAClearMessage() throws Exception {
    DashboardClient client = loggedIn();
    List<String[]> attacks = List.of(
        new String[] {"DROP VIEW qoe_minute", "refused: only read-only queries run here"},
        new String[] {"INSERT INTO qoe_minute SELECT * FROM qoe_minute", "refused: only read-only queries run here"},
        new String[] {"SELECT * FROM read_csv('/etc/passwd')", "Permission Error: Cannot access file \\\"/etc/passwd\\\""},
        new String[] {"ATTACH '/tmp/evil.db' AS evil", "refused: only read-only queries run here"},
        new String[] {"SELECT count(*) FROM range(1000000000000) a(i), range(1000) b(j) WHERE i * j = -1",
            "cancelled: the query ran past the time limit of 2000 ms"});
    for (String[] attack : attacks) {
      HttpResponse<String> response = client.postSql(attack[0]);
      assertThat(response.statusCode()).as(attack[0]).isEqualTo(400);
      assertThat(response.body()).as(attack[0]).contains(attack[1]);
    }
    // The data is all still there.
    JsonNode count = DashboardClient.JSON.readTree(client.postSql("SELECT count(*) FROM qoe_minute").body());
    assertThat(count.at("/rows/0/0").asLong()).isEqualTo(11L * FixtureTables.MINUTES);
  }

  @Test
  void sqlRefusesABodyThatIsNotAQuery() throws Exception {
    DashboardClient client = loggedIn();
    HttpResponse<String> notJson = client.postJson("/api/sql", "{not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("body: not JSON");
    HttpResponse<String> noField = client.postJson("/api/sql", "{\"query\": \"SELECT 1\"}");
    assertThat(noField.statusCode()).isEqualTo(400);
    assertThat(noField.body()).contains("body: expected {\\\"sql\\\": \\\"SELECT ...\\\"}");
  }

  @Test
  void pagesCarrySecurityHeaders() throws Exception {
    HttpResponse<String> response = new DashboardClient(port).get("/login");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
    assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
  }
}
