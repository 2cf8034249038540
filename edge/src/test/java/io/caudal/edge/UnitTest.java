package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.edge.catalog.RatingValidator;
import io.caudal.edge.collect.Cmcd;
import io.caudal.edge.collect.CmcdJson;
import io.caudal.edge.entitle.Entitlement;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.edge.http.Json;
import io.caudal.edge.origin.ByteRange;
import io.caudal.edge.origin.ManifestRewriter;
import io.caudal.edge.steer.SteeringManifest;
import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.UserRating;
import io.caudal.testing.SampleTitles;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The plain classes behind the routes, called directly. */
class UnitTest {

  @Nested
  class CmcdLists {

    @Test
    void readsStringsNumbersTokensAndBareKeys() {
      Map<String, Object> keys = Cmcd.parse("bl=21300,br=3200,bs,cid=\"faec5fc2,ac30\",d=4004,mtp=25400,ot=v,pr=1.25,sid=\"6e2fb550\"");
      assertThat(keys).containsEntry("bl", 21300L).containsEntry("br", 3200L).containsEntry("bs", Boolean.TRUE)
          .containsEntry("cid", "faec5fc2,ac30").containsEntry("ot", "v").containsEntry("pr", 1.25)
          .containsEntry("sid", "6e2fb550");
    }

    @Test
    void refusesMalformedLists() {
      assertThatThrownBy(() -> Cmcd.parse("sid=\"open")).hasMessageContaining("unterminated string for key sid");
      assertThatThrownBy(() -> Cmcd.parse("br=12?")).hasMessageContaining("bad value for key br");
      assertThatThrownBy(() -> Cmcd.parse("BR=1")).hasMessageContaining("bad key 'BR'");
      assertThatThrownBy(() -> Cmcd.parse("br=")).hasMessageContaining("empty value for key br");
    }

    @Test
    void mergesTheQueryArgumentAndTheFourHeaders() {
      Map<String, String> headers = Map.of("CMCD-Request", "bl=500,mtp=1200", "CMCD-Session", "sid=\"s1\"");
      Map<String, Object> keys = Cmcd.ofRequest("br=800,ot=v", headers::get);
      assertThat(keys).containsEntry("br", 800L).containsEntry("ot", "v").containsEntry("bl", 500L)
          .containsEntry("mtp", 1200L).containsEntry("sid", "s1");
      assertThat(Cmcd.ofRequest(null, name -> null)).isEmpty();
    }

    @Test
    void readsJsonObjectsAndArraysOfThem() {
      assertThat(CmcdJson.parse("{\"sid\":\"s1\",\"br\":1500,\"pr\":1.5,\"bs\":true}"))
          .containsExactly(Map.of("sid", "s1", "br", 1500L, "pr", 1.5, "bs", true));
      assertThat(CmcdJson.parse("[{\"sid\":\"a\"},{\"sid\":\"b\"}]")).extracting(keys -> keys.get("sid"))
          .containsExactly("a", "b");
    }

    @Test
    void refusesJsonThatIsNotCmcdKeys() {
      assertThatThrownBy(() -> CmcdJson.parse("{not json")).hasMessageContaining("malformed JSON");
      assertThatThrownBy(() -> CmcdJson.parse("{\"sid\":\"a\"}{\"sid\":\"b\"}")).hasMessageStartingWith("malformed JSON");
      assertThatThrownBy(() -> CmcdJson.parse("{\"sid\":\"a\"}xyz")).hasMessageStartingWith("malformed JSON");
      assertThatThrownBy(() -> CmcdJson.parse("[1, 2]")).hasMessage("CMCD JSON must be an object or an array of objects");
      assertThatThrownBy(() -> CmcdJson.parse("\"sid\"")).hasMessage("CMCD JSON must be an object or an array of objects");
      assertThatThrownBy(() -> CmcdJson.parse("{\"sid\":{\"nested\":1}}"))
          .hasMessage("CMCD: sid must be a string, number or boolean");
    }
  }

  @Nested
  class Ratings {

    @Test
    void readsARatingAndStampsItNow() {
      UserRating rating = RatingValidator.fromJson("{\"titleId\":\"t-1\",\"stars\":4}", 1_234, "u1");
      assertThat(rating.getUserId()).isEqualTo("u1");
      assertThat(rating.getTitleId()).isEqualTo("t-1");
      assertThat(rating.getStars()).isEqualTo(4);
      assertThat(rating.getRatedAt()).isEqualTo(1_234L);
    }

