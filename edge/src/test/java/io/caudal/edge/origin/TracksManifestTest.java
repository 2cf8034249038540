package io.caudal.edge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The manifests of a title with every track a viewer expects (audio in two languages and two channel
 * layouts, subtitles, I-frame playlists, thumbnails), as transcode publishes them, rewritten for two
 * pathways: no rendition is lost, and every URI and BaseURL reaches the files on each pathway with the
 * manifest's token.
 */
class TracksManifestTest {

  static final String MASTER = """
      #EXTM3U
      #EXT-X-VERSION:7
      #EXT-X-INDEPENDENT-SEGMENTS
      #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac-2ch",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/en-2ch/playlist.m3u8"
      #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac-2ch",NAME="Français",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio/fr-2ch/playlist.m3u8"
      #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac-6ch",NAME="Français 5.1",LANGUAGE="fr",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="6",URI="audio/fr-6ch/playlist.m3u8"
      #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,URI="text/en/playlist.m3u8"
      #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Français",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="text/fr/playlist.m3u8"
      #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Deutsch (SDH)",LANGUAGE="de",DEFAULT=NO,AUTOSELECT=YES,CHARACTERISTICS="public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound",URI="text/de-sdh/playlist.m3u8"
      #EXT-X-STREAM-INF:BANDWIDTH=1000000,AVERAGE-BANDWIDTH=900000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=25.000,AUDIO="aac-2ch",SUBTITLES="subs",CLOSED-CAPTIONS=NONE
      video/360p/playlist.m3u8
      #EXT-X-STREAM-INF:BANDWIDTH=1300000,AVERAGE-BANDWIDTH=1100000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=25.000,AUDIO="aac-6ch",SUBTITLES="subs",CLOSED-CAPTIONS=NONE
      video/360p/playlist.m3u8
      #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=120000,CODECS="avc1.64001f",RESOLUTION=640x360,URI="video/360p/iframes.m3u8"
      #EXT-X-IMAGE-STREAM-INF:BANDWIDTH=12000,RESOLUTION=320x180,CODECS="jpeg",URI="thumbs/playlist.m3u8"
      """;

  static final String MPD = """
      <?xml version="1.0" encoding="UTF-8"?>
      <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT20.000S" profiles="urn:mpeg:dash:profile:isoff-live:2011">
        <Period id="0" start="PT0S">
          <AdaptationSet id="0" contentType="video" mimeType="video/mp4">
            <Representation id="360p" codecs="avc1.64001f" bandwidth="900000" width="640" height="360">
              <SegmentTemplate timescale="90000" initialization="video/360p/init.mp4" media="video/360p/seg-$Number%05d$.m4s" startNumber="1"/>
            </Representation>
          </AdaptationSet>
          <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" lang="en">
            <Role schemeIdUri="urn:mpeg:dash:role:2011" value="main"/>
            <Representation id="audio-en-2ch" codecs="mp4a.40.2" bandwidth="128000" audioSamplingRate="48000">
              <AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="2"/>
              <SegmentTemplate timescale="48000" initialization="audio/en-2ch/init.mp4" media="audio/en-2ch/seg-$Number%05d$.m4s" startNumber="1"/>
            </Representation>
          </AdaptationSet>
          <AdaptationSet id="2" contentType="audio" mimeType="audio/mp4" lang="fr">
            <Role schemeIdUri="urn:mpeg:dash:role:2011" value="dub"/>
            <Representation id="audio-fr-6ch" codecs="mp4a.40.2" bandwidth="384000" audioSamplingRate="48000">
              <AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="6"/>
              <SegmentTemplate timescale="48000" initialization="audio/fr-6ch/init.mp4" media="audio/fr-6ch/seg-$Number%05d$.m4s" startNumber="1"/>
            </Representation>
          </AdaptationSet>
          <AdaptationSet id="3" contentType="text" mimeType="text/vtt" lang="fr">
            <Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle"/>
            <Representation id="text-fr" bandwidth="256">
              <BaseURL>text/fr/full.vtt</BaseURL>
            </Representation>
          </AdaptationSet>
          <AdaptationSet id="4" contentType="text" mimeType="text/vtt" lang="de">
            <Role schemeIdUri="urn:mpeg:dash:role:2011" value="caption"/>
            <BaseURL>text/de-sdh/</BaseURL>
            <Representation id="text-de-sdh" bandwidth="256">
              <BaseURL>full.vtt</BaseURL>
            </Representation>
          </AdaptationSet>
          <AdaptationSet id="5" contentType="image" mimeType="image/jpeg">
            <SegmentTemplate media="thumbs/tile-$Number%05d$.jpg" duration="250" startNumber="1"/>
            <Representation id="thumbnails" bandwidth="12000" width="1600" height="900">
              <EssentialProperty schemeIdUri="http://dashif.org/thumbnail_tile" value="5x5"/>
            </Representation>
          </AdaptationSet>
        </Period>
      </MPD>
      """;

