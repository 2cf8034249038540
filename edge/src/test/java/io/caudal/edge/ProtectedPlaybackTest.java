package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.schemas.ContentKey;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.TitleKeys;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protected titles (cbcs and cenc, packaged by transcode with {@code --protect}) play in Debian's
 * headless chromium through the player page with hls.js and with dash.js, from two edge servers of one
 * root, the browser's ClearKey CDM taking its keys from the page's edge. A grant for another title and
 * a rental that ends before the keys are asked for get no key, and the page says why in words.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class ProtectedPlaybackTest {

  static final byte[] SECRET = "protected-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  static final Path SCREENSHOTS = Path.of("").toAbsolutePath().resolve("target/screenshots");
  static final String NOT_IN_PLAN = "This title is not included in your plan.";
  static final String RENTAL_EXPIRED = "Your rental has expired.";
  /** A copy of the cenc title's files published under another id: what a viewer holding copied segments has. */
  static final String COPY = "copied-title";
  /** The rental of the expiry test: the page's start and manifest fit in it, dash.js's 8 s licence timeout after it. */
  static final int RENTAL_SECONDS = 10;

  @TempDir static Path root;
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
  final TokenSigner signer = new TokenSigner(SECRET);
  EdgeServer edgeA;
  EdgeServer edgeB;
  String cbcs;
  String cenc;

  @BeforeAll
  void start() throws Exception {
    TranscodeJar.requireBrowserTestTools();
    Assumptions.assumeTrue(TranscodeJar.takes(root, "--protect"),
        "the transcode jar has no --protect option: it packages clear titles only, so there is no protected title to play");
    Path sample = root.resolve("incoming/sample.mp4");
    Files.createDirectories(sample.getParent());
    TranscodeJar.run(root, "io.caudal.transcode.sample.SampleMaker", sample.toString(), "--seconds", "20",
        "--size", "640x360", "--rate", "25");
    cbcs = packageProtected(sample, "cbcs");
    cenc = packageProtected(sample, "cenc");
    copyTitle(cenc, COPY);
    int portA = freePort();
    int portB = freePort();
    EdgeOptions base = EdgeOptions.defaults(root.toUri().toString(), KAFKA.bootstrapServers(), SECRET);
    edgeA = EdgeServer.start(base.withServer("edge-a", "protected-test").withPort(portA)
        .withPathways(Map.of("edge-b", "http://127.0.0.1:" + portB)));
    edgeB = EdgeServer.start(base.withServer("edge-b", "protected-test").withPort(portB)
        .withPathways(Map.of("edge-a", "http://127.0.0.1:" + portA)));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {edgeA, edgeB}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void playsCencWithHlsJsAndDashJsFromEitherEdge() throws Exception {
    playsWithItsOwnKeysOnly(edgeB, cenc, "hls");
    playsWithItsOwnKeysOnly(edgeA, cenc, "dash");
  }

  @Test
  void playsCbcsWithHlsJsAndDashJsFromEitherEdge() throws Exception {
    playsWithItsOwnKeysOnly(edgeA, cbcs, "hls");
    playsWithItsOwnKeysOnly(edgeB, cbcs, "dash");
  }

  @Test
  void aGrantForAnotherTitleGetsNoKeyAndThePageSaysTheTitleIsNotInThePlan() throws Exception {
    for (String format : List.of("hls", "dash")) {
      // The copy's grant is genuine; the keys its segments need are the cenc title's.
      JsonNode result = play(edgeA, COPY, format, token(COPY, 3600), "copy-" + format, 0);
      assertRefused(result, format, "other_title", NOT_IN_PLAN);
    }
  }

  @Test
  void aRentalThatEndsBeforeTheKeysAreAskedForGetsNoKeyAndThePageSaysItExpired() throws Exception {
    for (String format : List.of("hls", "dash")) {
      // Long enough for chromium to start and fetch the manifest; the licence request is held past the end.
      long expiresMillis = (System.currentTimeMillis() / 1000 + RENTAL_SECONDS) * 1000;
      String token = signer.sign(PlaybackToken.forTitle("viewer-1", cenc, expiresMillis / 1000));
      JsonNode result = play(edgeB, cenc, format, token, "expired-" + format, expiresMillis + 500);
      assertRefused(result, format, "expired", RENTAL_EXPIRED);
    }
  }

  private void playsWithItsOwnKeysOnly(EdgeServer edge, String titleId, String format) throws Exception {
    String name = format + "-" + schemeOf(titleId);
    JsonNode result = play(edge, titleId, format, token(titleId, 3600), name, 0);

    assertThat(result.get("pageErrors")).as(name + " page errors").isEmpty();
    assertThat(result.get("errors")).as(name + " player errors").isEmpty();
    assertThat(result.get("viewerMessage").isNull()).as(name + " message to the viewer").isTrue();
    assertThat(result.get("currentTime").asDouble()).as(name + " playhead").isGreaterThan(8);
    List<JsonNode> answers = list(result.get("licenceResponses"));
    assertThat(answers).as(name + " licence answers").isNotEmpty()
        .allSatisfy(a -> assertThat(a.get("status").asInt()).isEqualTo(200));
    Set<String> given = answers.stream().flatMap(a -> list(a.get("kids")).stream()).map(JsonNode::asText)
        .collect(Collectors.toSet());
    assertThat(kidsOf(titleId)).as(name + " the title's key ids").containsAll(given);
    assertThat(given).as(name + " keys given").isNotEmpty();
  }

  private void assertRefused(JsonNode result, String format, String reason, String message) {
    List<JsonNode> answers = list(result.get("licenceResponses"));
    assertThat(answers).as(format + " licence answers").isNotEmpty().allSatisfy(a -> {
      assertThat(a.get("status").asInt()).isEqualTo(403);
      assertThat(a.get("body").get("reason").asText()).isEqualTo(reason);
      assertThat(a.get("kids")).isEmpty();
    });
    assertThat(result.get("viewerMessage").asText()).as(format + " message to the viewer").isEqualTo(message);
    assertThat(result.get("messageShown").asText()).as(format + " message on the page").isEqualTo(message);
    assertThat(result.get("currentTime").asDouble()).as(format + " playhead").isLessThan(0.5);
  }

  /** Runs the page in chromium until it plays past 10 s or tells the viewer why not. */
  private JsonNode play(EdgeServer edge, String titleId, String format, String token, String name, long holdLicencesUntil)
      throws Exception {
    String page = edge.url() + "/play/" + titleId + "?format=" + format + "&token=" + token + "&buffer=6";
    Process node = new ProcessBuilder("node", TranscodeJar.WEB.resolve("test/play-protected.mjs").toString(), page,
        SCREENSHOTS.toString(), name, "10", "60", Long.toString(holdLicencesUntil))
        .directory(TranscodeJar.WEB.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("player script ends").isTrue();
    String last = out.lines().reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no output from the player"));
    System.out.println(name + " player: " + last);
    return JsonMapper.builder().build().readTree(last);
  }

  private String token(String titleId, long ttlSeconds) {
    return signer.sign(PlaybackToken.forTitle("viewer-1", titleId, System.currentTimeMillis() / 1000 + ttlSeconds));
  }

  /** The title's key ids as a licence spells them (unpadded base64url), from its stored keys. */
  private static Set<String> kidsOf(String titleId) throws IOException {
    TitleKeys keys = JsonAvroCodec.fromJson(Files.readString(root.resolve("keys/" + titleId + ".json")), TitleKeys.class);
    return keys.getKeys().stream().map(ContentKey::getKid)
        .map(kid -> Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(kid)))
        .collect(Collectors.toSet());
  }

  private static String schemeOf(String titleId) throws IOException {
    return Files.readString(root.resolve("keys/" + titleId + ".json")).contains("\"CENC\"") ? "cenc" : "cbcs";
  }

  /** Packages the sample with {@code --protect scheme}; returns the new title's id. */
  private static String packageProtected(Path sample, String scheme) throws Exception {
    Set<String> before = titles();
    TranscodeJar.run(root, "io.caudal.transcode.TranscodeJob", "--input", sample.toString(), "--name",
        "Protected " + scheme, "--category", "test", "--root", root.toString(), "--max-rungs", "2", "--protect", scheme);
    Set<String> added = titles();
    added.removeAll(before);
    assertThat(added).as("titles transcode published with --protect " + scheme).hasSize(1);
    String titleId = added.iterator().next();
    assertThat(root.resolve("keys/" + titleId + ".json")).as("its keys").isRegularFile();
    return titleId;
  }

  private static Set<String> titles() throws IOException {
    if (!Files.isDirectory(root.resolve("vod"))) {
      return new java.util.HashSet<>();
    }
    try (Stream<Path> titles = Files.list(root.resolve("vod"))) {
      return titles.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
          .collect(Collectors.toCollection(java.util.HashSet::new));
    }
  }

  private static void copyTitle(String from, String to) throws IOException {
    Path source = root.resolve("vod").resolve(from);
    Path target = root.resolve("vod").resolve(to);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(source.relativize(file).toString()));
      }
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    if (array != null) {
      array.forEach(items::add);
    }
    return items;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
