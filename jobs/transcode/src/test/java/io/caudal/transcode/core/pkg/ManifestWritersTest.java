package io.caudal.transcode.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.transcode.core.plan.FrameRate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestWritersTest {
  private static final FrameRate FPS30 = new FrameRate(30, 1);
  private static final int TS = 90_000;

  /** 720p: 4 s segments of 1.5 MB, 2.5 MB (the peak) and a 2 s tail. */
  private static final Track HD = new Track("720p", "video/720p", true, 1280, 720, "avc1.64001f", TS, 0, List.of(
      new Segment(1, 0, 360_000, 1_500_000, 120),
      new Segment(2, 360_000, 360_000, 2_500_000, 120),
      new Segment(3, 720_000, 180_000, 500_000, 60)));
  private static final Track SD = new Track("360p", "video/360p", true, 640, 360, "avc1.64001e", TS, 0, List.of(
      new Segment(1, 0, 360_000, 500_000, 120),
      new Segment(2, 360_000, 360_000, 500_000, 120),
      new Segment(3, 720_000, 180_000, 250_000, 60)));
  private static final Track AUDIO = new Track("audio", "audio", false, 0, 0, "mp4a.40.2", 48_000, 2, List.of(
      new Segment(1, 0, 192_512, 64_000, 188),
      new Segment(2, 192_512, 191_488, 64_000, 187),
      new Segment(3, 384_000, 96_256, 32_000, 94)));

  @Test
  void masterStatesMeasuredPeakAndAverageIncludingAudio() {
    String master = HlsWriter.master(Presentation.of(List.of(HD, SD), AUDIO, FPS30));

    long peak = (long) Math.ceil(2_500_000 * 8 / 4.0) + AUDIO.peakBitsPerSecond();
    long average = (long) Math.ceil(4_500_000 * 8 / 10.0) + AUDIO.averageBitsPerSecond();
    assertThat(master).contains("#EXT-X-STREAM-INF:BANDWIDTH=" + peak + ",AVERAGE-BANDWIDTH=" + average
        + ",CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=30.000,AUDIO=\"aac-2ch\"\nvideo/720p/playlist.m3u8\n");
    assertThat(master).contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac-2ch\"").contains("URI=\"audio/playlist.m3u8\"");
    assertThat(master).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n").contains("#EXT-X-INDEPENDENT-SEGMENTS");
    assertThat(master).doesNotContain("EXT-X-CONTENT-STEERING");
  }

  @Test
  void audioOnlyTitleIsOneAudioVariant() {
    String master = HlsWriter.master(Presentation.of(List.of(), AUDIO, null));

    assertThat(master).contains("CODECS=\"mp4a.40.2\"\naudio/playlist.m3u8").doesNotContain("EXT-X-MEDIA:");
  }

  @Test
  void mediaPlaylistIsVodWithInitMapExactDurationsAndEndList() {
    String playlist = HlsWriter.media(HD);

    assertThat(playlist).contains("#EXT-X-TARGETDURATION:4\n", "#EXT-X-PLAYLIST-TYPE:VOD\n",
        "#EXT-X-MAP:URI=\"init.mp4\"\n", "#EXTINF:4.000000,\nseg-00001.m4s\n", "#EXTINF:2.000000,\nseg-00003.m4s\n");
    assertThat(playlist).endsWith("#EXT-X-ENDLIST\n");
  }

  @Test
  void targetDurationCoversTheLongestRoundedSegment() {
    Track odd = new Track("a", "a", true, 2, 2, "avc1.640015", 1000, 0, List.of(
        new Segment(1, 0, 4_600, 1, 1), new Segment(2, 4_600, 4_000, 1, 1)));

    assertThat(HlsWriter.media(odd)).contains("#EXT-X-TARGETDURATION:5\n");
  }

  @Test
  void mpdUsesOneTimelinePerRepresentationOverTheSameFiles() {
    String mpd = DashWriter.mpd(Presentation.of(List.of(HD, SD), AUDIO, FPS30));

    assertThat(mpd).contains("type=\"static\"", "mediaPresentationDuration=\"PT10.005S\"",
        "<Representation id=\"720p\" codecs=\"avc1.64001f\" bandwidth=\"" + HD.peakBitsPerSecond()
            + "\" width=\"1280\" height=\"720\"",
        "initialization=\"video/720p/init.mp4\" media=\"video/720p/seg-$Number%05d$.m4s\" startNumber=\"1\"",
        "<S t=\"0\" d=\"360000\" r=\"1\"/>\n", "<S t=\"720000\" d=\"180000\"/>",
        "<S t=\"192512\" d=\"191488\"/>", "value=\"2\"");
    assertThat(mpd).doesNotContain("ContentSteering");
  }

  /** English stereo, French 5.1 and its stereo downmix, as the job makes them from two streams. */
  private static Presentation englishAndFrench51() {
    Track english = audio("audio-en-2ch", 2, 64_000);
    Track frenchSurround = audio("audio-fr-6ch", 6, 192_000);
    Track frenchStereo = audio("audio-fr-2ch", 2, 70_000);
    return new Presentation(List.of(HD, SD), List.of(
        new Presentation.AudioRendition(english, "en", "English", true),
        new Presentation.AudioRendition(frenchSurround, "fr", "Français 5.1", false),
        new Presentation.AudioRendition(frenchStereo, "fr", "Français", false)), FPS30, ManifestProtection.CLEAR,
        List.of(), io.caudal.transcode.core.trick.ThumbnailTrack.NONE);
  }

  private static Track audio(String id, int channels, long bytesPerSegment) {
    return new Track(id, "audio/" + id.substring("audio-".length()), false, 0, 0, "mp4a.40.2", 48_000, channels,
        List.of(new Segment(1, 0, 192_512, bytesPerSegment, 188),
            new Segment(2, 192_512, 191_488, bytesPerSegment, 187),
            new Segment(3, 384_000, 96_256, bytesPerSegment / 2, 94)));
  }

  @Test
  void hlsHasOneAudioGroupPerChannelCountAndEveryVariantOncePerGroup() {
    Presentation title = englishAndFrench51();
    Track english = title.audio().get(0).track();
    Track frenchSurround = title.audio().get(1).track();
    Track frenchStereo = title.audio().get(2).track();

    String master = HlsWriter.master(title);

    assertThat(master).contains(
        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac-2ch\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,AUTOSELECT=YES,"
            + "CHANNELS=\"2\",URI=\"audio/en-2ch/playlist.m3u8\"\n",
        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac-2ch\",NAME=\"Français\",LANGUAGE=\"fr\",DEFAULT=NO,AUTOSELECT=YES,"
            + "CHANNELS=\"2\",URI=\"audio/fr-2ch/playlist.m3u8\"\n",
        // The only rendition of its group is that group's default.
        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac-6ch\",NAME=\"Français 5.1\",LANGUAGE=\"fr\",DEFAULT=YES,"
            + "AUTOSELECT=YES,CHANNELS=\"6\",URI=\"audio/fr-6ch/playlist.m3u8\"\n");
    // Each rung once per group, its bandwidth counting the largest audio of that group.
    long stereoPeak = Math.max(english.peakBitsPerSecond(), frenchStereo.peakBitsPerSecond());
    assertThat(master).contains(
        "#EXT-X-STREAM-INF:BANDWIDTH=" + (HD.peakBitsPerSecond() + stereoPeak) + ",",
        "#EXT-X-STREAM-INF:BANDWIDTH=" + (HD.peakBitsPerSecond() + frenchSurround.peakBitsPerSecond()) + ",");
    assertThat(master.split("#EXT-X-STREAM-INF", -1)).hasSize(1 + 2 * 2);
    assertThat(master.split("AUDIO=\"aac-2ch\"", -1)).hasSize(1 + 2);
    assertThat(master.split("AUDIO=\"aac-6ch\"", -1)).hasSize(1 + 2);
    // Stereo variants first: a player that takes the first variant gets audio it surely plays.
    assertThat(master.indexOf("AUDIO=\"aac-2ch\"")).isLessThan(master.indexOf("AUDIO=\"aac-6ch\""));
    assertThat(master.split("DEFAULT=YES", -1)).hasSize(1 + 2);
  }

  @Test
  void dashHasOneValidAdaptationSetPerRenditionWithLanguageRoleLabelAndChannels() throws Exception {
    String mpd = DashWriter.mpd(englishAndFrench51());

    DashSchema.validate(mpd);
    assertThat(mpd.split("contentType=\"audio\"", -1)).hasSize(1 + 3);
    assertThat(mpd).contains("lang=\"en\"", "lang=\"fr\"", "<Label>English</Label>", "<Label>Français 5.1</Label>",
        "<Label>Français</Label>", "media=\"audio/fr-6ch/seg-$Number%05d$.m4s\"");
    assertThat(mpd.split("value=\"main\"/>", -1)).hasSize(1 + 1);
    assertThat(mpd.split("value=\"alternate\"/>", -1)).hasSize(1 + 2);
    assertThat(mpd).contains("audio_channel_configuration:2011\" value=\"6\"/>")
        .contains("audio_channel_configuration:2011\" value=\"2\"/>");
    int english = mpd.indexOf("<Label>English</Label>");
    assertThat(mpd.indexOf("value=\"main\"/>")).isGreaterThan(english);
  }

  @Test
  void aNameWithAQuoteStaysOneHlsAttributeAndIsEscapedInTheMpd() throws Exception {
    Track t = audio("audio-en-2ch", 2, 64_000);
    Presentation title = new Presentation(List.of(HD), List.of(
        new Presentation.AudioRendition(t, "en", "Director's \"cut\" <commentary>", true)), FPS30,
        ManifestProtection.CLEAR, List.of(),
        io.caudal.transcode.core.trick.ThumbnailTrack.NONE);

    assertThat(HlsWriter.master(title)).contains("NAME=\"Director's 'cut' <commentary>\",");
    String mpd = DashWriter.mpd(title);
    DashSchema.validate(mpd);
    assertThat(mpd).contains("<Label>Director's &quot;cut&quot; &lt;commentary&gt;</Label>");
  }

  @Test
  void everyCodecGetsItsVariantsAndItsOwnDashAdaptationSet() throws Exception {
    Track hdAv1 = new Track("720p-av1", "video/720p-av1", true, 1280, 720, "av01.0.05M.08", TS, 0, HD.segments());
    Track sdAv1 = new Track("360p-av1", "video/360p-av1", true, 640, 360, "av01.0.01M.08", TS, 0, SD.segments());
    Presentation title = Presentation.of(List.of(HD, SD, hdAv1, sdAv1), AUDIO, FPS30);

    String master = HlsWriter.master(title);
    assertThat(master).contains("CODECS=\"av01.0.05M.08,mp4a.40.2\",RESOLUTION=1280x720")
        .contains("CODECS=\"av01.0.01M.08,mp4a.40.2\",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO=\"aac-2ch\"\n"
            + "video/360p-av1/playlist.m3u8\n");
    assertThat(master.indexOf("video/360p/playlist")).isLessThan(master.indexOf("video/720p-av1/playlist"));

    String mpd = DashWriter.mpd(title);
    DashSchema.validate(mpd);
    String h264 = mpd.substring(mpd.indexOf("<AdaptationSet id=\"0\""), mpd.indexOf("</AdaptationSet>"));
    String av1 = mpd.substring(mpd.indexOf("<AdaptationSet id=\"2\""));
    assertThat(h264).contains("id=\"720p\"", "id=\"360p\"").doesNotContain("av01");
    assertThat(av1.substring(0, av1.indexOf("</AdaptationSet>"))).contains("id=\"720p-av1\" codecs=\"av01.0.05M.08\"",
        "id=\"360p-av1\" codecs=\"av01.0.01M.08\"").doesNotContain("avc1").doesNotContain("adaptation-set-switching");
    assertThat(mpd).contains("<AdaptationSet id=\"1\" contentType=\"audio\"");
  }
}