  final Map<String, String> pathways = new LinkedHashMap<>();

  TracksManifestTest() {
    pathways.put("a", "http://a:8080/t/tok.en/vod/t1/");
    pathways.put("b", "http://b:8081/t/tok.en/vod/t1/");
  }

  @Test
  void offersEveryAudioAndSubtitleRenditionOnEachPathwayInItsOwnGroup() {
    List<String> out = ManifestRewriter.hlsMaster(MASTER, pathways, "http://a:8080/steering/hls/r").lines().toList();

    for (String pathway : List.of("a", "b")) {
      String base = pathways.get(pathway);
      assertThat(out).contains(
          "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac-2ch-" + pathway + "\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,"
              + "AUTOSELECT=YES,CHANNELS=\"2\",URI=\"" + base + "audio/en-2ch/playlist.m3u8\"",
          "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac-2ch-" + pathway + "\",NAME=\"Français\",LANGUAGE=\"fr\",DEFAULT=NO,"
              + "AUTOSELECT=YES,CHANNELS=\"2\",URI=\"" + base + "audio/fr-2ch/playlist.m3u8\"",
          "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac-6ch-" + pathway + "\",NAME=\"Français 5.1\",LANGUAGE=\"fr\","
              + "DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"6\",URI=\"" + base + "audio/fr-6ch/playlist.m3u8\"",
          "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs-" + pathway + "\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=NO,"
              + "AUTOSELECT=YES,URI=\"" + base + "text/en/playlist.m3u8\"",
          "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs-" + pathway + "\",NAME=\"Français\",LANGUAGE=\"fr\",DEFAULT=NO,"
              + "AUTOSELECT=YES,FORCED=NO,URI=\"" + base + "text/fr/playlist.m3u8\"",
          // Commas inside a quoted attribute (CHARACTERISTICS) survive.
          "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs-" + pathway + "\",NAME=\"Deutsch (SDH)\",LANGUAGE=\"de\","
              + "DEFAULT=NO,AUTOSELECT=YES,CHARACTERISTICS=\"public.accessibility.transcribes-spoken-dialog,"
              + "public.accessibility.describes-music-and-sound\",URI=\"" + base + "text/de-sdh/playlist.m3u8\"");
    }
    assertThat(out.stream().filter(l -> l.startsWith("#EXT-X-MEDIA:"))).hasSize(12);
  }

