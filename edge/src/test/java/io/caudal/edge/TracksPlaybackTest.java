package io.caudal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.kafka.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every track a viewer expects, in Debian's headless chromium through the player page (hls.js, then
 * dash.js), from two edge servers that are two pathways: a title packaged by transcode from a source
 * with English stereo and French 5.1 audio and an English subtitle stream, French WebVTT and German
 * SDH SRT files with awkward cues, a French forced narrative, and thumbnails. Driven by {@code
 * web/test/tracks.mjs}: both audio languages and every subtitle track are in the menus, switching
 * audio while playing does not stall and, with subtitles off, brings on the new language's forced
 * narrative; each chosen subtitle track shows its cue at its time (within a frame of the file's),
 * the page has a thumbnail for a time and shows it over the seek bar, and the choices are
 * remembered. Screenshots {@code tracks-<format>-subtitles.png} and {@code
 * tracks-<format>-thumbnail.png} go to {@code edge/target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
class TracksPlaybackTest {

  static final byte[] SECRET = "tracks-test-secret-0123456789abc".getBytes(StandardCharsets.UTF_8);
  static final double FRAME_SECONDS = 1 / 25.0;
  static final int SECONDS = 24;
  /** Sidecar WebVTT: overlapping and styled cues, one across the 8 s segment boundary, one after the last frame. */
  static final String FRENCH_VTT = """
      WEBVTT

      NOTE awkward on purpose

      1
      00:00:01.000 --> 00:00:03.000
      Bonjour, <i>tout le monde</i>.

      2
      00:00:02.500 --> 00:00:05.500 line:10%
      <b>Deux</b> répliques se chevauchent

      3
      00:00:07.200 --> 00:00:09.400
      À cheval sur deux segments

      4
      00:00:30.000 --> 00:00:32.000
      Après la dernière image
      """;
  /** Sidecar SRT, for viewers who are deaf or hard of hearing: sounds in brackets, a styled line. */
  static final String GERMAN_SDH_SRT = """
      1
      00:00:10,000 --> 00:00:12,500
      [Leise Musik]
      Hallo aus dem Fluss.

      2
      00:00:13,000 --> 00:00:15,000
      <i>Flüstern</i>
      """;
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A forced narrative in French: the sign a French viewer must read, shown with French audio and no subtitles. */
  static final String FRENCH_FORCED_VTT = """
      WEBVTT

      00:00:03.500 --> 00:00:05.500
      PANNEAU : SORTIE
      """;
  @TempDir static Path root;
  @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.withCaudalTopics();
  EdgeServer edgeA;
  EdgeServer edgeB;
  String titleId;

  @BeforeAll
  void start() throws Exception {
    TranscodeJar.requireBrowserTestTools();
    Path french = root.resolve("incoming/fr.vtt");
    Path german = root.resolve("incoming/de.srt");
    Path frenchForced = root.resolve("incoming/fr-forced.vtt");
    Files.createDirectories(french.getParent());
    Files.writeString(french, FRENCH_VTT);
    Files.writeString(german, GERMAN_SDH_SRT);
    Files.writeString(frenchForced, FRENCH_FORCED_VTT);
    titleId = TranscodeJar.publish(root, "Every Track", "documentary", SECONDS,
        List.of("--audio", "en:2", "--audio", "fr:6", "--subtitle-stream", "en"),
        List.of("--subtitles", "fr=" + french, "--subtitles", "de,sdh=" + german,
            "--subtitles", "fr,forced=" + frenchForced));
    int portA = freePort();
    int portB = freePort();
    EdgeOptions base = EdgeOptions.defaults(root.toUri().toString(), KAFKA.bootstrapServers(), SECRET)
        .withHealthInterval(Duration.ofSeconds(2));
    edgeA = EdgeServer.start(base.withServer("edge-a", "tracks-test").withPort(portA)
        .withPathways(Map.of("edge-b", "http://127.0.0.1:" + portB)));
    edgeB = EdgeServer.start(base.withServer("edge-b", "tracks-test").withPort(portB)
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
  void hlsOffersEveryAudioLanguageAndSubtitleTrackAndThumbnails() throws Exception {
    playEveryTrack("hls");
  }

  @Test
  void dashOffersEveryAudioLanguageAndSubtitleTrackAndThumbnails() throws Exception {
    playEveryTrack("dash");
  }

  private void playEveryTrack(String format) throws Exception {
    String token = new TokenSigner(SECRET).sign(
        PlaybackToken.forTitle("viewer-1", titleId, System.currentTimeMillis() / 1000 + 3600));
    String page = edgeA.url() + "/play/" + titleId + "?format=" + format + "&token=" + token;
    String cues = JSON.writeValueAsString(List.of(
        Map.of("language", "fr", "kind", "subtitle", "at", 8.6, "text", "À cheval sur deux segments",
            "screenshot", true),
        Map.of("language", "de", "kind", "caption", "at", 11.0, "text", "Hallo aus dem Fluss.")));
    String name = "tracks-" + format;
    Process node = new ProcessBuilder("node", TranscodeJar.WEB.resolve("test/tracks.mjs").toString(), page,
        TranscodeJar.SCREENSHOTS.toString(), name, "fr", cues, "12", "120",
        JSON.writeValueAsString(Map.of("at", 4.0, "text", "PANNEAU : SORTIE")))
        .directory(TranscodeJar.WEB.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String last = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        last = line;
      }
    }
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("tracks script ends").isTrue();
    assertThat(last).as("tracks script result").isNotNull();
    System.out.println(name + ": " + last);
    JsonNode result = JSON.readTree(last);

    assertThat(result.get("pageErrors")).as("page errors").isEmpty();
    assertThat(result.get("consoleErrors")).as("console errors").isEmpty();
    assertThat(result.get("errors")).as("player errors").isEmpty();
    assertThat(strings(result.get("steps"))).containsExactly("listed", "audio-switched", "forced", "cues",
        "thumbnail", "remembered");

    // Both audio languages (French also as the stereo downmix of its 5.1) and every subtitle track.
    assertThat(strings(result.get("audioLanguages"))).containsExactlyInAnyOrder("en", "fr", "fr");
    assertThat(strings(result.get("audioMenu"))).as("each rendition once, whatever the pathways")
        .doesNotHaveDuplicates().anyMatch(label -> label.contains("5.1"));
    List<String> textTracks = new ArrayList<>();
    result.get("textTracks").forEach(t -> textTracks.add(t.get("language").asText() + "/" + t.get("kind").asText()));
    assertThat(textTracks).containsExactlyInAnyOrder("en/subtitle", "fr/subtitle", "de/caption", "fr/forced");
    assertThat(strings(result.get("textMenu"))).first().isEqualTo("Off");
    assertThat(strings(result.get("textMenu"))).anySatisfy(label -> assertThat(label).contains("SDH"));

    // Audio switched while playing: no stall, the playhead moved on, and what plays next is buffered.
    assertThat(result.get("audioAfterSwitch").asText()).isEqualTo("fr");
    assertThat(result.get("stallsAfterSwitch").asInt()).as("stalls after switching audio: " + result.get("stallLog"))
        .isEqualTo(result.get("stallsBeforeSwitch").asInt());
    double after = result.get("timeAfterSwitch").asDouble();
    assertThat(after).isGreaterThan(result.get("switchedAt").asDouble());
    assertThat(result.get("bufferedAfterSwitch")).as("buffered ranges after the switch")
        .anySatisfy(range -> assertThat(after).isBetween(range.get(0).asDouble(), range.get(1).asDouble()));

    // Subtitles off: nothing shown with English audio (hls.js may start on the 5.1 group, which holds
    // only French: its forced narrative then shows); with French audio its forced narrative, at its time.
    JsonNode before = result.get("textBeforeSwitch");
    if (result.get("audioBeforeSwitch").asText().equals("fr")) {
      assertThat(before.get("kind").asText()).as("text with French audio before the switch").isEqualTo("forced");
    } else {
      assertThat(before.isNull()).as("text with " + result.get("audioBeforeSwitch") + " audio: " + before).isTrue();
    }
    assertThat(result.get("textAfterSwitch").get("language").asText()).isEqualTo("fr");
    JsonNode sign = showing(result.get("forced"), "PANNEAU : SORTIE");
    assertThat(sign.get("start").asDouble()).isCloseTo(3.5, within(FRAME_SECONDS));
    assertThat(sign.get("end").asDouble()).isCloseTo(5.5, within(FRAME_SECONDS));

    // Each chosen track shows its cue at its time, with the file's times (within a frame).
    JsonNode crossing = cueResult(result, "fr");
    assertThat(crossing.get("currentTime").asDouble()).isCloseTo(8.6, within(FRAME_SECONDS));
    JsonNode crossingCue = showing(crossing, "À cheval sur deux segments");
    assertThat(crossingCue.get("language").asText()).isEqualTo("fr");
    // A cue across a segment boundary may be carried whole in both segments or split at the boundary: its end holds.
    assertThat(crossingCue.get("end").asDouble()).isCloseTo(9.4, within(FRAME_SECONDS));
    JsonNode sdh = showing(cueResult(result, "de"), "Hallo aus dem Fluss.");
    assertThat(sdh.get("language").asText()).isEqualTo("de");
    assertThat(sdh.get("text").asText()).contains("[Leise Musik]");
    assertThat(sdh.get("start").asDouble()).isCloseTo(10.0, within(FRAME_SECONDS));
    assertThat(sdh.get("end").asDouble()).isCloseTo(12.5, within(FRAME_SECONDS));

    // The thumbnail of 12 s: the second tile (every 10 s) of the first 5x5 sprite, 320 px wide.
    JsonNode thumbnail = result.get("thumbnail");
    assertThat(thumbnail.isObject()).as("thumbnail for 12 s: " + thumbnail).isTrue();
    assertThat(thumbnail.get("url").asText()).contains("/vod/" + titleId + "/thumbs/tile-00001.jpg");
    assertThat(thumbnail.get("width").asInt()).isEqualTo(320);
    assertThat(thumbnail.get("x").asInt()).isEqualTo(320);
    assertThat(thumbnail.get("y").asInt()).isZero();
    // Hovering the seek bar at 12 s shows that tile.
    assertThat(result.get("previewImage").asText()).contains("thumbs/tile-00001.jpg");
    assertThat(result.get("previewThumbnail").get("x").asInt()).isEqualTo(320);
    assertThat(result.get("previewText").asText()).startsWith("0:1");
    assertThat(result.get("keyboardPreview").asText()).as("preview while stepping the seek bar by keyboard")
        .matches("\\d+:\\d\\d");

    // The next page starts with the viewer's last choices: French audio, German SDH subtitles.
    JsonNode remembered = result.get("remembered");
    assertThat(remembered.get("audio").get("language").asText()).isEqualTo("fr");
    assertThat(remembered.get("text").get("language").asText()).isEqualTo("de");
    assertThat(remembered.get("text").get("kind").asText()).isEqualTo("caption");

    for (String screenshot : List.of(name + "-subtitles", name + "-thumbnail")) {
      assertThat(Files.size(TranscodeJar.SCREENSHOTS.resolve(screenshot + ".png"))).as(screenshot).isPositive();
    }
  }

  private static JsonNode cueResult(JsonNode result, String language) {
    for (JsonNode cue : result.get("cues")) {
      if (cue.get("wanted").get("language").asText().equals(language)) {
        assertThat(cue.has("error")).as(language + " cue: " + cue).isFalse();
        return cue;
      }
    }
    throw new AssertionError("no cue result for " + language + ": " + result.get("cues"));
  }

  private static JsonNode showing(JsonNode cueResult, String text) {
    for (JsonNode cue : cueResult.get("showing")) {
      if (cue.get("text").asText().contains(text)) {
        return cue;
      }
    }
    throw new AssertionError("cue \"" + text + "\" not showing at " + cueResult.get("currentTime") + ": "
        + cueResult.get("showing"));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
