package io.caudal.edge;

import static io.caudal.edge.home.History.pick;
import static io.caudal.edge.home.History.session;
import static io.caudal.edge.home.History.title;
import static io.caudal.edge.home.History.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.edge.home.History;
import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.Recommendation;
import io.caudal.schemas.Tables;
import io.caudal.testing.IntegrationTest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home API on a real server over generated history written as Parquet tables: the JSON the
 * viewer app reads, bad ids, ratings taken up into the averages, and model versions swapped in while
 * requests keep coming. No broker: none of these routes needs Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class HomeApiTest {

  static final byte[] SECRET = "a-test-secret-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final JsonMapper JSON = new JsonMapper();
  static final Set<String> DRAMAS = Set.of("drama-1", "drama-2", "drama-3");
  static final Set<String> DOCS = Set.of("docs-1", "docs-2", "docs-3");

  @TempDir static Path root;
  EdgeServer edge;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start() throws Exception {
    List<CatalogEntry> titles = new ArrayList<>();
    for (String category : List.of("drama", "comedy", "docs")) {
      for (int i = 1; i <= 4; i++) {
        titles.add(title(category + "-" + i, category, 100 - i));
      }
    }
    write(root, Tables.CATALOG, "titles.parquet", titles);
    write(root, Tables.QOE_SESSIONS, "date=2025-03-14/hour=19/part-0.parquet",
        session("u1", "comedy-1", "eu-west", 0.42, 1), session("u1", "comedy-2", "eu-west", 1.0, 2),
        session("u2", "comedy-2", "eu-west", 1.0, 2), session("u2", "comedy-3", "eu-west", 0.7, 2));
    publish("m-drama", DRAMAS);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    edge = EdgeServer.start(EdgeOptions.defaults(root.toUri().toString(), "127.0.0.1:" + closedPort, SECRET));
  }

  @AfterAll
  void stop() throws Exception {
    edge.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(edge.url() + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static JsonNode row(JsonNode page, String id) {
    for (JsonNode row : page.get("rows")) {
      if (row.get("id").asText().equals(id)) {
        return row;
      }
    }
    throw new AssertionError("no row " + id + " in " + page);
  }

  static Set<String> ids(JsonNode row) {
    Set<String> ids = new HashSet<>();
    row.get("titles").forEach(t -> ids.add(t.get("titleId").asText()));
    return ids;
  }

  @Test
  void homeIsRowsOfTitlesInTheShapeTheViewerAppReads() throws Exception {
    JsonNode page = json("/v1/users/u1/home");
    assertThat(fields(page)).containsExactly("userId", "version", "rows");
    assertThat(page.get("userId").asText()).isEqualTo("u1");
    assertThat(page.get("version").asText()).matches("m-(drama|docs)/[0-9a-f]{12}");
    for (JsonNode row : page.get("rows")) {
      assertThat(fields(row)).containsExactly("id", "title", "reason", "titles");
      assertThat(row.get("id").asText()).isIn("continue", "top-picks", "because-you-watched", "trending", "new");
      assertThat(row.get("reason").asText()).isNotBlank();
    }
    JsonNode resume = row(page, "continue");
    assertThat(resume.get("title").asText()).isEqualTo("Continue watching");
    JsonNode card = resume.get("titles").get(0);
    assertThat(fields(card)).containsExactly("titleId", "name", "category", "durationMs", "ratingCount",
        "ratingAverage", "progress");
    assertThat(card.get("titleId").asText()).isEqualTo("comedy-1");
    assertThat(card.get("progress").asDouble()).isEqualTo(0.42);
    assertThat(card.get("durationMs").asLong()).isEqualTo(600_000);
    JsonNode pick = row(page, "top-picks").get("titles").get(0);
    assertThat(fields(pick)).containsExactly("titleId", "name", "category", "durationMs", "ratingCount",
        "ratingAverage");
    assertThat(row(page, "because-you-watched").get("title").asText()).isEqualTo("Because you watched Name of comedy-2");
    assertThat(ids(row(page, "because-you-watched"))).contains("comedy-3");
    List<String> all = new ArrayList<>();
    page.get("rows").forEach(r -> r.get("titles").forEach(t -> all.add(t.get("titleId").asText())));
    assertThat(all).doesNotHaveDuplicates().doesNotContain("comedy-2");
  }

  @Test
  void anUnknownUserIsANewOneAndGetsTheNewTitles() throws Exception {
    JsonNode page = json("/v1/users/new-viewer@example.com/home");
    assertThat(page.get("userId").asText()).isEqualTo("new-viewer@example.com");
    // Every play of the history is older than a day, so nothing trends: the newest titles only.
    assertThat(page.get("rows")).extracting(r -> r.get("id").asText()).containsExactly("new");
  }

  @Test
  void similarTitlesOr404() throws Exception {
    JsonNode similar = json("/v1/titles/comedy-2/similar");
    assertThat(fields(similar)).containsExactly("titleId", "titles");
    assertThat(similar.get("titles").get(0).get("titleId").asText()).isIn("comedy-1", "comedy-3");
    assertThat(ids(similar)).doesNotContain("comedy-2");
    HttpResponse<String> missing = get("/v1/titles/no-such-title/similar");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("no title no-such-title");
    assertThat(get("/v1/titles/comedy-2").statusCode()).isEqualTo(200);
  }

  @Test
  void badIdsAreRefusedWithTheReason() throws Exception {
    HttpResponse<String> badUser = get("/v1/users/bad%24user/home");
    assertThat(badUser.statusCode()).isEqualTo(400);
    assertThat(badUser.body()).contains("userId must be 1 to 128 letters, digits");
    HttpResponse<String> longUser = get("/v1/users/" + "u".repeat(129) + "/home");
    assertThat(longUser.statusCode()).isEqualTo(400);
    assertThat(longUser.body()).contains("userId").contains("129 characters");
    HttpResponse<String> nested = get("/v1/users/a/b/home");
    assertThat(nested.statusCode()).isEqualTo(400);
    assertThat(nested.body()).contains("userId").contains("/");
    HttpResponse<String> badTitle = get("/v1/titles/-x/similar");
    assertThat(badTitle.statusCode()).isEqualTo(400);
    assertThat(badTitle.body()).contains("titleId must be");
    HttpResponse<String> otherPage = get("/v1/users/u1/settings");
    assertThat(otherPage.statusCode()).isEqualTo(404);
    assertThat(otherPage.body()).contains("/v1/users/<userId>/home");
    assertThat(get("/v1/users/u1/home?x=1").statusCode()).isEqualTo(200);
  }

  @Test
  void averagesChangeAfterARatingIsPosted() throws Exception {
    assertThat(json("/v1/titles/docs-4").get("ratingCount").asLong()).isZero();
    for (String[] viewer : new String[][] {{"r1", "5"}, {"r2", "2"}}) {
      String token = new TokenSigner(SECRET).sign(PlaybackToken.forTitle(viewer[0], "docs-4",
          System.currentTimeMillis() / 1000 + 600));
      HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/v1/ratings"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"titleId\":\"docs-4\",\"stars\":" + viewer[1] + "}"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode one = json("/v1/titles/docs-4");
      assertThat(one.get("ratingCount").asLong()).isEqualTo(2);
      assertThat(one.get("ratingAverage").asDouble()).isEqualTo(3.5);
    });
    JsonNode listed = json("/v1/titles?category=docs");
    for (JsonNode t : listed.get("titles")) {
      if (t.get("titleId").asText().equals("docs-4")) {
        assertThat(t.get("ratingAverage").asDouble()).isEqualTo(3.5);
      }
    }
    JsonNode fresh = row(json("/v1/users/someone/home"), "new");
    assertThat(fresh.get("titles")).filteredOn(t -> t.get("titleId").asText().equals("docs-4"))
        .singleElement().satisfies(t -> assertThat(t.get("ratingCount").asLong()).isEqualTo(2));
    JsonNode similar = json("/v1/titles/docs-1/similar");
    assertThat(similar.get("titles")).filteredOn(t -> t.get("titleId").asText().equals("docs-4"))
        .singleElement().satisfies(t -> assertThat(t.get("ratingAverage").asDouble()).isEqualTo(3.5));
  }

  /**
   * recommend publishes new model versions while four clients keep asking for home pages: every page
   * answered has the picks of the one version it names.
   */
  @Test
  void newModelVersionsAreSwappedInAtomicallyUnderConcurrentRequests() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
    AtomicLong pages = new AtomicLong();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int seed = c;
      Thread client = new Thread(() -> {
        int i = seed;
        while (!done.get()) {
          try {
            JsonNode page = json("/v1/users/p" + (i++ % 50) + "/home");
            String version = page.get("version").asText();
            String model = version.substring(0, version.indexOf('/'));
            versionsSeen.add(model);
            assertThat(ids(row(page, "top-picks"))).as(version).isEqualTo(model.equals("m-drama") ? DRAMAS : DOCS);
            pages.incrementAndGet();
          } catch (Throwable e) {
            failures.add(e);
            return;
          }
        }
      }, "client-" + c);
      client.start();
      clients.add(client);
    }
    try {
      for (String model : List.of("m-docs", "m-drama", "m-docs")) {
        publish(model, model.equals("m-docs") ? DOCS : DRAMAS);
        await().atMost(Duration.ofSeconds(20))
            .until(() -> json("/v1/users/p0/home").get("version").asText().startsWith(model + "/"));
      }
    } finally {
      done.set(true);
      for (Thread client : clients) {
        client.join();
      }
    }
    assertThat(failures).isEmpty();
    assertThat(versionsSeen).containsExactlyInAnyOrder("m-drama", "m-docs");
    assertThat(pages.get()).isPositive();
  }

  private static int published;

  /** A recommendations table for p0..p49, written whole aside and swapped in by renames as recommend does. */
  static void publish(String model, Set<String> titles) throws Exception {
    List<Recommendation> rows = new ArrayList<>();
    for (int u = 0; u < 50; u++) {
      int rank = 1;
      for (String t : titles.stream().sorted().toList()) {
        rows.add(pick("p" + u, rank++, t, model));
      }
    }
    rows.add(pick("u1", 1, "drama-4", model));
    Path staging = root.resolve("staging-" + published++);
    History.write(staging, Tables.RECOMMENDATIONS, "part-0.parquet", rows);
    Path table = root.resolve(Tables.RECOMMENDATIONS.path());
    Path retired = root.resolve("tables/.retired-" + published);
    if (Files.exists(table)) {
      Files.move(table, retired);
    }
    Files.move(staging.resolve(Tables.RECOMMENDATIONS.path()), table);
    if (Files.exists(retired)) {
      try (var files = Files.list(retired)) {
        for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
          Files.delete(it.next());
        }
      }
      Files.delete(retired);
    }
  }
}
