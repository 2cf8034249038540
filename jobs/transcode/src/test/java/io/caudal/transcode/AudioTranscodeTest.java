package io.caudal.transcode;

import static io.caudal.transcode.TranscodeRuns.transcode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.caudal.schemas.AudioTrack;
import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.TitleKeys;
import io.caudal.schemas.TrackClass;
import io.caudal.schemas.protect.MasterKey;
import io.caudal.schemas.protect.TitleKeyStore;
import io.caudal.schemas.Tables;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.spark.LocalSpark;
import io.caudal.transcode.core.audio.Loudness;
import io.caudal.transcode.core.audio.LoudnessMeter;
import io.caudal.transcode.core.media.MediaInput;
import io.caudal.transcode.core.pkg.DashSchema;
import io.caudal.transcode.core.pkg.Track;
import io.caudal.transcode.sample.SampleMaker.Spec;
import io.caudal.transcode.spark.Transcoder;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every audio stream of a source as renditions, normalised in loudness: a source with a quiet
 * English stereo stream (about -35 LUFS) and a loud French 5.1 one (about -8 LUFS), measured back
 * from the packaged segments with FFmpeg's ebur128.
 */
@IntegrationTest
class AudioTranscodeTest {
  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-audio-test");

  private static final double TARGET_LUFS = -24;
  private static final double CEILING_DBTP = -2;

  @TempDir
  Path root;

