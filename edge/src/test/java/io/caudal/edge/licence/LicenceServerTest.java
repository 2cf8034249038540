package io.caudal.edge.licence;

import static io.caudal.edge.http.EdgeRoutes.Methods.POST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.edge.http.EdgeMetrics;
import io.caudal.edge.http.EdgeRoutes;
import io.caudal.edge.http.SlowBody;
import io.caudal.edge.http.Uploads;
import io.caudal.schemas.ContentKey;
import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.TitleKeys;
import io.caudal.schemas.TrackClass;
import io.caudal.schemas.protect.MasterKey;
import io.caudal.schemas.protect.TitleKeyStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The licence server on a real Jetty server with edge's routes, over keys written with schemas'
 * {@link TitleKeyStore} and {@link MasterKey} into a temporary root, as transcode writes them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LicenceServerTest {

  static final JsonMapper JSON = new JsonMapper();
  static final HexFormat HEX = HexFormat.of();
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir static Path root;
  final TokenSigner signer = new TokenSigner("a-test-secret-of-32-characters!!".getBytes(StandardCharsets.UTF_8));
  final EdgeMetrics metrics = new EdgeMetrics();
  final ExecutorService blocking = Executors.newSingleThreadExecutor();
  final Uploads uploads = new Uploads(new Uploads.Limits(100, 50, Duration.ofSeconds(5), 0, 1 << 20));
  final HttpClient http = HttpClient.newHttpClient();
  /** The clock of the key index's refresh interval, moved by hand. */
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  /** Clear content keys by title, then by key id (hex). */
  final Map<String, Map<String, byte[]>> clear = new LinkedHashMap<>();
  TitleKeyStore store;
  MasterKey master;
  ContentKeyIndex keys;
  Server server;
  String url;

  @BeforeAll
  void start() throws Exception {
    master = MasterKey.resolve(root.toString(), null, null);
    store = new TitleKeyStore(root.toUri().toString(), new Configuration());
    publish("t-1", TrackClass.AUDIO, TrackClass.SD, TrackClass.HD);
    publish("t-2", TrackClass.AUDIO, TrackClass.HD);
    keys = new ContentKeyIndex(store, master, nanos::get);
    LicenceEndpoint licences = LicenceEndpoint.serving(signer, keys, metrics.registry());
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new EdgeRoutes(metrics, blocking, uploads)
        .signedUpload(LicenceEndpoint.PATH, "licence", POST, licences::grant, licences::answer)
        .blocking("/", EdgeRoutes.OTHER, EdgeRoutes.Methods.ANY, EdgeRoutes::notFound));
    server.start();
    url = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    blocking.shutdownNow();
    uploads.close();
  }

  @Test
  void givesTheKeysAskedForOfTheGrantedTitleAsAJsonWebKeySet() throws Exception {
    List<String> asked = kids("t-1").subList(1, 3);
    HttpResponse<String> answer = licence(token("t-1", 3600), request(asked), "application/json");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
    JsonNode licence = JSON.readTree(answer.body());
    assertThat(licence.get("type").asText()).isEqualTo("temporary");
    Map<String, byte[]> given = new LinkedHashMap<>();
    for (JsonNode jwk : licence.get("keys")) {
      assertThat(jwk.get("kty").asText()).isEqualTo("oct");
      assertThat(jwk.get("kid").asText()).doesNotContain("=");
      given.put(HEX.formatHex(Base64.getUrlDecoder().decode(jwk.get("kid").asText())),
          Base64.getUrlDecoder().decode(jwk.get("k").asText()));
    }
    assertThat(given.keySet()).containsExactlyElementsOf(asked);
    asked.forEach(kid -> assertThat(given.get(kid)).isEqualTo(clear.get("t-1").get(kid)));
  }

  @Test
  void takesTheRequestAsHlsJsSendsItWithoutAContentType() throws Exception {
    HttpResponse<String> answer = licence(token("t-2", 3600), request(kids("t-2")), null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).get("keys")).hasSize(2);
  }

  @Test
  void refusesWholeARequestWithAKeyOfAnotherTitle() throws Exception {
    List<String> asked = List.of(kids("t-1").get(0), kids("t-2").get(0));
    HttpResponse<String> answer = licence(token("t-1", 3600), request(asked), "application/json");

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(answer.body()).get("reason").asText()).isEqualTo("other_title");
    assertThat(answer.body()).contains("not a key of title t-1").doesNotContain("\"keys\"").doesNotContain("t-2");
  }

  @Test
  void refusesAnUnknownKeyId() throws Exception {
    String unknown = HEX.formatHex(random(16));
    HttpResponse<String> answer = licence(token("t-1", 3600), request(List.of(unknown)), "application/json");

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(answer.body()).get("reason").asText()).isEqualTo("unknown_kid");
    assertThat(answer.body()).contains(unknown);
  }

  @Test
  void refusesAnExpiredGrantBeforeReadingTheBody() throws Exception {
    String expired = signer.sign(PlaybackToken.forTitle("viewer-1", "t-1", System.currentTimeMillis() / 1000 - 5));
    HttpResponse<String> answer = licence(expired, request(kids("t-1")), "application/json");
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(answer.body()).get("reason").asText()).isEqualTo("expired");
    assertThat(answer.body()).contains("expired").doesNotContain("\"keys\"");

    // A body announced and never sent: the refusal does not wait for it.
    try (SlowBody hanging = SlowBody.open(url, "/t/" + expired + LicenceEndpoint.PATH, 200)) {
      assertThat(hanging.answer()).startsWith("HTTP/1.1 403").contains("\"reason\":\"expired\"");
    }
  }

  @Test
  void refusesATamperedToken() throws Exception {
    String genuine = token("t-2", 3600);
    // The payload re-signed by nobody: a grant for t-1 claimed with t-2's signature.
    String forged = token("t-1", 3600).substring(0, genuine.indexOf('.')) + genuine.substring(genuine.indexOf('.'));
    String flipped = genuine.substring(0, genuine.length() - 2) + (genuine.endsWith("AA") ? "BB" : "AA");
    for (String token : List.of(forged, flipped, "not-a-token")) {
      HttpResponse<String> answer = licence(token, request(kids("t-1")), "application/json");
      assertThat(answer.statusCode()).as(token).isEqualTo(403);
      assertThat(JSON.readTree(answer.body()).get("reason").asText()).as(token).isEqualTo("invalid_token");
    }
  }

  @Test
  void answersAMalformedRequest400NamingWhatIsWrong() throws Exception {
    String kid = base64url(HEX.parseHex(kids("t-1").get(0)));
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("", "empty licence request");
    bodies.put("kids", "malformed JSON");
    bodies.put("{\"kids\":[\"" + kid + "\"]}{}", "content after the JSON value");
    bodies.put("{\"kids\":[\"" + kid + "\"],\"kids\":[]}", "malformed JSON");
    bodies.put("[\"" + kid + "\"]", "a JSON object");
    bodies.put("{\"kids\":[]}", "non-empty array");
    bodies.put("{\"kids\":\"" + kid + "\"}", "non-empty array");
    bodies.put("{\"kids\":[\"" + kid + "==\"]}", "kids[0]");
    bodies.put("{\"kids\":[\"" + kid.substring(2) + "\"]}", "kids[0]");
    bodies.put("{\"kids\":[7]}", "kids[0]");
    bodies.put("{\"kids\":[\"" + kid + "\"],\"type\":\"persistent-license\"}", "temporary");
    bodies.put("{\"kids\":[\"" + kid + "\"],\"user\":\"me\"}", "unknown field");
    bodies.put("{\"kids\":[" + String.join(",", java.util.Collections.nCopies(33, "\"" + kid + "\"")) + "]}",
        "at most 32");
    for (Map.Entry<String, String> body : bodies.entrySet()) {
      HttpResponse<String> answer = licence(token("t-1", 3600), body.getKey(), "application/json");
      assertThat(answer.statusCode()).as(body.getKey()).isEqualTo(400);
      assertThat(answer.body()).as(body.getKey()).contains(body.getValue()).contains("\"reason\":\"malformed\"");
    }
    HttpResponse<String> text = licence(token("t-1", 3600), request(kids("t-1")), "text/plain");
    assertThat(text.statusCode()).isEqualTo(415);
  }

  @Test
  void keepsKeysInMemoryAndReadsTheStoreAtMostOncePerIntervalForUnknownKeyIds() throws Exception {
    String token = token("t-1", 3600);
    assertThat(licence(token, request(kids("t-1")), null).statusCode()).isEqualTo(200);
    long titleReads = keys.titleReads();
    long scans = keys.folderScans();
    for (int i = 0; i < 20; i++) {
      assertThat(licence(token, request(kids("t-1")), null).statusCode()).isEqualTo(200);
    }
    assertThat(keys.titleReads()).isEqualTo(titleReads);
    assertThat(keys.folderScans()).isEqualTo(scans);

    for (int i = 0; i < 20; i++) {
      String unknown = HEX.formatHex(random(16));
      assertThat(licence(token, request(List.of(unknown)), null).statusCode()).isEqualTo(403);
    }
    // Twenty unknown key ids within one interval: the title's file and the folder read once at most.
    assertThat(keys.titleReads()).isLessThanOrEqualTo(titleReads + 1);
    assertThat(keys.folderScans()).isLessThanOrEqualTo(scans + 1);

    long scansBefore = keys.folderScans();
    nanos.addAndGet(ContentKeyIndex.REFRESH_INTERVAL.toNanos());
    assertThat(licence(token, request(List.of(HEX.formatHex(random(16)))), null).statusCode()).isEqualTo(403);
    assertThat(keys.folderScans()).isEqualTo(scansBefore + 1);
  }

  @Test
  void findsATitlePublishedAfterTheLastLookWithoutWaitingForTheInterval() throws Exception {
    assertThat(licence(token("t-1", 3600), request(List.of(HEX.formatHex(random(16)))), null).statusCode())
        .isEqualTo(403);
    publish("t-3", TrackClass.SD);
    HttpResponse<String> answer = licence(token("t-3", 3600), request(kids("t-3")), null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  @Test
  void countsLicencesRefusalsByReasonAndLatency() throws Exception {
    double servedBefore = sample("edge_licences_served_total");
    double otherTitleBefore = sample("edge_licence_refusals_total{reason=\"other_title\"}");
    double malformedBefore = sample("edge_licence_refusals_total{reason=\"malformed\"}");
    double timedBefore = sample("edge_licence_duration_seconds_count");

    licence(token("t-2", 3600), request(kids("t-2")), null);
    licence(token("t-2", 3600), request(kids("t-1")), null);
    licence(token("t-2", 3600), "{}", null);

    assertThat(sample("edge_licences_served_total")).isEqualTo(servedBefore + 1);
    assertThat(sample("edge_licence_refusals_total{reason=\"other_title\"}")).isEqualTo(otherTitleBefore + 1);
    assertThat(sample("edge_licence_refusals_total{reason=\"malformed\"}")).isEqualTo(malformedBefore + 1);
    assertThat(sample("edge_licence_duration_seconds_count")).isEqualTo(timedBefore + 3);
    String scrape = new String(metrics.scrape(), StandardCharsets.UTF_8);
    assertThat(scrape).contains("edge_licence_refusals_total{reason=\"expired\"}")
        .contains("edge_licence_key_reads_total{scope=\"all\"}")
        .contains("edge_requests_total{route=\"licence\",status=\"200\"}");
    // No key, clear or wrapped, is ever part of what edge tells the world besides a licence.
    clear.values().forEach(byKid -> byKid.values().forEach(key -> assertThat(scrape)
        .doesNotContain(HEX.formatHex(key)).doesNotContain(base64url(key))));
  }

  private void publish(String titleId, TrackClass... classes) throws Exception {
    List<ContentKey> wrapped = new ArrayList<>();
    Map<String, byte[]> byKid = new LinkedHashMap<>();
    for (TrackClass trackClass : classes) {
      String kid = HEX.formatHex(random(16));
      byte[] key = random(16);
      byKid.put(kid, key);
      wrapped.add(new ContentKey(trackClass, kid, master.wrap(key)));
    }
    store.write(TitleKeys.newBuilder().setTitleId(titleId).setScheme(ProtectionScheme.CBCS)
        .setMasterKeyId(master.id()).setCreatedAt(System.currentTimeMillis()).setKeys(wrapped).build());
    clear.put(titleId, byKid);
  }

  private List<String> kids(String titleId) {
    return List.copyOf(clear.get(titleId).keySet());
  }

  private String token(String titleId, long ttlSeconds) {
    return signer.sign(PlaybackToken.forTitle("viewer-1", titleId, System.currentTimeMillis() / 1000 + ttlSeconds));
  }

  /** The request a browser's ClearKey CDM writes. */
  private static String request(List<String> hexKids) {
    return "{\"kids\":[" + hexKids.stream().map(kid -> "\"" + base64url(HEX.parseHex(kid)) + "\"")
        .collect(Collectors.joining(",")) + "],\"type\":\"temporary\"}";
  }

  private HttpResponse<String> licence(String token, String body, String contentType) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/t/" + token + LicenceEndpoint.PATH))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private double sample(String series) {
    String scrape = new String(metrics.scrape(), StandardCharsets.UTF_8);
    return scrape.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(
        line -> Double.parseDouble(line.substring(series.length() + 1).trim())).findFirst().orElse(0);
  }

  private static String base64url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
