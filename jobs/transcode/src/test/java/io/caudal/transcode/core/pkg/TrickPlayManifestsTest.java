package io.caudal.transcode.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.TrackClass;
import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.trick.ThumbnailTrack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** I-frame playlists, the thumbnails' image playlist and their entries in the master and the MPD. */
class TrickPlayManifestsTest {
  private static final FrameRate FPS30 = new FrameRate(30, 1);
  private static final int TS = 90_000;

  /** 720p: 4 s, 4 s and 2 s segments whose IDRs (with their moofs) are 60 kB, 80 kB and 20 kB. */
  private static final Track HD = new Track("720p", "video/720p", true, 1280, 720, "avc1.64001f", TS, 0, List.of(
      new Segment(1, 0, 360_000, 1_500_000, 120, 60_000),
      new Segment(2, 360_000, 360_000, 2_500_000, 120, 80_000),
      new Segment(3, 720_000, 180_000, 500_000, 60, 20_000)));
  private static final Track AUDIO = new Track("audio", "audio", false, 0, 0, "mp4a.40.2", 48_000, 2, List.of(
      new Segment(1, 0, 192_000, 64_000, 188), new Segment(2, 192_000, 192_000, 64_000, 188),
      new Segment(3, 384_000, 96_000, 32_000, 94)));
  /** 10 s of thumbnails every 2 s: 5 of 160x90 in 2x2 sprites, the second holding one. */
  private static final ThumbnailTrack THUMBS = new ThumbnailTrack(2_000, 160, 90, 2, 2, 5, List.of(40_000L, 12_000L));

  @Test
  void everyRungGetsAnIFramePlaylistWhoseRangesCoverEachSegmentsMoofAndIdr() {
    String iframes = HlsWriter.iframes(HD, ManifestProtection.CLEAR);

    assertThat(iframes).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n")
        .contains("#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-I-FRAMES-ONLY\n", "#EXT-X-MAP:URI=\"init.mp4\"\n")
        .contains("#EXTINF:4.000000,\n#EXT-X-BYTERANGE:60000@0\nseg-00001.m4s\n",
            "#EXTINF:4.000000,\n#EXT-X-BYTERANGE:80000@0\nseg-00002.m4s\n",
            "#EXTINF:2.000000,\n#EXT-X-BYTERANGE:20000@0\nseg-00003.m4s\n")
        .endsWith("#EXT-X-ENDLIST\n").doesNotContain("EXT-X-KEY");
  }

  @Test
  void theMasterListsEachIFrameStreamWithThePeakOfItsKeyFrameBytesOverTheirDurations() {
    String master = HlsWriter.master(Presentation.of(List.of(HD), AUDIO, FPS30));

    // Peak: 80 kB over 4 s; average: 160 kB over 10 s.
    assertThat(master).contains("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=160000,AVERAGE-BANDWIDTH=128000,"
        + "CODECS=\"avc1.64001f\",RESOLUTION=1280x720,URI=\"video/720p/iframes.m3u8\"\n");
    assertThat(master).doesNotContain("EXT-X-IMAGE-STREAM-INF");
  }

  @Test
  void aRungWithoutMeasuredKeyFramesGetsNoIFrameStream() {
    Track unmeasured = new Track("360p", "video/360p", true, 640, 360, "avc1.64001e", TS, 0, List.of(
        new Segment(1, 0, 360_000, 500_000, 120)));

    assertThat(HlsWriter.hasIFrames(unmeasured)).isFalse();
    assertThat(HlsWriter.master(Presentation.of(List.of(unmeasured), AUDIO, FPS30)))
        .doesNotContain("EXT-X-I-FRAME-STREAM-INF");
  }

  @Test
  void aProtectedRungsIFramePlaylistCarriesTheKeyOfItsMediaPlaylist() {
    ManifestProtection cbcs = new ManifestProtection(ProtectionScheme.CBCS, Map.of(
        "720p", new ManifestProtection.Kid("00112233445566778899aabbccddeeff", TrackClass.HD),
        "audio", new ManifestProtection.Kid("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", TrackClass.AUDIO)));

    String iframes = HlsWriter.iframes(HD, cbcs);
    String media = HlsWriter.media(HD, cbcs);

    String key = media.lines().filter(l -> l.startsWith("#EXT-X-KEY:")).findFirst().orElseThrow();
    assertThat(key).contains("METHOD=SAMPLE-AES");
    assertThat(iframes).contains(key + "\n#EXT-X-MAP:URI=\"init.mp4\"\n");
  }