  @Test
  void everyStreamBecomesRenditionsNormalisedToTheTargetAndListedInBothManifests() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.englishStereoFrench51(), root.toString(), "--max-rungs", "1");
    Path title = root.resolve("vod").resolve(result.titleId());

    assertThat(result.tracks()).filteredOn(t -> !t.video()).extracting(Track::id)
        .containsExactlyInAnyOrder("audio-en-2ch", "audio-fr-2ch", "audio-fr-6ch");
    Map<String, Integer> channels = Map.of("en-2ch", 2, "fr-2ch", 2, "fr-6ch", 6);
    for (Map.Entry<String, Integer> rendition : channels.entrySet()) {
      Path dir = title.resolve("audio").resolve(rendition.getKey());
      assertThat(channelsOf(dir.resolve("init.mp4"))).as(rendition.getKey()).isEqualTo(rendition.getValue());
      Loudness packaged = LoudnessMeter.ofPackaged(wholeTrack(dir), null);
      assertThat(packaged.integratedLufs()).as(rendition.getKey() + " LUFS").isCloseTo(TARGET_LUFS, within(1.0));
      assertThat(packaged.truePeakDbtp()).as(rendition.getKey() + " dBTP").isLessThanOrEqualTo(CEILING_DBTP);
    }

    String master = Files.readString(title.resolve("master.m3u8"));
    assertThat(master).contains(
        "GROUP-ID=\"aac-2ch\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\","
            + "URI=\"audio/en-2ch/playlist.m3u8\"",
        "GROUP-ID=\"aac-2ch\",NAME=\"Français\",LANGUAGE=\"fr\",DEFAULT=NO",
        "GROUP-ID=\"aac-6ch\",NAME=\"Français 5.1\",LANGUAGE=\"fr\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"6\"",
        "AUDIO=\"aac-2ch\"", "AUDIO=\"aac-6ch\"");
    String mpd = Files.readString(title.resolve("manifest.mpd"));
    DashSchema.validate(mpd);
    assertThat(mpd.split("contentType=\"audio\"", -1)).hasSize(1 + 3);
    // FFmpeg's own HLS client opens every rendition the master lists.
    List<PlaybackClient.Played> played = PlaybackClient.playEveryStream(title.resolve("master.m3u8").toString());
    assertThat(played).filteredOn(p -> !p.video()).hasSize(3)
        .allSatisfy(a -> assertThat(a.frames()).isGreaterThanOrEqualTo(6 * 48_000 / 1024));

    CatalogEntry row = TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll().get(0);
    Map<String, AudioTrack> rows = row.getAudioTracks().stream()
        .collect(Collectors.toMap(a -> a.getTrackId().toString(), a -> a));
    assertThat(row.getAudioTracks().get(0).getTrackId().toString()).isEqualTo("audio-en-2ch");
    assertThat(rows.get("audio-en-2ch").getIsDefault()).isTrue();
    assertThat(rows.get("audio-fr-6ch").getChannels()).isEqualTo(6);
    assertThat(rows.get("audio-fr-6ch").getName().toString()).isEqualTo("Français 5.1");
    assertThat(rows.get("audio-en-2ch").getSourceLufs()).isBetween(-38.0, -32.0);
    assertThat(rows.get("audio-fr-2ch").getSourceLufs()).isGreaterThan(-14.0);
    assertThat(rows.values()).allSatisfy(a -> {
      assertThat(a.getOutputLufs()).isCloseTo(TARGET_LUFS, within(1.0));
      assertThat(a.getOutputTruePeakDbtp()).isLessThanOrEqualTo(CEILING_DBTP);
    });
    assertThat(row.getAudioBytes()).isEqualTo(rows.values().stream().mapToLong(AudioTrack::getBytes).sum());

    String report = Files.readString(root.resolve("reports/transcode/" + result.titleId() + "/audio.json"));
    assertThat(report).contains("\"targetLufs\": -24.0", "\"trackId\": \"audio-fr-6ch\"", "\"languageTag\": \"fra\"",
        "\"method\": \"gain\"", "\"before\": {\"integratedLufs\": ", "\"after\": {\"integratedLufs\": ");
  }

  @Test
  void loudnessOffKeepsTheSourcesLevels() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.englishStereoFrench51(), root.toString(), "--max-rungs", "1",
        "--loudness", "off");
    Path title = root.resolve("vod").resolve(result.titleId());
    File source = TestMedia.englishStereoFrench51();

    Loudness english = LoudnessMeter.ofPackaged(wholeTrack(title.resolve("audio/en-2ch")), null);
    Loudness french = LoudnessMeter.ofPackaged(wholeTrack(title.resolve("audio/fr-6ch")), null);

    assertThat(english.integratedLufs()).isCloseTo(LoudnessMeter.ofStream(source, 0, "stereo").integratedLufs(),
        within(0.5)).isLessThan(TARGET_LUFS - 5);
    assertThat(french.integratedLufs()).isCloseTo(LoudnessMeter.ofStream(source, 1, "5.1").integratedLufs(),
        within(0.5)).isGreaterThan(TARGET_LUFS + 5);
    String report = Files.readString(root.resolve("reports/transcode/" + result.titleId() + "/audio.json"));
    assertThat(report).contains("\"normalise\": false", "\"method\": \"off\"").doesNotContain("\"method\": \"gain\"");
  }

  @Test
  void anUntaggedStreamTakesItsLanguageFromTheCommandLine() throws Exception {
    File untagged = TestMedia.get("untagged-4s", Spec.of(4, 160, 90));

    Transcoder.Result result = transcode(SPARK, untagged, root.toString(), "--max-rungs", "1", "--audio-lang", "0=ger");

    assertThat(result.tracks()).filteredOn(t -> !t.video()).extracting(Track::id).containsExactly("audio-de-2ch");
    String master = Files.readString(root.resolve("vod").resolve(result.titleId()).resolve("master.m3u8"));
    assertThat(master).contains("NAME=\"Deutsch\",LANGUAGE=\"de\",DEFAULT=YES");
  }

  @Test
  void aLanguageForAStreamTheSourceLacksIsRefusedAndNothingIsPublished() throws Exception {
    File untagged = TestMedia.get("untagged-4s", Spec.of(4, 160, 90));

    assertThatThrownBy(() -> transcode(SPARK, untagged, root.toString(), "--audio-lang", "2=fr"))
        .isInstanceOf(TranscodeException.class)
        .hasMessageEndingWith("--audio-lang 2=fr names audio stream 2, but the source has 1 audio stream (0-0)");
    assertThat(TranscodeRuns.filesUnder(root.resolve("vod"))).isEmpty();
  }

  @Test
  void aProtectedTitlesAudioRenditionsAllUseTheAudioKeyAndAreMeasuredDecrypted() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.englishStereoFrench51(), root.toString(), "--max-rungs", "1",
        "--protect", "cbcs");
    Path title = root.resolve("vod").resolve(result.titleId());

    TitleKeys stored = new TitleKeyStore(root.toString(), new Configuration()).read(result.titleId()).orElseThrow();
    assertThat(stored.getKeys()).extracting(k -> k.getTrackClass()).containsExactly(TrackClass.AUDIO, TrackClass.SD);
    String audioKid = stored.getKeys().get(0).getKid().toString();
    byte[] audioKey = MasterKey.resolve(root.toString(), null, null).unwrap(stored).get(audioKid);
    for (String rendition : List.of("en-2ch", "fr-2ch", "fr-6ch")) {
      Path dir = title.resolve("audio").resolve(rendition);
      assertThat(HexFormat.of().formatHex(Files.readAllBytes(dir.resolve("init.mp4")))).as(rendition).contains(audioKid);
      Loudness packaged = LoudnessMeter.ofPackaged(wholeTrack(dir), audioKey);
      assertThat(packaged.integratedLufs()).as(rendition).isCloseTo(TARGET_LUFS, within(1.0));
    }
    String master = Files.readString(title.resolve("master.m3u8"));
    assertThat(master.split("#EXT-X-SESSION-KEY:", -1)).hasSize(1 + 2);
    DashSchema.validate(Files.readString(title.resolve("manifest.mpd")));
    CatalogEntry row = TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll().get(0);
    assertThat(row.getAudioTracks()).hasSize(3)
        .allSatisfy(a -> assertThat(a.getOutputLufs()).isCloseTo(TARGET_LUFS, within(1.0)));
  }

  private static int channelsOf(Path init) {
    try (MediaInput input = MediaInput.ownOutput(init.toString())) {
      return input.format().streams(0).codecpar().ch_layout().nb_channels();
    }
  }

  /** A rendition's init segment and every media segment, in order, as one file a decoder reads. */
  private static File wholeTrack(Path dir) throws IOException {
    File whole = Files.createTempFile("caudal-audio", ".mp4").toFile();
    whole.deleteOnExit();
    try (OutputStream out = Files.newOutputStream(whole.toPath());
        var segments = Files.list(dir)) {
      out.write(Files.readAllBytes(dir.resolve("init.mp4")));
      for (Path s : segments.filter(p -> p.getFileName().toString().endsWith(".m4s")).sorted().toList()) {
        out.write(Files.readAllBytes(s));
      }
    }
    return whole;
  }
}