    @Test
    void refusesStarsOutOfRangeBlankUsersAndMalformedJson() {
      assertThatThrownBy(() -> RatingValidator.fromJson("{\"userId\":\"u1\",\"titleId\":\"t-1\",\"stars\":4}\n{}", 1, "u1"))
          .hasMessageStartingWith("malformed JSON");
      assertThatThrownBy(() -> RatingValidator.fromJson("{\"userId\":\"u1\",\"titleId\":\"t-1\",\"stars\":0}", 1, "u1"))
          .hasMessage("stars must be a whole number from 1 to 5, got 0");
      assertThatThrownBy(() -> RatingValidator.fromJson("{\"userId\":\"u2\",\"titleId\":\"t-1\",\"stars\":3}", 1, "u1"))
          .hasMessage("userId: not_granted: the playback token is for user u1");
      assertThatThrownBy(() -> RatingValidator.fromJson("{\"titleId\":\"t-1\",\"stars\":3,\"ratedAt\":1}", 1, "u1"))
          .hasMessage("ratedAt: set by the server, not sent");
      for (String title : new String[] {"=HYPERLINK(\\\"x\\\")", "<b>t</b>", "t\\u0000", "t".repeat(129), ""}) {
        assertThatThrownBy(() -> RatingValidator.fromJson("{\"titleId\":\"" + title + "\",\"stars\":3}", 1, "u1"))
            .as(title).hasMessageStartingWith("titleId must be 1 to 128 letters, digits or . _ @ -");
      }
      assertThatThrownBy(() -> RatingValidator.fromJson("{\"userId\":\"u1\",\"titleId\":\"t-1\"}", 1, "u1"))
          .hasMessageContaining("stars");
      assertThatThrownBy(() -> RatingValidator.fromJson("[4]", 1, "u1"))
          .hasMessage("expected a rating object {titleId, stars}");
      assertThatThrownBy(() -> RatingValidator.fromJson("{\"stars\":", 1, "u1")).hasMessageContaining("malformed JSON");
    }
  }

  @Nested
  class Tokens {

    final TokenSigner signer = new TokenSigner("sixteen-plus-bytes-key".getBytes(StandardCharsets.UTF_8));

    @Test
    void roundTripsAGrant() {
      PlaybackToken grant = PlaybackToken.forTitle("u1", "t-1", 2_000);
      assertThat(signer.verify(signer.sign(grant), 1_999)).isEqualTo(grant);
    }

    @Test
    void refusesExpiredTamperedAndMalformedTokens() {
      String token = signer.sign(PlaybackToken.forTitle("u1", "t-1", 2_000));
      assertThatThrownBy(() -> signer.verify(token, 2_000)).hasMessageContaining("expired");
      assertThatThrownBy(() -> signer.verify(token.substring(0, token.length() - 2) + "AA", 0)).hasMessageContaining("signature");
      assertThatThrownBy(() -> signer.verify("nodot", 0)).hasMessageContaining("malformed");
      assertThatThrownBy(() -> signer.verify("!!!.???", 0)).hasMessageContaining("malformed");
    }

    @Test
    void acceptsOnlyTheUnpaddedSpellingItSigns() {
      // A payload that is not a whole number of 3-byte groups (23 bytes), so its base64 could be padded.
      PlaybackToken grant = PlaybackToken.forTitle("u1", "t-1", 2_000);
      String token = signer.sign(grant);
      String payload = token.substring(0, token.indexOf('.'));
      String signature = token.substring(token.indexOf('.') + 1);
      assertThat(payload.length() % 4).isNotZero();
      String padded = payload + "=".repeat(4 - payload.length() % 4) + "." + signature + "=";
      assertThatThrownBy(() -> signer.verify(padded, 0)).hasMessage("malformed playback token: unpadded base64url only");
      char last = signature.charAt(signature.length() - 1);
      String lowBitsSet = payload + "." + signature.substring(0, signature.length() - 1) + (char) (last + 1);
      assertThatThrownBy(() -> signer.verify(lowBitsSet, 0))
          .hasMessage("malformed playback token: not in its canonical spelling");
      String standardAlphabet = token.replace('-', '+').replace('_', '/');
      if (!standardAlphabet.equals(token)) {
        assertThatThrownBy(() -> signer.verify(standardAlphabet, 0)).hasMessageContaining("unpadded base64url only");
      }
      assertThat(signer.verify(token, 0)).isEqualTo(grant);
    }