  @Test
  void thumbnailsAreAnImageMediaPlaylistOfSpritesEachLastingItsThumbnails() {
    String images = HlsWriter.images(THUMBS);

    assertThat(images).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:8\n")
        .contains("#EXT-X-IMAGES-ONLY\n")
        .contains("#EXTINF:8.000,\n#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=2x2,DURATION=2.000\ntile-00001.jpg\n")
        .contains("#EXTINF:2.000,\n#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=2x2,DURATION=2.000\ntile-00002.jpg\n")
        .endsWith("#EXT-X-ENDLIST\n");
  }

  @Test
  void theMasterListsTheImageStreamAtTheSpritesSize() {
    String master = HlsWriter.master(Presentation.of(List.of(HD), AUDIO, FPS30).withThumbnails(THUMBS));

    // Peak: the first sprite's 40 kB over the 8 s its four thumbnails cover (the second: 12 kB over 2 s).
    assertThat(THUMBS.peakBitsPerSecond()).isEqualTo(48_000);
    assertThat(master).contains("#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=48000,RESOLUTION=320x180,CODECS=\"jpeg\","
        + "URI=\"thumbs/playlist.m3u8\"\n");
  }

  @Test
  void theMpdHasAThumbnailTileSetAsDashJsReadsItAndStaysValid() throws Exception {
    String mpd = DashWriter.mpd(Presentation.of(List.of(HD), AUDIO, FPS30).withThumbnails(THUMBS));

    DashSchema.validate(mpd);
    String set = mpd.substring(mpd.indexOf("<AdaptationSet id=\"2\""), mpd.indexOf("</Period>"));
    assertThat(set).startsWith("<AdaptationSet id=\"2\" contentType=\"image\" mimeType=\"image/jpeg\">")
        .contains("<SegmentTemplate media=\"thumbs/tile-$Number%05d$.jpg\" duration=\"8000\" timescale=\"1000\""
            + " startNumber=\"1\"/>")
        .contains("<Representation id=\"thumbnails\" bandwidth=\"48000\" width=\"320\" height=\"180\">\n"
            + "        <EssentialProperty schemeIdUri=\"http://dashif.org/thumbnail_tile\" value=\"2x2\"/>\n");
    assertThat(set.split("http://dashif.org/thumbnail_tile", -1)).hasSize(3);
  }

  @Test
  void aProtectedMpdWithSdAndHdSetsGivesTheThumbnailsAnIdOfTheirOwn() throws Exception {
    Track sd = new Track("360p", "video/360p", true, 640, 360, "avc1.64001e", TS, 0, HD.segments());
    ManifestProtection cenc = new ManifestProtection(ProtectionScheme.CENC, Map.of(
        "720p", new ManifestProtection.Kid("00112233445566778899aabbccddeeff", TrackClass.HD),
        "360p", new ManifestProtection.Kid("0f0e0d0c0b0a09080706050403020100", TrackClass.SD),
        "audio", new ManifestProtection.Kid("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", TrackClass.AUDIO)));

    String mpd = DashWriter.mpd(Presentation.of(List.of(HD, sd), AUDIO, FPS30).withProtection(cenc)
        .withThumbnails(THUMBS));

    DashSchema.validate(mpd);
    assertThat(mpd).contains("<AdaptationSet id=\"0\" contentType=\"video\"", "<AdaptationSet id=\"2\" contentType=\"video\"",
        "<AdaptationSet id=\"1\" contentType=\"audio\"", "<AdaptationSet id=\"3\" contentType=\"image\"");
    // Sprites are clear JPEGs: no ContentProtection in their set.
    assertThat(mpd.substring(mpd.indexOf("contentType=\"image\""))).doesNotContain("ContentProtection");
  }

  @Test
  void anAudioOnlyTitleGetsNoTrickPlay() {
    Presentation audioOnly = Presentation.of(List.of(), AUDIO, null).withThumbnails(THUMBS);

    assertThat(HlsWriter.master(audioOnly)).doesNotContain("I-FRAME", "IMAGE");
    assertThat(DashWriter.mpd(audioOnly)).doesNotContain("image/jpeg");
  }
}
