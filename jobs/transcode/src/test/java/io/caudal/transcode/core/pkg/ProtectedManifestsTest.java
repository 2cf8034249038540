package io.caudal.transcode.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.TrackClass;
import io.caudal.transcode.core.plan.FrameRate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifests of protected titles, on hand-made tracks, and MPEG's schema over every MPD we write. */
class ProtectedManifestsTest {
  private static final FrameRate FPS30 = new FrameRate(30, 1);
  private static final String HD_KID = "00112233445566778899aabbccddeeff";
  private static final String SD_KID = "0f0e0d0c0b0a09080706050403020100";
  private static final String AUDIO_KID = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf";

  private static final Track HD = video("720p", 1280, 720);
  private static final Track SD_HIGH = video("540p", 960, 540);
  private static final Track SD_LOW = video("360p", 640, 360);
  private static final Track AUDIO = new Track("audio", "audio", false, 0, 0, "mp4a.40.2", 48_000, 2, List.of(
      new Segment(1, 0, 192_000, 64_000, 188), new Segment(2, 192_000, 96_000, 32_000, 94)));

  private static final ManifestProtection CBCS = new ManifestProtection(ProtectionScheme.CBCS, Map.of(
      "720p", new ManifestProtection.Kid(HD_KID, TrackClass.HD),
      "540p", new ManifestProtection.Kid(SD_KID, TrackClass.SD),
      "360p", new ManifestProtection.Kid(SD_KID, TrackClass.SD),
      "audio", new ManifestProtection.Kid(AUDIO_KID, TrackClass.AUDIO)));

  private static Track video(String id, int w, int h) {
    return new Track(id, "video/" + id, true, w, h, "avc1.64001f", 90_000, 0, List.of(
        new Segment(1, 0, 360_000, 1_000_000, 120), new Segment(2, 360_000, 180_000, 400_000, 60)));
  }

  @Test
  void dashSplitsSdAndHdIntoSwitchableSetsEachWithItsKeyIdAndTheClearKeyLicenceUrl() throws Exception {
    String mpd = DashWriter.mpd(Presentation.of(List.of(HD, SD_HIGH, SD_LOW), AUDIO, FPS30).withProtection(CBCS));

    DashSchema.validate(mpd);
    assertThat(mpd).contains("xmlns:cenc=\"urn:mpeg:cenc:2013\"", "xmlns:dashif=\"https://dashif.org/CPS\"");
    assertThat(mpd.split("<AdaptationSet ", -1)).hasSize(4);
    assertThat(mpd).contains("<AdaptationSet id=\"0\" contentType=\"video\"", "<AdaptationSet id=\"2\" contentType=\"video\"",
        "<AdaptationSet id=\"1\" contentType=\"audio\"");
    String hdSet = mpd.substring(mpd.indexOf("<AdaptationSet id=\"0\""), mpd.indexOf("<AdaptationSet id=\"2\""));
    assertThat(hdSet)
        .contains("<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cbcs\""
            + " cenc:default_KID=\"00112233-4455-6677-8899-aabbccddeeff\"/>")
        .contains("<ContentProtection schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\"")
        .contains("<dashif:Laurl>../../licence/clearkey</dashif:Laurl>")
        .contains("<SupplementalProperty schemeIdUri=\"urn:mpeg:dash:adaptation-set-switching:2016\" value=\"2\"/>")
        .contains("<Representation id=\"720p\"").doesNotContain("<Representation id=\"540p\"");
    String sdSet = mpd.substring(mpd.indexOf("<AdaptationSet id=\"2\""), mpd.indexOf("<AdaptationSet id=\"1\""));
    assertThat(sdSet).contains("cenc:default_KID=\"0f0e0d0c-0b0a-0908-0706-050403020100\"", "value=\"0\"/>",
        "<Representation id=\"540p\"", "<Representation id=\"360p\"");
    assertThat(mpd.substring(mpd.indexOf("<AdaptationSet id=\"1\""))).contains("a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf");
  }

  @Test
  void aClearTitleKeepsOneVideoSetAndNoProtection() throws Exception {
    String mpd = DashWriter.mpd(Presentation.of(List.of(HD, SD_HIGH, SD_LOW), AUDIO, FPS30));

    DashSchema.validate(mpd);
    assertThat(mpd).doesNotContain("ContentProtection", "xmlns:cenc", "adaptation-set-switching");
    assertThat(mpd.split("<AdaptationSet ", -1)).hasSize(3);
  }

  @Test
  void aProtectedTitleWithOneVideoClassKeepsOneVideoSet() throws Exception {
    String mpd = DashWriter.mpd(Presentation.of(List.of(SD_HIGH, SD_LOW), AUDIO, FPS30).withProtection(
        new ManifestProtection(ProtectionScheme.CENC, Map.of(
            "540p", new ManifestProtection.Kid(SD_KID, TrackClass.SD),
            "360p", new ManifestProtection.Kid(SD_KID, TrackClass.SD),
            "audio", new ManifestProtection.Kid(AUDIO_KID, TrackClass.AUDIO)))));

    DashSchema.validate(mpd);
    assertThat(mpd.split("<AdaptationSet ", -1)).hasSize(3);
    assertThat(mpd).contains("value=\"cenc\"").doesNotContain("adaptation-set-switching");
  }

  @Test
  void hlsMediaPlaylistsCarryTheirKeyBeforeTheMapAndTheMasterEverySessionKeyOnce() {
    String playlist = HlsWriter.media(SD_LOW, CBCS);
    String master = HlsWriter.master(Presentation.of(List.of(HD, SD_HIGH, SD_LOW), AUDIO, FPS30).withProtection(CBCS));

    // The key id 0f0e…00 as base64, in a data URI hls.js reads the ClearKey key id from.
    String sdKey = "METHOD=SAMPLE-AES,URI=\"data:text/plain;base64,Dw4NDAsKCQgHBgUEAwIBAA==\","
        + "KEYFORMAT=\"org.w3.clearkey\",KEYFORMATVERSIONS=\"1\"";
    assertThat(playlist).contains("#EXT-X-KEY:" + sdKey + "\n#EXT-X-MAP:URI=\"init.mp4\"\n");
    assertThat(master.split("#EXT-X-SESSION-KEY:", -1)).hasSize(4);
    assertThat(master).contains("#EXT-X-SESSION-KEY:" + sdKey + "\n");
    assertThat(HlsWriter.media(AUDIO, new ManifestProtection(ProtectionScheme.CENC, CBCS.kids())))
        .contains("#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,");
    assertThat(HlsWriter.media(SD_LOW)).doesNotContain("EXT-X-KEY");
  }
}