    @Test
    void refusesAGrantLongerThanTheLongestItHonours() {
      TokenSigner strict = new TokenSigner("sixteen-plus-bytes-key".getBytes(StandardCharsets.UTF_8), 3_600);
      String day = strict.sign(PlaybackToken.forTitle("u1", "t-1", 86_400));
      assertThatThrownBy(() -> strict.verify(day, 0))
          .hasMessage("playback token lasts longer than the 3600 s this server honours");
      assertThat(strict.verify(day, 86_400 - 3_600).userId()).isEqualTo("u1");
    }

    @Test
    void keepsTheTokenOutOfLogLines() {
      String token = signer.sign(PlaybackToken.forTitle("u1", "t-1", 2_000));
      String logged = io.caudal.edge.http.EdgeRoutes.redacted("/t/" + token + "/vod/t-1/master.m3u8");
      assertThat(logged).doesNotContain(token).startsWith("/t/" + token.substring(0, 6) + "...")
          .endsWith("/vod/t-1/master.m3u8");
      assertThat(io.caudal.edge.http.EdgeRoutes.redacted("/v1/x\nforged line")).isEqualTo("/v1/x\\u000aforged line");
    }

    @Test
    void refusesShortSecrets() {
      assertThatThrownBy(() -> new TokenSigner(new byte[8])).hasMessageContaining("at least 16 bytes");
    }

    @Test
    void checksThePathPrefixOfTheGrant() {
      PlaybackToken audioOnly = new PlaybackToken("u1", "t-1", "vod/t-1/audio/", 2_000);
      Entitlement entitlement = new Entitlement(signer);
      String token = signer.sign(audioOnly);
      assertThat(entitlement.check(token + "/vod/t-1/audio/seg-00001.m4s", 0).titlePath()).isEqualTo("t-1/audio/seg-00001.m4s");
      assertThatThrownBy(() -> entitlement.check(token + "/vod/t-1/video/360p/seg-00001.m4s", 0))
          .hasMessageContaining("does not cover vod/t-1/video/360p/seg-00001.m4s");
    }
  }

  @Nested
  class Ranges {

    @Test
    void readsTheThreeFormsOfASingleRange() {
      assertThat(ByteRange.parse("bytes=0-99", 1000)).contains(new ByteRange(0, 99));
      assertThat(ByteRange.parse("bytes=900-", 1000)).contains(new ByteRange(900, 999));
      assertThat(ByteRange.parse("bytes=-100", 1000)).contains(new ByteRange(900, 999));
      assertThat(ByteRange.parse("bytes=990-5000", 1000)).contains(new ByteRange(990, 999));
    }

    @Test
    void servesEverythingForSeveralOrMalformedRanges() {
      assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isEmpty();
      assertThat(ByteRange.parse("items=0-1", 1000)).isEmpty();
      assertThat(ByteRange.parse("bytes=5-1", 1000)).isEmpty();
      assertThat(ByteRange.parse(null, 1000)).isEmpty();
    }

    @Test
    void refusesARangePastTheEnd() {
      assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }
  }

  @Nested
  class Manifests {

    final Map<String, String> pathways = new LinkedHashMap<>(Map.of("a", "http://a/t/x/vod/t1/"));

    Manifests() {
      pathways.put("b", "http://b/t/x/vod/t1/");
    }

