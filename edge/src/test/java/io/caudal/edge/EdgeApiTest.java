package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.ReplicationRequest;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.schemas.Topics;
import io.caudal.schemas.UserRating;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.SampleTitles;
import io.caudal.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of one real edge server on a free port, with an in-process Kafka KAFKA. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class EdgeApiTest {

  static final String TITLE = "t-0001";
  static final String OTHER_TITLE = "t-0002";
  static final String REPLICATED_TITLE = "t-0003";
  static final byte[] SECRET = "a-test-secret-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final String OTHER_PATHWAY = "http://127.0.0.2:9";

  @TempDir static Path root;
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
  EdgeServer edge;
  HttpClient http;
  TokenSigner signer;

  @BeforeAll
  void start() throws Exception {
    SampleTitles.writeTitle(root, TITLE);
    SampleTitles.writeTitle(root, OTHER_TITLE);
    SampleTitles.writeTitle(root, REPLICATED_TITLE);
    SampleTitles.writeCatalog(root, SampleTitles.entry(TITLE, "The Long River", "documentary"));
    SampleTitles.writeCatalog(root, SampleTitles.entry(OTHER_TITLE, "River Song", "drama"));
    SampleTitles.writeCatalog(root, SampleTitles.entry(REPLICATED_TITLE, "Mountains", "documentary"));
    edge = EdgeServer.start(EdgeOptions.defaults(root.toUri().toString(), KAFKA.bootstrapServers(), SECRET)
        .withServer("edge-a", "eu-west")
        .withPathways(Map.of("edge-b", OTHER_PATHWAY))
        .withHealthInterval(Duration.ofSeconds(1)));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    signer = new TokenSigner(SECRET);
  }

  @AfterAll
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  String token(String user, String title, long ttlSeconds) {
    return signer.sign(PlaybackToken.forTitle(user, title, System.currentTimeMillis() / 1000 + ttlSeconds));
  }

  String signed(String title, String file) {
    return "/t/" + token("u1", title, 600) + "/vod/" + title + "/" + file;
  }

  HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge.url() + path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> getText(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge.url() + path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A JSON POST with the playback token of the events of {@link #heartbeatJson}, unless {@code headers} carry one. */
  HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge.url() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    boolean credential = false;
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
      credential |= headers[i].equals("Authorization");
    }
    if (!credential) {
      request.header("Authorization", bearer("u1", "t-0001"));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  String bearer(String user, String title) {
    return "Bearer " + token(user, title, 600);
  }

  static String heartbeatJson(String eventId, String sessionId) {
    return """
        {"eventId":"%s","sessionId":"%s","userId":"u1","titleId":"t-0001","eventTime":%d,
         "type":"HEARTBEAT","serverId":"edge-a","region":"eu-west","isp":"isp-1","device":"web",
         "playheadMs":4000,"bitrateKbps":800}""".formatted(eventId, sessionId, System.currentTimeMillis());
  }

  List<PlayerHeartbeat> heartbeatsOf(String sessionId) {
    return KAFKA.readUntil(Topics.HEARTBEAT,
        seen -> seen.stream().anyMatch(h -> h.getSessionId().equals(sessionId)), Duration.ofSeconds(20))
        .stream().filter(h -> h.getSessionId().equals(sessionId)).toList();
  }

  // ---- origin and entitlement -------------------------------------------------------------------

  @Nested
  class Origin {

    @Test
    void servesSegmentWithTypeValidatorsCacheHeadersAndCors() throws Exception {
      HttpResponse<byte[]> response = get(signed(TITLE, "video/360p/seg-00001.m4s"));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(SampleTitles.segmentBytes());
      assertThat(response.headers().firstValue("Content-Type")).hasValue("video/iso.segment");
      assertThat(response.headers().firstValue("ETag")).hasValueSatisfying(etag -> assertThat(etag).startsWith("\""));
      assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("immutable"));
      assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
      // Another pathway's page plays from this server: its origin may read the answer; another site's may not.
      assertThat(get(signed(TITLE, "video/360p/seg-00001.m4s"), "Origin", OTHER_PATHWAY).headers()
          .firstValue("Access-Control-Allow-Origin")).hasValue(OTHER_PATHWAY);
      assertThat(get(signed(TITLE, "video/360p/seg-00001.m4s"), "Origin", "http://attacker.example").headers()
          .firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void givesEachFileItsContentType() throws Exception {
      assertThat(get(signed(TITLE, "video/360p/playlist.m3u8")).headers().firstValue("Content-Type"))
          .hasValue("application/vnd.apple.mpegurl");
      assertThat(get(signed(TITLE, "manifest.mpd")).headers().firstValue("Content-Type")).hasValue("application/dash+xml");
      assertThat(get(signed(TITLE, "video/360p/init.mp4")).headers().firstValue("Content-Type")).hasValue("video/mp4");
    }

    @Test
    void servesSubtitlesIFramePlaylistsAndThumbnailsWithTheirTypesAndCaching() throws Exception {
      Path title = root.resolve("vod").resolve(TITLE);
      Files.createDirectories(title.resolve("text/fr"));
      Files.createDirectories(title.resolve("thumbs"));
      Files.writeString(title.resolve("text/fr/playlist.m3u8"),
          "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nseg-00001.vtt\n#EXT-X-ENDLIST\n");
      Files.writeString(title.resolve("text/fr/seg-00001.vtt"),
          "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n\n00:00:01.000 --> 00:00:02.000\nDéjà vu\n");
      Files.writeString(title.resolve("text/fr/full.vtt"), "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDéjà vu\n");
      Files.writeString(title.resolve("video/360p/iframes.m3u8"), "#EXTM3U\n#EXT-X-I-FRAMES-ONLY\n#EXT-X-ENDLIST\n");
      Files.writeString(title.resolve("thumbs/playlist.m3u8"), "#EXTM3U\n#EXT-X-IMAGES-ONLY\n#EXT-X-ENDLIST\n");
      Files.write(title.resolve("thumbs/tile-00001.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9});

      for (String playlist : List.of("text/fr/playlist.m3u8", "video/360p/iframes.m3u8", "thumbs/playlist.m3u8")) {
        HttpResponse<byte[]> response = get(signed(TITLE, playlist));
        assertThat(response.statusCode()).as(playlist).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as(playlist).hasValue("application/vnd.apple.mpegurl");
        assertThat(response.headers().firstValue("Cache-Control")).as(playlist).hasValue("no-cache");
      }
      for (String vtt : List.of("text/fr/seg-00001.vtt", "text/fr/full.vtt")) {
        HttpResponse<byte[]> response = get(signed(TITLE, vtt));
        assertThat(response.headers().firstValue("Content-Type")).as(vtt).hasValue("text/vtt; charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).as(vtt)
            .hasValueSatisfying(v -> assertThat(v).contains("immutable"));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(vtt).contains("Déjà vu");
      }
      HttpResponse<byte[]> sprite = get(signed(TITLE, "thumbs/tile-00001.jpg"));
      assertThat(sprite.headers().firstValue("Content-Type")).hasValue("image/jpeg");
      assertThat(sprite.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("immutable"));
      assertThat(sprite.body()).hasSize(4);
    }

    @Test
    void answersRangeRequestsWithPartialContent() throws Exception {
      HttpResponse<byte[]> response = get(signed(TITLE, "video/360p/seg-00001.m4s"), "Range", "bytes=1000-1999");
      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/100000");
      assertThat(response.body()).isEqualTo(Arrays.copyOfRange(SampleTitles.segmentBytes(), 1000, 2000));

      HttpResponse<byte[]> suffix = get(signed(TITLE, "video/360p/seg-00001.m4s"), "Range", "bytes=-10");
      assertThat(suffix.statusCode()).isEqualTo(206);
      assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(SampleTitles.segmentBytes(), 99_990, 100_000));
    }

    @Test
    void refusesRangePastTheEnd() throws Exception {
      HttpResponse<String> response = getText(signed(TITLE, "video/360p/seg-00001.m4s"), "Range", "bytes=200000-");
      assertThat(response.statusCode()).isEqualTo(416);
      assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */100000");
    }

    @Test
    void answersNotModifiedForAMatchingEtag() throws Exception {
      String etag = get(signed(TITLE, "video/360p/init.mp4")).headers().firstValue("ETag").orElseThrow();
      assertThat(get(signed(TITLE, "video/360p/init.mp4"), "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void answersHeadWithTheHeadersOnly() throws Exception {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(edge.url()
              + signed(TITLE, "video/360p/seg-00001.m4s"))).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Length")).hasValue("100000");
      assertThat(response.body()).isEmpty();
    }

    @Test
    void answers404ForAFileTheTitleDoesNotHave() throws Exception {
      HttpResponse<String> response = getText(signed(TITLE, "video/360p/seg-09999.m4s"));
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).contains("seg-09999.m4s");
    }

    @Test
    void servesRepeatedReadsFromTheSegmentCache() throws Exception {
      get(signed(OTHER_TITLE, "video/360p/seg-00001.m4s"));
      double before = metric("edge_cache_hits_total");
      assertThat(get(signed(OTHER_TITLE, "video/360p/seg-00001.m4s")).statusCode()).isEqualTo(200);
      assertThat(metric("edge_cache_hits_total")).isGreaterThan(before);
    }

    @Test
    void answersCorsPreflightForPlayersOnOtherOrigins() throws Exception {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.url() + signed(TITLE, "master.m3u8")))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
          .header("Origin", edge.url())
          .header("Access-Control-Request-Method", "GET").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(204);
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(edge.url());
      assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
          .hasValueSatisfying(v -> assertThat(v).contains("Range").contains("CMCD-Request"));
    }

    @Test
    void rewritesTheMasterPlaylistWithAVariantPerPathway() throws Exception {
      String token = token("u1", TITLE, 600);
      HttpResponse<String> response = getText("/t/" + token + "/vod/" + TITLE + "/master.m3u8");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("#EXT-X-CONTENT-STEERING:SERVER-URI=\"" + edge.url() + "/steering/hls/eu-west\",PATHWAY-ID=\"edge-a\"")
          .contains("PATHWAY-ID=\"edge-a\"\n" + edge.url() + "/t/" + token + "/vod/" + TITLE + "/video/360p/playlist.m3u8")
          .contains("PATHWAY-ID=\"edge-b\"\n" + OTHER_PATHWAY + "/t/" + token + "/vod/" + TITLE + "/video/360p/playlist.m3u8")
          .contains("GROUP-ID=\"aac-edge-b\"");
    }

    @Test
    void rewritesTheMpdWithABaseUrlPerPathway() throws Exception {
      String token = token("u1", TITLE, 600);
      HttpResponse<String> response = getText("/t/" + token + "/vod/" + TITLE + "/manifest.mpd");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("<ContentSteering defaultServiceLocation=\"edge-a\" queryBeforeStart=\"true\">"
              + edge.url() + "/steering/dash/eu-west</ContentSteering>")
          .contains("<BaseURL serviceLocation=\"edge-b\">" + OTHER_PATHWAY + "/t/" + token + "/vod/" + TITLE + "/</BaseURL>");
    }
  }

  @Nested
  class Entitlement {

    @Test
    void refusesUnsignedRequests() throws Exception {
      HttpResponse<String> response = getText("/vod/" + TITLE + "/master.m3u8");
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).contains("unsigned");
    }

    @Test
    void refusesAnExpiredRental() throws Exception {
      String expired = signer.sign(PlaybackToken.forTitle("u1", TITLE, System.currentTimeMillis() / 1000 - 1));
      HttpResponse<String> response = getText("/t/" + expired + "/vod/" + TITLE + "/master.m3u8");
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).contains("expired");
    }

    @Test
    void refusesATamperedToken() throws Exception {
      String token = token("u1", TITLE, 600);
      String otherUser = token("u2", TITLE, 600);
      String forged = otherUser.substring(0, otherUser.indexOf('.')) + token.substring(token.indexOf('.'));
      HttpResponse<String> response = getText("/t/" + forged + "/vod/" + TITLE + "/master.m3u8");
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).contains("signature");
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() throws Exception {
      String foreign = new TokenSigner("another-secret-of-enough-length".getBytes(StandardCharsets.UTF_8))
          .sign(PlaybackToken.forTitle("u1", TITLE, System.currentTimeMillis() / 1000 + 600));
      assertThat(getText("/t/" + foreign + "/vod/" + TITLE + "/master.m3u8").statusCode()).isEqualTo(403);
    }

    @Test
    void refusesATokenForAnotherTitle() throws Exception {
      HttpResponse<String> response = getText("/t/" + token("u1", OTHER_TITLE, 600) + "/vod/" + TITLE + "/master.m3u8");
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).contains("not " + TITLE);
    }

    @Test
    void refusesPathTraversalPlainAndEncoded() throws Exception {
      String token = token("u1", TITLE, 600);
      HttpResponse<String> plain = getText("/t/" + token + "/vod/" + TITLE + "/../" + OTHER_TITLE + "/master.m3u8");
      assertThat(plain.statusCode()).isEqualTo(400);
      assertThat(plain.body()).contains("canonical");
      for (String path : List.of(
          "/t/" + token + "/vod/" + TITLE + "/%2e%2e/" + OTHER_TITLE + "/master.m3u8",
          "/t/" + token + "/vod/" + TITLE + "/..%2f" + OTHER_TITLE + "/master.m3u8",
          "/t/" + token + "/vod/" + TITLE + "/%252e%252e/x")) {
        HttpResponse<String> response = getText(path);
        assertThat(response.statusCode()).as(path).isEqualTo(403);
        assertThat(response.body()).as(path).containsAnyOf("traversal", "encoded");
      }
    }
  }

  // ---- collector --------------------------------------------------------------------------------

  @Nested
  class Collector {

    @Test
    void acceptsABatchOnlyOnceKafkaHasIt() throws Exception {
      String session = "s-" + UUID.randomUUID();
      String body = "[" + heartbeatJson("e1-" + session, session) + "," + heartbeatJson("e2-" + session, session) + "]";
      HttpResponse<String> response = post("/v1/events", body);
      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(response.body()).contains("\"accepted\":2");
      assertThat(heartbeatsOf(session)).extracting(PlayerHeartbeat::getEventId)
          .containsExactlyInAnyOrder("e1-" + session, "e2-" + session);
    }

    @Test
    void acceptsOneEventAndTheEventsEnvelope() throws Exception {
      assertThat(post("/v1/events", heartbeatJson("e3", "s-one")).statusCode()).isEqualTo(202);
      assertThat(post("/v1/events", "{\"events\":[" + heartbeatJson("e4", "s-one") + "]}").statusCode()).isEqualTo(202);
    }

    @Test
    void stampsServerRegionUserAndTitleItselfAndRefusesWhatTheGrantDoesNotCover() throws Exception {
      String session = "s-forged-" + UUID.randomUUID();
      String forged = heartbeatJson("e-f1-" + session, session).replace("\"serverId\":\"edge-a\"", "\"serverId\":\"edge-z\"")
          .replace("\"region\":\"eu-west\"", "\"region\":\"us-east\"");
      assertThat(post("/v1/events", forged).statusCode()).isEqualTo(202);
      PlayerHeartbeat kept = heartbeatsOf(session).get(0);
      assertThat(kept.getServerId()).isEqualTo("edge-a");
      assertThat(kept.getRegion()).isEqualTo("eu-west");
      assertThat(kept.getUserId()).isEqualTo("u1");

      HttpResponse<String> otherUser = post("/v1/events", "[" + heartbeatJson("e-f2", session).replace("\"u1\"", "\"u2\"") + "]");
      assertThat(otherUser.statusCode()).isEqualTo(400);
      assertThat(otherUser.body()).contains("events[0].userId: not_granted");
      HttpResponse<String> otherTitle = post("/v1/events", heartbeatJson("e-f3", session), "Authorization",
          bearer("u1", OTHER_TITLE));
      assertThat(otherTitle.statusCode()).isEqualTo(400);
      assertThat(otherTitle.body()).contains("event.titleId: not_granted");
      HttpResponse<String> noCredential = post("/v1/events", heartbeatJson("e-f4", session), "Authorization", "Basic x");
      assertThat(noCredential.statusCode()).isEqualTo(401);
      assertThat(noCredential.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      HttpResponse<String> expired = post("/v1/events", heartbeatJson("e-f5", session), "Authorization",
          "Bearer " + token("u1", "t-0001", -1));
      assertThat(expired.statusCode()).isEqualTo(401);
      assertThat(expired.body()).contains("expired");
      HttpResponse<String> crossSite = post("/v1/events", heartbeatJson("e-f6", session), "Origin", "http://attacker.example");
      assertThat(crossSite.statusCode()).isEqualTo(403);
      assertThat(crossSite.body()).contains("web origin http://attacker.example");
      HttpResponse<String> plainText = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/v1/events"))
          .POST(HttpRequest.BodyPublishers.ofString(heartbeatJson("e-f7", session)))
          .header("Content-Type", "text/plain").header("Authorization", bearer("u1", "t-0001")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(plainText.statusCode()).isEqualTo(415);
      assertThat(heartbeatsOf(session)).extracting(PlayerHeartbeat::getEventId).containsExactly("e-f1-" + session);
    }

    @Test
    void refusesABadEventNamingTheFieldAndIndex() throws Exception {
      String bad = heartbeatJson("e5", "s-bad").replace("\"HEARTBEAT\"", "\"DANCING\"");
      HttpResponse<String> response = post("/v1/events", "[" + heartbeatJson("e6", "s-bad") + "," + bad + "]");
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("events[1]").contains("type");
    }

    @Test
    void refusesMalformedJsonMissingFieldsAndEmptyBatches() throws Exception {
      assertThat(post("/v1/events", "{not json").body()).contains("malformed JSON");
      assertThat(post("/v1/events", "{\"eventId\":\"x\"}").body()).contains("missing required field");
      assertThat(post("/v1/events", "[]").statusCode()).isEqualTo(400);
    }

    @Test
    void refusesBatchesOverAThousandEvents() throws Exception {
      String one = heartbeatJson("e", "s-big");
      String body = "[" + String.join(",", java.util.Collections.nCopies(1001, one)) + "]";
      HttpResponse<String> response = post("/v1/events", body);
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("at most 1000");
    }

    @Test
    void refusesBodiesOverTheSizeBound() throws Exception {
      // The declared length alone refuses it, before a byte of the body is read: the request says it
      // and stops, and reads the answer. (A client that goes on sending after the answer and the close
      // may find its connection reset before it reads the 400.)
      String answer;
      URI server = URI.create(edge.url());
      try (Socket socket = new Socket(server.getHost(), server.getPort())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("POST /v1/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + "Content-Type: application/json\r\nAuthorization: " + bearer("u1", "t-0001") + "\r\n"
            + "Content-Length: " + (EdgeOptions.DEFAULT_MAX_BODY_BYTES + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(answer).startsWith("HTTP/1.1 400").contains("body too large");
    }

    @Test
    void refusesOtherMethods() throws Exception {
      HttpResponse<String> response = getText("/v1/events");
      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void mapsCmcdFromTheQueryArgument() throws Exception {
      String session = "cmcd-q-" + UUID.randomUUID();
      String cmcd = java.net.URLEncoder.encode("br=3200,bl=21300,cid=\"t-0001\",mtp=25400,ot=v,sid=\"" + session + "\",tb=6000",
          StandardCharsets.UTF_8);
      HttpResponse<String> response = post("/v1/cmcd?CMCD=" + cmcd, "");
      assertThat(response.statusCode()).isEqualTo(202);
      PlayerHeartbeat heartbeat = heartbeatsOf(session).get(0);
      assertThat(heartbeat.getTitleId()).isEqualTo("t-0001");
      assertThat(heartbeat.getBitrateKbps()).isEqualTo(3200);
      assertThat(heartbeat.getBufferMs()).isEqualTo(21300L);
      assertThat(heartbeat.getThroughputKbps()).isEqualTo(25400);
      assertThat(heartbeat.getTopBitrateKbps()).isEqualTo(6000);
      assertThat(heartbeat.getServerId()).isEqualTo("edge-a");
      assertThat(heartbeat.getRegion()).isEqualTo("eu-west");
      assertThat(heartbeat.getType()).isEqualTo(HeartbeatType.HEARTBEAT);
    }

    @Test
    void mapsCmcdFromTheFourHeaders() throws Exception {
      String session = "cmcd-h-" + UUID.randomUUID();
      HttpResponse<String> response = post("/v1/cmcd", "",
          "CMCD-Request", "bl=500,mtp=1200", "CMCD-Object", "br=800,ot=v",
          "CMCD-Status", "bs", "CMCD-Session", "cid=\"t-0002\",sid=\"" + session + "\"",
          "Authorization", bearer("u1", "t-0002"));
      assertThat(response.statusCode()).isEqualTo(202);
      PlayerHeartbeat heartbeat = heartbeatsOf(session).get(0);
      assertThat(heartbeat.getType()).isEqualTo(HeartbeatType.STALL_START);
      assertThat(heartbeat.getBitrateKbps()).isEqualTo(800);
      assertThat(heartbeat.getBufferMs()).isEqualTo(500L);
    }

    @Test
    void mapsCmcdFromAJsonBody() throws Exception {
      String session = "cmcd-j-" + UUID.randomUUID();
      HttpResponse<String> response = post("/v1/cmcd",
          "[{\"sid\":\"" + session + "\",\"cid\":\"t-0001\",\"br\":1500,\"caudal-uid\":\"u9\"},"
              + "{\"sid\":\"" + session + "\",\"cid\":\"t-0001\",\"br\":3000,\"bs\":true}]");
      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(response.body()).contains("\"accepted\":2");
      List<PlayerHeartbeat> heartbeats = KAFKA.readUntil(Topics.HEARTBEAT,
          seen -> seen.stream().filter(h -> h.getSessionId().equals(session)).count() == 2, Duration.ofSeconds(20))
          .stream().filter(h -> h.getSessionId().equals(session)).toList();
      assertThat(heartbeats).extracting(PlayerHeartbeat::getBitrateKbps).containsExactlyInAnyOrder(1500, 3000);
      // The user is the playback grant's: a caudal-uid key cannot speak for another viewer.
      assertThat(heartbeats).extracting(PlayerHeartbeat::getUserId).containsOnly("u1");
    }

    @Test
    void refusesCmcdWithoutASessionOrWithBadValues() throws Exception {
      HttpResponse<String> noSid = post("/v1/cmcd?CMCD=br%3D100%2Ccid%3D%22t-0001%22", "");
      assertThat(noSid.statusCode()).isEqualTo(400);
      assertThat(noSid.body()).contains("sid");
      HttpResponse<String> badValue = post("/v1/cmcd?CMCD=br%3D%3F%3F%2Csid%3D%22x%22", "");
      assertThat(badValue.statusCode()).isEqualTo(400);
      assertThat(badValue.body()).contains("br");
      assertThat(post("/v1/cmcd", "").body()).contains("no CMCD data");
    }

    @Test
    void collectsCmcdRidingOnMediaRequests() throws Exception {
      String session = "cmcd-m-" + UUID.randomUUID();
      String cmcd = java.net.URLEncoder.encode("br=800,bl=4000,ot=v,sid=\"" + session + "\"", StandardCharsets.UTF_8);
      HttpResponse<byte[]> response = get(signed(TITLE, "video/360p/seg-00001.m4s") + "?CMCD=" + cmcd);
      assertThat(response.statusCode()).isEqualTo(200);
      PlayerHeartbeat heartbeat = heartbeatsOf(session).get(0);
      assertThat(heartbeat.getUserId()).isEqualTo("u1");
      assertThat(heartbeat.getTitleId()).isEqualTo(TITLE);
    }
  }

  // ---- steering ---------------------------------------------------------------------------------

  @Nested
  class Steering {

    @Test
    void keepsThePlayerWhereItIsWithoutADecision() throws Exception {
      HttpResponse<String> response = getText("/steering/hls/eu-west?_HLS_pathway=edge-b&_HLS_throughput=5000000");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
      assertThat(response.body()).isEqualTo("{\"VERSION\":1,\"TTL\":10,\"RELOAD-URI\":\"" + edge.url()
          + "/steering/hls/eu-west\",\"PATHWAY-PRIORITY\":[\"edge-b\",\"edge-a\"]}");
    }

    @Test
    void answers404ForARegionNobodySteers() throws Exception {
      HttpResponse<String> response = getText("/steering/hls/nowhere?_HLS_pathway=edge-b");
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).contains("no steering for that region");
    }

    @Test
    void followsTheLatestCommittedDecisionForTheRegion() throws Exception {
      KAFKA.publishCommitted(Topics.STEERING, decision("us-east", 30, List.of("edge-a", "edge-b"), List.of()));
      KAFKA.publishCommitted(Topics.STEERING, decision("us-east", 30, List.of("edge-b", "edge-a"), List.of()));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(getText("/steering/hls/us-east?_HLS_pathway=edge-a").body())
              .contains("\"TTL\":30").contains("\"PATHWAY-PRIORITY\":[\"edge-b\",\"edge-a\"]"));
      assertThat(getText("/steering/dash/us-east?_DASH_pathway=%22edge-a,edge-b%22&_DASH_throughput=1000,2000").body())
          .contains("\"RELOAD-URI\":\"" + edge.url() + "/steering/dash/us-east\"")
          .contains("\"PATHWAY-PRIORITY\":[\"edge-b\",\"edge-a\"]");
    }

    @Test
    void leavesOutPathwaysThePlayerHasNoAddressFor() throws Exception {
      KAFKA.publishCommitted(Topics.STEERING, decision("ap-south", 20, List.of("edge-z", "edge-a"), List.of()));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(getText("/steering/hls/ap-south").body()).contains("\"TTL\":20")
              .contains("\"PATHWAY-PRIORITY\":[\"edge-a\",\"edge-b\"]"));
    }

    @Test
    void refusesABadThroughputReport() throws Exception {
      HttpResponse<String> response = getText("/steering/hls/eu-west?_HLS_throughput=fast");
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("_HLS_throughput");
    }
  }

  // ---- fleet ------------------------------------------------------------------------------------

  @Nested
  class Fleet {

    @Test
    void registersByItsFirstHealthReportAndListsServers() throws Exception {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        HttpResponse<String> response = getText("/v1/servers");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"serverId\":\"edge-a\"").contains("\"region\":\"eu-west\"")
            .contains("\"cpuUtil\"").contains("\"diskFreeBytes\"").contains("\"url\":\"" + edge.url() + "\"");
      });
    }

    @Test
    void twoEdgesOfARegionOfferEachOtherAsPathwaysFromTheirHealthReports() throws Exception {
      EdgeOptions options = EdgeOptions.defaults(root.toUri().toString(), KAFKA.bootstrapServers(), SECRET)
          .withHealthInterval(Duration.ofSeconds(1));
      try (EdgeServer c = EdgeServer.start(options.withServer("edge-c", "sa-east"));
          EdgeServer d = EdgeServer.start(options.withServer("edge-d", "sa-east"))) {
        String token = token("u1", TITLE, 600);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(http.send(
            HttpRequest.newBuilder(URI.create(c.url() + "/t/" + token + "/vod/" + TITLE + "/master.m3u8")).build(),
            HttpResponse.BodyHandlers.ofString()).body())
            .contains("PATHWAY-ID=\"edge-c\"\n" + c.url() + "/t/" + token)
            .contains("PATHWAY-ID=\"edge-d\"\n" + d.url() + "/t/" + token));
        assertThat(KAFKA.readUntil(Topics.SERVER_HEALTH, seen -> seen.stream()
            .anyMatch(h -> h.getServerId().equals("edge-d")), Duration.ofSeconds(10)))
            .filteredOn(h -> h.getServerId().equals("edge-d")).allMatch(h -> d.url().equals(h.getPublicUrl()));
        // Not in edge-a's region: its manifests do not offer them.
        assertThat(getText("/t/" + token + "/vod/" + TITLE + "/master.m3u8").body())
            .doesNotContain("edge-c").doesNotContain("edge-d");
      }
    }

    @Test
    void copiesARequestedTitleIntoItsStoreAndReportsItHeld() throws Exception {
      // Another region's decision: this server's own region stays without one for the steering tests.
      KAFKA.publishCommitted(Topics.STEERING, decision("eu-north", 30, List.of("edge-a"),
          List.of(new ReplicationRequest(REPLICATED_TITLE, "edge-a", "no_eligible_holder"),
              new ReplicationRequest(OTHER_TITLE, "edge-elsewhere", "no_eligible_holder"))));
      Path store = Path.of(URI.create(edge.options().store()).getPath());
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(KAFKA.readUntil(Topics.SERVER_HEALTH, seen -> seen.stream()
              .anyMatch(h -> h.getServerId().equals("edge-a") && h.getTitles().contains(REPLICATED_TITLE)),
              Duration.ofSeconds(5))).anyMatch(h -> h.getTitles().contains(REPLICATED_TITLE)));
      assertThat(store.resolve(REPLICATED_TITLE + "/video/360p/seg-00001.m4s")).hasBinaryContent(SampleTitles.segmentBytes());
      assertThat(store.resolve(OTHER_TITLE)).doesNotExist();
      try (Stream<Path> files = Files.list(store)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("."));
      }
    }
  }

  // ---- catalog ----------------------------------------------------------------------------------

  @Nested
  class Catalog {

    @Test
    void findsTitlesByNameAndByCategory() throws Exception {
      assertThat(getText("/v1/titles?name=river").body()).contains(TITLE).contains(OTHER_TITLE).doesNotContain(REPLICATED_TITLE);
      assertThat(getText("/v1/titles?category=Documentary").body()).contains(TITLE).contains(REPLICATED_TITLE)
          .doesNotContain(OTHER_TITLE);
      assertThat(getText("/v1/titles?name=river&category=drama").body()).contains(OTHER_TITLE).doesNotContain(TITLE);
      assertThat(getText("/v1/titles?name=nothing-like-this").body()).isEqualTo("{\"titles\":[]}");
    }

    @Test
    void refusesUnknownSearchParameters() throws Exception {
      HttpResponse<String> response = getText("/v1/titles?genre=drama");
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("genre");
    }

    @Test
    void answersOneTitleOr404() throws Exception {
      HttpResponse<String> found = getText("/v1/titles/" + TITLE);
      assertThat(found.statusCode()).isEqualTo(200);
      assertThat(found.body()).contains("\"name\":\"The Long River\"").contains("\"rungId\":\"360p\"");
      assertThat(getText("/v1/titles/no-such-title").statusCode()).isEqualTo(404);
    }

    @Test
    void keepsRatingsAsPublishedParquetRows() throws Exception {
      HttpResponse<String> response = post("/v1/ratings", "{\"titleId\":\"" + TITLE + "\",\"stars\":4}",
          "Authorization", bearer("u7", TITLE));
      assertThat(response.statusCode()).isEqualTo(202);
      Path dir = root.resolve("tables/ratings");
      List<UserRating> rows = new java.util.ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        List<Path> parquet = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        assertThat(parquet).isNotEmpty().allMatch(p -> !p.getFileName().toString().startsWith("."));
      }
      rows.addAll(TableReader.of(Tables.RATINGS, root.toString(), new Configuration()).readAll());
      assertThat(rows).anyMatch(r -> r.getUserId().equals("u7") && r.getTitleId().equals(TITLE) && r.getStars() == 4);
    }

    @Test
    void refusesRatingsOutOfRangeOrForUnknownTitles() throws Exception {
      String u7 = bearer("u7", TITLE);
      HttpResponse<String> six = post("/v1/ratings", "{\"titleId\":\"" + TITLE + "\",\"stars\":6}", "Authorization", u7);
      assertThat(six.statusCode()).isEqualTo(400);
      assertThat(six.body()).contains("1 to 5");
      assertThat(post("/v1/ratings", "{\"titleId\":\"" + TITLE + "\"}", "Authorization", u7).body()).contains("stars");
      assertThat(post("/v1/ratings", "{\"titleId\":\"nope\",\"stars\":3}", "Authorization", bearer("u7", "nope"))
          .statusCode()).isEqualTo(404);
    }
  }

  // ---- metrics and pages ------------------------------------------------------------------------

  @Test
  void exposesPrometheusMetrics() throws Exception {
    get(signed(TITLE, "video/360p/init.mp4"));
    HttpResponse<String> response = getText("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("edge_requests_total{route=\"origin\",status=\"200\"}")
        .contains("edge_request_duration_seconds_bucket").contains("edge_bytes_out_total{route=\"origin\"}")
        .contains("edge_cache_hits_total").contains("edge_kafka_produce_errors_total")
        .contains("edge_steering_reported_throughput_bits_per_second_count");
  }

  @Test
  void servesThePlayerPageWithItsBundle() throws Exception {
    HttpResponse<String> page = getText("/play/" + TITLE + "?token=x");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/static/player.js").doesNotContain("cdn");
    HttpResponse<String> script = getText("/static/player.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body().length()).isGreaterThan(100_000);
  }

  @Test
  void answers404ForUnknownPaths() throws Exception {
    HttpResponse<String> response = getText("/nothing/here");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("/nothing/here");
  }

  double metric(String name) throws Exception {
    return getText("/metrics").body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  static SteeringDecision decision(String region, int ttl, List<String> priority, List<ReplicationRequest> replications) {
    return SteeringDecision.newBuilder().setRegion(region).setEventTime(System.currentTimeMillis()).setTtlSeconds(ttl)
        .setPathwayPriority(priority).setExcluded(List.<ExcludedServer>of()).setReplications(replications).build();
  }
}
