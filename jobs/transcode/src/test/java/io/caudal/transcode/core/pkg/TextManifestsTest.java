package io.caudal.transcode.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.text.TextKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextManifestsTest {
  private static final Track HD = new Track("720p", "video/720p", true, 1280, 720, "avc1.64001f", 90_000, 0, List.of(
      new Segment(1, 0, 180_000, 500_000, 60), new Segment(2, 180_000, 90_000, 250_000, 30)));
  private static final Track SD = new Track("360p", "video/360p", true, 640, 360, "avc1.64001e", 90_000, 0, List.of(
      new Segment(1, 0, 180_000, 200_000, 60), new Segment(2, 180_000, 90_000, 100_000, 30)));
  private static final Track AUDIO = new Track("audio", "audio", false, 0, 0, "mp4a.40.2", 48_000, 2, List.of(
      new Segment(1, 0, 96_256, 32_000, 94), new Segment(2, 96_256, 47_744, 16_000, 47)));
  private static final List<Presentation.TextRendition> TEXT = List.of(
      new Presentation.TextRendition("text-en", "text/en", "en", "English", TextKind.SUBTITLE, 120),
      new Presentation.TextRendition("text-en-sdh", "text/en-sdh", "en", "English (SDH)", TextKind.CAPTION, 150),
      new Presentation.TextRendition("text-fr-forced", "text/fr-forced", "fr", "French (forced)", TextKind.FORCED, 40));

  private static Presentation title() {
    return Presentation.of(List.of(HD, SD), AUDIO, new FrameRate(30, 1)).withText(TEXT);
  }

  @Test
  void hlsListsEverySubtitleRenditionAndEveryVariantNamesTheGroup() {
    String master = HlsWriter.master(title());
    assertThat(master).contains(
        "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=NO,AUTOSELECT=YES,"
            + "FORCED=NO,URI=\"text/en/playlist.m3u8\"\n",
        "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English (SDH)\",LANGUAGE=\"en\",DEFAULT=NO,"
            + "AUTOSELECT=YES,FORCED=NO,CHARACTERISTICS=\"public.accessibility.transcribes-spoken-dialog,"
            + "public.accessibility.describes-music-and-sound\",URI=\"text/en-sdh/playlist.m3u8\"\n",
        "NAME=\"French (forced)\",LANGUAGE=\"fr\",DEFAULT=NO,AUTOSELECT=YES,FORCED=YES,URI=\"text/fr-forced/playlist.m3u8\"");
    List<String> variants = master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF")).toList();
    assertThat(variants).hasSize(2).allSatisfy(v -> assertThat(v).contains(",SUBTITLES=\"subs\""));
  }

  @Test
  void anAudioOnlyTitlesVariantsNameTheGroupToo() {
    String master = HlsWriter.master(Presentation.of(List.of(), AUDIO, null).withText(TEXT));
    assertThat(master).contains("TYPE=SUBTITLES").contains("CODECS=\"mp4a.40.2\",SUBTITLES=\"subs\"\naudio/playlist.m3u8");
  }

  @Test
  void aTitleWithoutTextNamesNoSubtitleGroup() {
    String master = HlsWriter.master(Presentation.of(List.of(HD), AUDIO, new FrameRate(30, 1)));
    assertThat(master).doesNotContain("SUBTITLES");
  }

  @Test
  void dashHasOneValidTextSetPerRenditionWithItsRole() throws Exception {
    String mpd = DashWriter.mpd(title());
    DashSchema.validate(mpd);
    assertThat(mpd).contains("""
            <AdaptationSet id="2" contentType="text" mimeType="text/vtt" lang="en">
              <Label>English</Label>
              <Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle"/>
              <Representation id="text-en" bandwidth="120">
                <BaseURL>text/en/full.vtt</BaseURL>
              </Representation>
            </AdaptationSet>
        """, "value=\"caption\"", "<BaseURL>text/en-sdh/full.vtt</BaseURL>",
        "<AdaptationSet id=\"4\" contentType=\"text\" mimeType=\"text/vtt\" lang=\"fr\">",
        "value=\"forced-subtitle\"");
  }

  @Test
  void protectedTitleKeepsItsTextClearAndValid() throws Exception {
    ManifestProtection protection = new ManifestProtection(io.caudal.schemas.ProtectionScheme.CBCS, java.util.Map.of(
        "720p", new ManifestProtection.Kid("00112233445566778899aabbccddeeff", io.caudal.schemas.TrackClass.HD),
        "360p", new ManifestProtection.Kid("ffeeddccbbaa99887766554433221100", io.caudal.schemas.TrackClass.SD),
        "audio", new ManifestProtection.Kid("0f0e0d0c0b0a09080706050403020100", io.caudal.schemas.TrackClass.AUDIO)));
    String mpd = DashWriter.mpd(title().withProtection(protection));
    DashSchema.validate(mpd);
    // Two video sets (0, 2), audio 1: the text sets follow, each id once.
    assertThat(mpd).contains("<AdaptationSet id=\"3\" contentType=\"text\"", "<AdaptationSet id=\"5\" contentType=\"text\"");
    assertThat(HlsWriter.master(title().withProtection(protection))).contains("SUBTITLES=\"subs\"");
  }
}