    @Test
    void replacesTheSteeringTagOfATitlePublishedWithOne() {
      String master = SampleTitles.MASTER.replace("#EXT-X-INDEPENDENT-SEGMENTS\n",
          "#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-CONTENT-STEERING:SERVER-URI=\"http://old/steer\"\n");
      String out = ManifestRewriter.hlsMaster(master, pathways, "http://a/steering/hls/r");
      assertThat(out).doesNotContain("http://old/steer");
      assertThat(out.lines().filter(l -> l.startsWith("#EXT-X-CONTENT-STEERING"))).hasSize(1);
      assertThat(out.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF"))).hasSize(2);
      assertThat(out).contains("URI=\"http://b/t/x/vod/t1/audio/playlist.m3u8\"")
          .contains("AUDIO=\"aac-b\",PATHWAY-ID=\"b\"\nhttp://b/t/x/vod/t1/video/360p/playlist.m3u8");
    }

    @Test
    void putsOneBaseUrlPerPathwayInTheMpd() {
      String out = ManifestRewriter.dashMpd(SampleTitles.MPD, pathways, "http://a/steering/dash/r");
      assertThat(out).contains("<BaseURL serviceLocation=\"a\">http://a/t/x/vod/t1/</BaseURL>")
          .contains("<BaseURL serviceLocation=\"b\">http://b/t/x/vod/t1/</BaseURL>")
          .contains("defaultServiceLocation=\"a\"");
      assertThatThrownBy(() -> ManifestRewriter.dashMpd("<xml/>", pathways, "x")).hasMessageContaining("no <MPD>");
    }

    @Test
    void insertsTheSteeringTagsIntoManifestsPublishedWithout() {
      assertThat(ManifestRewriter.hlsMaster(SampleTitles.MASTER, pathways, "http://a/steering/hls/r"))
          .contains("#EXT-X-CONTENT-STEERING:SERVER-URI=\"http://a/steering/hls/r\",PATHWAY-ID=\"a\"\n");
      assertThat(ManifestRewriter.dashMpd(SampleTitles.MPD, pathways, "http://a/steering/dash/r"))
          .contains("<ContentSteering defaultServiceLocation=\"a\" queryBeforeStart=\"true\">http://a/steering/dash/r"
              + "</ContentSteering>");
    }

    @Test
    void replacesTheContentSteeringElementOfAnMpdPublishedWithOne() {
      String mpd = SampleTitles.MPD.replace("<Period", "<ContentSteering defaultServiceLocation=\"old\">http://old/steer"
          + "</ContentSteering>\n  <BaseURL>http://old/</BaseURL>\n  <Period");
      String out = ManifestRewriter.dashMpd(mpd, pathways, "http://a/steering/dash/r");
      assertThat(out).doesNotContain("http://old/");
      assertThat(out.lines().filter(l -> l.contains("<ContentSteering"))).hasSize(1);
      assertThat(out.lines().filter(l -> l.contains("<BaseURL"))).hasSize(2);
    }
  }

  @Nested
  class Steering {

    @Test
    void ranksByTheDecisionThenKeepsTheRestOffered() {
      SteeringDecision decision = SteeringDecision.newBuilder().setRegion("r").setEventTime(1).setTtlSeconds(15)
          .setPathwayPriority(List.of("c", "b")).setExcluded(List.<ExcludedServer>of()).setReplications(List.of()).build();
      assertThat(json(SteeringManifest.of(decision, new java.util.LinkedHashSet<>(List.of("a", "b", "c")), List.of("a"), "/s")))
          .isEqualTo("{\"VERSION\":1,\"TTL\":15,\"RELOAD-URI\":\"/s\",\"PATHWAY-PRIORITY\":[\"c\",\"b\",\"a\"]}");
    }

    @Test
    void readsDashQuotedPathwayListsAndThroughputs() {
      assertThat(SteeringManifest.reportedPathways("\"a,b\"")).containsExactly("a", "b");
      assertThat(SteeringManifest.reportedPathways("a")).containsExactly("a");
      assertThat(SteeringManifest.reportedThroughputs("1000,,3000")).containsExactly(1000L, -1L, 3000L);
      assertThatThrownBy(() -> SteeringManifest.reportedThroughputs("-5")).hasMessageContaining("'-5'");
      assertThat(json(SteeringManifest.of(null, Set.of("a"), List.of(), "/s"))).contains("\"TTL\":10");
    }

    String json(SteeringManifest manifest) {
      return new String(Json.bytes(manifest), StandardCharsets.UTF_8);
    }
  }

  @Nested
  class Servers {

    @Test
    void registersAServerAtItsFirstReportAndKeepsItsLatest() {
      io.caudal.edge.fleet.ServerRegistry registry = new io.caudal.edge.fleet.ServerRegistry();
      registry.report(health("s2", 1_000, 0.5));
      registry.report(health("s1", 2_000, 0.1));
      registry.report(health("s2", 3_000, 0.9));
      assertThat(registry.all()).extracting(e -> e.latest().getServerId()).containsExactly("s1", "s2");
      io.caudal.edge.fleet.ServerRegistry.Entry s2 = registry.all().get(1);
      assertThat(s2.registeredAt()).isEqualTo(1_000);
      assertThat(s2.latest().getCpuUtil()).isEqualTo(0.9);
    }

    io.caudal.schemas.ServerHealth health(String id, long at, double cpu) {
      return io.caudal.schemas.ServerHealth.newBuilder().setServerId(id).setRegion("r").setEventTime(at)
          .setCpuUtil(cpu).setMemUtil(0.2).setDiskFreeBytes(1).setPendingBytes(0).setActiveSessions(0)
          .setEgressMbps(0).setCapacityMbps(100).setTitles(List.of()).build();
    }
  }
}
