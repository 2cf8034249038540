package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.edge.viewer.ViewerAccounts;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleTitles;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer app's sign-in and grants on a real edge server: passwords, throttling, cookie flags
 * and CSRF, and playback granted by plan (a subscription covers the catalog; a rental covers its
 * title until it ends, which is the token's expiry).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class ViewerAppTest {

  static final byte[] SECRET = "viewer-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  static final String TITLE = "t-viewer-1";
  static final String PASSWORD = "correct horse battery";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path root;
  EdgeServer edge;
  EdgeServer shortRentals;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    SampleTitles.writeTitle(root, TITLE);
    SampleTitles.writeCatalog(root, SampleTitles.entry(TITLE, "The Long River", "documentary"));
    Path users = root.resolve("viewers.txt");
    // bcrypt at its lowest cost keeps the test quick; the file format and the check are the real ones.
    Files.writeString(users, "# viewers\n"
        + "ana:svod:" + ViewerAccounts.hash(PASSWORD.toCharArray(), 4) + "\n"
        + "ben:tvod:" + ViewerAccounts.hash(PASSWORD.toCharArray(), 4) + "\n"
        + "cy:svod:" + ViewerAccounts.hash(PASSWORD.toCharArray(), 4) + "\n"
        + "dee:tvod:" + ViewerAccounts.hash(PASSWORD.toCharArray(), 4) + "\n");
    // Kafka plays no part in signing in or granting: a closed port stands for an absent broker.
    String noKafka;
    try (ServerSocket socket = new ServerSocket(0)) {
      noKafka = "127.0.0.1:" + socket.getLocalPort();
    }
    EdgeOptions options = EdgeOptions.defaults(root.toUri().toString(), noKafka, SECRET);
    edge = EdgeServer.start(options.withViewers(EdgeOptions.Viewers.none().withUsersFile(users).withDemo(8)));
    shortRentals = EdgeServer.start(options.withServer("edge-short", "local").withViewers(
        EdgeOptions.Viewers.none().withUsersFile(users).withRentalPeriod(Duration.ofSeconds(2))));
  }

  @AfterAll
  void stop() throws Exception {
    for (EdgeServer server : new EdgeServer[] {edge, shortRentals}) {
      if (server != null) {
        server.close();
      }
    }
  }

  // ---- sign-in ----------------------------------------------------------------------------------

  @Test
  void refusesAWrongPasswordAndAnUnknownViewerWith401AndNoSession() throws Exception {
    Browser browser = new Browser(edge);
    HttpResponse<String> wrong = browser.signIn("ana", "wrong password");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("wrong viewer id or password");
    assertThat(wrong.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("caudal_viewer="));
    assertThat(browser.signIn("nobody", PASSWORD).statusCode()).isEqualTo(401);
    assertThat(browser.session().get("signedIn").asBoolean()).isFalse();
  }

  @Test
  void signsInWithAnHttpOnlySameSiteStrictSessionCookie() throws Exception {
    Browser browser = new Browser(edge);
    HttpResponse<String> response = browser.signIn("ana", PASSWORD);
    assertThat(response.statusCode()).isEqualTo(200);
    String cookie = response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("caudal_viewer="))
        .findFirst().orElseThrow();
    List<String> attributes = List.of(cookie.split(";")).stream().map(String::trim).map(String::toLowerCase).toList();
    assertThat(attributes).contains("httponly", "samesite=strict", "path=/")
        // Served over plain http here, so not Secure (a browser would drop it); over TLS it is.
        .doesNotContain("secure");
    JsonNode session = browser.session();
    assertThat(session.get("signedIn").asBoolean()).isTrue();
    assertThat(session.get("userId").asText()).isEqualTo("ana");
    assertThat(session.get("plan").asText()).isEqualTo("svod");
    assertThat(session.get("csrfToken").asText()).hasSizeGreaterThan(40);

    assertThat(browser.post("/v1/viewer/logout", true).statusCode()).isEqualTo(204);
    assertThat(browser.session().get("signedIn").asBoolean()).isFalse();
    assertThat(browser.post("/v1/viewer/play/" + TITLE, true).statusCode()).isEqualTo(401);
  }

  @Test
  void throttlesPasswordGuessingEvenWhenTheRightPasswordFollows() throws Exception {
    Browser browser = new Browser(edge);
    for (int i = 0; i < 5; i++) {
      assertThat(browser.signIn("cy", "guess " + i).statusCode()).as("free failure " + i).isEqualTo(401);
    }
    assertThat(browser.signIn("cy", "guess 5").statusCode()).isEqualTo(401);
    HttpResponse<String> throttled = browser.signIn("cy", PASSWORD);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.body()).contains("too many failed sign-ins");
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    assertThat(browser.session().get("signedIn").asBoolean()).isFalse();
    // Once the wait is over, the right password signs in.
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
        .until(() -> browser.signIn("cy", PASSWORD).statusCode() == 200);
  }

  @Test
  void refusesASignInWithoutTheSignInTokenOfThePage() throws Exception {
    Browser browser = new Browser(edge);
    browser.session();
    HttpResponse<String> forged = browser.send(HttpRequest.newBuilder(browser.uri("/v1/viewer/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"ana\",\"password\":\"" + PASSWORD + "\"}")));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("sign-in token");
  }

  @Test
  void refusesStateChangingRequestsWithoutTheSessionsCsrfToken() throws Exception {
    Browser browser = new Browser(edge);
    assertThat(browser.signIn("ana", PASSWORD).statusCode()).isEqualTo(200);
    HttpResponse<String> noToken = browser.post("/v1/viewer/play/" + TITLE, false);
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("CSRF");
    HttpResponse<String> wrongToken = browser.send(HttpRequest.newBuilder(browser.uri("/v1/viewer/play/" + TITLE))
        .header("X-CSRF-Token", "not-the-token").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    // A page of another site is refused before anything else.
    HttpResponse<String> otherSite = browser.send(HttpRequest.newBuilder(browser.uri("/v1/viewer/play/" + TITLE))
        .header("Origin", "https://evil.example").header("X-CSRF-Token", browser.csrf)
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(otherSite.statusCode()).isEqualTo(403);
    assertThat(otherSite.body()).contains("web origin");
  }

  @Test
  void demoModeListsTheDemoViewersAndSignsThemInWithoutAPassword() throws Exception {
    Browser browser = new Browser(edge);
    JsonNode session = browser.session();
    assertThat(session.get("demoViewers")).hasSize(8);
    assertThat(session.get("demoViewers").get(0).get("userId").asText()).isEqualTo("u00001");
    assertThat(session.get("demoViewers").get(3).get("plan").asText()).isEqualTo("tvod");
    assertThat(browser.signIn("u00004", null).statusCode()).isEqualTo(200);
    assertThat(browser.session().get("plan").asText()).isEqualTo("tvod");
    // Outside demo mode the same id is just an unknown viewer.
    Browser elsewhere = new Browser(shortRentals);
    assertThat(elsewhere.session().get("demoViewers")).isEmpty();
    assertThat(elsewhere.signIn("u00004", null).statusCode()).isEqualTo(401);
  }

  // ---- grants -----------------------------------------------------------------------------------

  @Test
  void aSubscriberIsGrantedAnyTitleWithATokenThatPlays() throws Exception {
    Browser browser = new Browser(edge);
    browser.signIn("ana", PASSWORD);
    HttpResponse<String> response = browser.post("/v1/viewer/play/" + TITLE, true);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode grant = JSON.readTree(response.body());
    long now = System.currentTimeMillis() / 1000;
    PlaybackToken token = new TokenSigner(SECRET).verify(grant.get("token").asText(), now);
    assertThat(token.userId()).isEqualTo("ana");
    assertThat(token.titleId()).isEqualTo(TITLE);
    assertThat(token.expiresAtSeconds()).isBetween(now + 86_400 - 60, now + 86_400 + 1);
    assertThat(grant.get("rentalEndsAt").isNull()).isTrue();
    assertThat(browser.get(grant.get("hls").asText()).statusCode()).isEqualTo(200);
    assertThat(browser.get(grant.get("player").asText()).statusCode()).isEqualTo(200);

    HttpResponse<String> missing = browser.post("/v1/viewer/play/t-not-there", true);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("no title t-not-there");
    assertThat(browser.post("/v1/viewer/rent/" + TITLE, true).body()).contains("plan svod covers every title");
  }

  @Test
  void aRenterWithoutARentalIsRefused403WithTheReason() throws Exception {
    Browser browser = new Browser(edge);
    browser.signIn("ben", PASSWORD);
    HttpResponse<String> response = browser.post("/v1/viewer/play/" + TITLE, true);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(response.body()).get("error").asText())
        .isEqualTo("plan tvod: " + TITLE + " is not rented; rent it first");
  }

  @Test
  void aRentalsTokenExpiresWhenTheRentalEndsAndItsRatingsAreAccepted() throws Exception {
    Browser browser = new Browser(edge);
    browser.signIn("dee", PASSWORD);
    Instant before = Instant.now();
    HttpResponse<String> rented = browser.post("/v1/viewer/rent/" + TITLE, true);
    assertThat(rented.statusCode()).isEqualTo(200);
    Instant endsAt = Instant.parse(JSON.readTree(rented.body()).get("endsAt").asText());
    assertThat(endsAt).isBetween(before.plus(Duration.ofHours(48)), Instant.now().plus(Duration.ofHours(48)));
    // Renting again keeps the running rental.
    assertThat(Instant.parse(JSON.readTree(browser.post("/v1/viewer/rent/" + TITLE, true).body()).get("endsAt").asText()))
        .isEqualTo(endsAt);
    assertThat(browser.session().get("rentals").get(0).get("titleId").asText()).isEqualTo(TITLE);

    JsonNode grant = JSON.readTree(browser.post("/v1/viewer/play/" + TITLE, true).body());
    PlaybackToken token = new TokenSigner(SECRET).verify(grant.get("token").asText(), System.currentTimeMillis() / 1000);
    assertThat(token.expiresAtSeconds()).isEqualTo(endsAt.getEpochSecond());
    assertThat(Instant.parse(grant.get("rentalEndsAt").asText())).isEqualTo(endsAt);

    HttpResponse<String> rating = browser.send(HttpRequest.newBuilder(browser.uri("/v1/ratings"))
        .header("Authorization", "Bearer " + grant.get("token").asText()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"titleId\":\"" + TITLE + "\",\"stars\":4}")));
    assertThat(rating.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(rating.body()).get("userId").asText()).isEqualTo("dee");
  }

  @Test
  void anEndedRentalIsRefused403AndItsTokenNoLongerPlays() throws Exception {
    Browser browser = new Browser(shortRentals);
    browser.signIn("ben", PASSWORD);
    assertThat(browser.post("/v1/viewer/rent/" + TITLE, true).statusCode()).isEqualTo(200);
    HttpResponse<String> during = browser.post("/v1/viewer/play/" + TITLE, true);
    assertThat(during.statusCode()).isEqualTo(200);
    String hls = JSON.readTree(during.body()).get("hls").asText();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> browser.post("/v1/viewer/play/" + TITLE, true).statusCode() == 403);
    assertThat(JSON.readTree(browser.post("/v1/viewer/play/" + TITLE, true).body()).get("error").asText())
        .startsWith("plan tvod: the rental of " + TITLE + " ended at ");
    HttpResponse<String> late = browser.get(hls);
    assertThat(late.statusCode()).isEqualTo(403);
    assertThat(late.body()).contains("expired");
  }

  @Test
  void servesTheAppPageWithItsScriptAndAContentSecurityPolicy() throws Exception {
    Browser browser = new Browser(edge);
    HttpResponse<String> page = browser.get("/app/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"/static/app.js\"></script>");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'"));
    assertThat(browser.get("/static/app.js").statusCode()).isEqualTo(200);
    assertThat(browser.get("/app").statusCode()).isEqualTo(308);
  }

  /** One browser: its cookies (by name, for this server's paths), and the tokens its page would hold. */
  final class Browser {
    private final EdgeServer server;
    private final Map<String, String> cookies = new java.util.LinkedHashMap<>();
    String loginToken;
    String csrf;

    Browser(EdgeServer server) {
      this.server = server;
    }

    URI uri(String path) {
      return URI.create(server.url() + path);
    }

    JsonNode session() throws IOException, InterruptedException {
      JsonNode session = JSON.readTree(get("/v1/viewer/session").body());
      loginToken = session.path("loginToken").asText(null);
      csrf = session.path("csrfToken").asText(null);
      return session;
    }

    HttpResponse<String> signIn(String userId, String password) throws IOException, InterruptedException {
      session();
      String body = JSON.writeValueAsString(password == null ? Map.of("userId", userId)
          : Map.of("userId", userId, "password", password));
      HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/viewer/login"))
          .header("Content-Type", "application/json").header("X-CSRF-Token", loginToken)
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      if (response.statusCode() == 200) {
        session();
      }
      return response;
    }

    HttpResponse<String> post(String path, boolean withCsrf) throws IOException, InterruptedException {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
      if (withCsrf && csrf != null) {
        request.header("X-CSRF-Token", csrf);
      }
      return send(request);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** Sends with this browser's cookies and keeps the ones the answer sets (an expired one is dropped). */
    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
      if (!cookies.isEmpty()) {
        request.header("Cookie", String.join("; ", cookies.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList()));
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      for (String set : response.headers().allValues("Set-Cookie")) {
        String pair = set.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq);
        Optional<String> maxAge = List.of(set.split(";")).stream().map(String::trim)
            .filter(a -> a.regionMatches(true, 0, "Max-Age=", 0, 8)).findFirst();
        if (maxAge.isPresent() && maxAge.get().endsWith("=0")) {
          cookies.remove(name);
        } else {
          cookies.put(name, pair.substring(eq + 1));
        }
      }
      return response;
    }
  }
}