  @Test
  void pointsEachVariantAtItsPathwaysAudioAndSubtitleGroups() {
    List<String> out = ManifestRewriter.hlsMaster(MASTER, pathways, "http://a:8080/steering/hls/r").lines().toList();

    List<String> variants = out.stream().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).toList();
    assertThat(variants).hasSize(4);
    assertThat(variants).filteredOn(l -> l.endsWith("PATHWAY-ID=\"b\"")).hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("SUBTITLES=\"subs-b\"").contains("CLOSED-CAPTIONS=NONE"))
        .anySatisfy(l -> assertThat(l).contains("AUDIO=\"aac-2ch-b\""))
        .anySatisfy(l -> assertThat(l).contains("AUDIO=\"aac-6ch-b\""));
    // The codecs list (a quoted attribute with a comma) is untouched.
    assertThat(variants).allSatisfy(l -> assertThat(l).contains("CODECS=\"avc1.64001f,mp4a.40.2\""));
    assertThat(out.get(out.indexOf(variants.get(3)) + 1)).isEqualTo("http://b:8081/t/tok.en/vod/t1/video/360p/playlist.m3u8");
    // Every group a variant names is declared on its own pathway.
    for (String variant : variants) {
      String pathway = variant.replaceAll(".*PATHWAY-ID=\"([^\"]+)\".*", "$1");
      for (String group : variant.replaceAll(".*AUDIO=\"([^\"]+)\".*SUBTITLES=\"([^\"]+)\".*", "$1 $2").split(" ")) {
        assertThat(group).endsWith("-" + pathway);
        assertThat(out).anyMatch(l -> l.startsWith("#EXT-X-MEDIA:") && l.contains("GROUP-ID=\"" + group + "\""));
      }
    }
  }

  @Test
  void keepsTheIFrameAndImagePlaylistsOnEachPathway() {
    List<String> out = ManifestRewriter.hlsMaster(MASTER, pathways, "http://a:8080/steering/hls/r").lines().toList();

    assertThat(out).contains(
        "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=120000,CODECS=\"avc1.64001f\",RESOLUTION=640x360,"
            + "URI=\"http://a:8080/t/tok.en/vod/t1/video/360p/iframes.m3u8\",PATHWAY-ID=\"a\"",
        "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=120000,CODECS=\"avc1.64001f\",RESOLUTION=640x360,"
            + "URI=\"http://b:8081/t/tok.en/vod/t1/video/360p/iframes.m3u8\",PATHWAY-ID=\"b\"",
        "#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=12000,RESOLUTION=320x180,CODECS=\"jpeg\","
            + "URI=\"http://a:8080/t/tok.en/vod/t1/thumbs/playlist.m3u8\",PATHWAY-ID=\"a\"",
        "#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=12000,RESOLUTION=320x180,CODECS=\"jpeg\","
            + "URI=\"http://b:8081/t/tok.en/vod/t1/thumbs/playlist.m3u8\",PATHWAY-ID=\"b\"");
    // Nothing is left relative to the page: every URI is on a pathway.
    assertThat(out).filteredOn(l -> l.contains("URI=\"") && !l.startsWith("#EXT-X-CONTENT-STEERING"))
        .allSatisfy(l -> assertThat(l).containsPattern("(?<![A-Z-])URI=\"http://[ab]:808[01]/t/tok\\.en/vod/t1/"));
  }

  @Test
  void keepsAnAbsoluteRenditionUriAsPublished() {
    String master = MASTER.replace("URI=\"text/en/playlist.m3u8\"", "URI=\"https://subtitles.example/en.m3u8\"");
    assertThat(ManifestRewriter.hlsMaster(master, pathways, "s"))
        .contains("GROUP-ID=\"subs-a\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=NO,AUTOSELECT=YES,"
            + "URI=\"https://subtitles.example/en.m3u8\"");
  }

  @Test
  void keepsTheTextAndImageAdaptationSetsAndTheirBaseUrlsUnderEachPathway() {
    String out = ManifestRewriter.dashMpd(MPD, pathways, "http://a:8080/steering/dash/r");

    // One BaseURL per pathway at the MPD's level; the text tracks' BaseURLs stay, relative to it.
    assertThat(out).contains("<BaseURL serviceLocation=\"a\">http://a:8080/t/tok.en/vod/t1/</BaseURL>")
        .contains("<BaseURL serviceLocation=\"b\">http://b:8081/t/tok.en/vod/t1/</BaseURL>")
        .contains("<BaseURL>text/fr/full.vtt</BaseURL>")
        .contains("<BaseURL>text/de-sdh/</BaseURL>")
        .contains("<BaseURL>full.vtt</BaseURL>");
    assertThat(out.lines().filter(l -> l.contains("<BaseURL"))).hasSize(5);
    // Every adaptation set, as published, in order.
    List<String> sets = List.of("contentType=\"video\"", "contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"en\"",
        "contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"fr\"",
        "contentType=\"text\" mimeType=\"text/vtt\" lang=\"fr\"",
        "contentType=\"text\" mimeType=\"text/vtt\" lang=\"de\"", "contentType=\"image\" mimeType=\"image/jpeg\"");
    for (int i = 0; i < sets.size(); i++) {
      assertThat(out).contains("<AdaptationSet id=\"" + i + "\" " + sets.get(i));
    }
    assertThat(out).contains("<AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"6\"/>")
        .contains("<Role schemeIdUri=\"urn:mpeg:dash:role:2011\" value=\"caption\"/>")
        .contains("<EssentialProperty schemeIdUri=\"http://dashif.org/thumbnail_tile\" value=\"5x5\"/>")
        .contains("media=\"thumbs/tile-$Number%05d$.jpg\"");
    // Only the MPD's own element was added to: the period is as published.
    String period = MPD.substring(MPD.indexOf("<Period"));
    assertThat(out).endsWith(period);
    assertThat(out.indexOf("<BaseURL serviceLocation=\"b\">")).isLessThan(out.indexOf("<Period"));
  }

  @Test
  void rewritesTheLicenceUrlOfAProtectedTitleAndKeepsItsTextAndImageSets() {
    String protectedMpd = MPD.replace("<MPD ", "<MPD xmlns:dashif=\"https://dashif.org/\" ")
        .replace("      <Representation id=\"audio-fr-6ch\"", """
                  <ContentProtection schemeIdUri="urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e" value="ClearKey1.0">
                    <dashif:Laurl>../../licence/clearkey</dashif:Laurl>
                  </ContentProtection>
                  <Representation id="audio-fr-6ch\"""");
    String out = ManifestRewriter.dashMpd(protectedMpd, pathways, "s");

    assertThat(out).contains("<dashif:Laurl>http://a:8080/t/tok.en/licence/clearkey</dashif:Laurl>")
        .contains("<BaseURL>text/fr/full.vtt</BaseURL>").contains("<BaseURL>full.vtt</BaseURL>")
        .contains("contentType=\"image\" mimeType=\"image/jpeg\"");
    assertThat(out.lines().filter(l -> l.contains("<BaseURL"))).hasSize(5);
  }
}
