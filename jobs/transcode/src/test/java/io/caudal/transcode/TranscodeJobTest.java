package io.caudal.transcode;

import static io.caudal.transcode.TranscodeRuns.filesUnder;
import static io.caudal.transcode.TranscodeRuns.transcode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.spark.LocalSpark;
import io.caudal.transcode.core.mp4.Fmp4;
import io.caudal.transcode.core.pkg.Track;
import io.caudal.transcode.sample.SampleMaker.Spec;
import io.caudal.transcode.spark.Transcoder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on Spark local[2], real FFmpeg, a local root. */
@IntegrationTest
class TranscodeJobTest {
  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-transcode-test");

  @TempDir
  Path root;

  @Test
  void publishesHlsAndDashThatARealClientPlaysOnEveryRung() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.standard(), root.toString());

    assertThat(result.published()).isTrue();
    Path title = root.resolve("vod").resolve(result.titleId());
    assertThat(filesUnder(title)).contains("master.m3u8", "manifest.mpd", "audio/und-2ch/init.mp4", "audio/und-2ch/playlist.m3u8",
        "video/360p/init.mp4", "video/360p/seg-00001.m4s", "video/360p/seg-00003.m4s", "video/268p/playlist.m3u8",
        "video/216p/playlist.m3u8");
    assertThat(filesUnder(title)).noneMatch(f -> f.endsWith(".crc"));
    io.caudal.transcode.core.pkg.DashSchema.validate(Files.readString(title.resolve("manifest.mpd")));
    for (String manifest : List.of("master.m3u8", "manifest.mpd")) {
      List<PlaybackClient.Played> streams = PlaybackClient.playEveryStream(title.resolve(manifest).toString());
      List<PlaybackClient.Played> video = streams.stream().filter(PlaybackClient.Played::video).toList();
      assertThat(video).as(manifest).extracting(PlaybackClient.Played::height).containsExactlyInAnyOrder(360, 268, 216);
      assertThat(video).as(manifest).allSatisfy(v -> {
        assertThat(v.frames()).isEqualTo(180);
        assertThat(v.errors()).isZero();
      });
      assertThat(streams).as(manifest).filteredOn(s -> !s.video()).singleElement()
          .satisfies(a -> assertThat(a.frames()).isGreaterThanOrEqualTo(6 * 48_000 / 1024));
    }
  }

  @Test
  void everyRungHasTheSameSegmentBoundariesAndEachStartsWithAnIdr() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.standard(), root.toString());
    Path title = root.resolve("vod").resolve(result.titleId());

    List<List<Long>> boundaries = new ArrayList<>();
    for (String rung : List.of("360p", "268p", "216p")) {
      List<Long> starts = new ArrayList<>();
      for (int n = 1; n <= 3; n++) {
        byte[] init = Files.readAllBytes(title.resolve("video/" + rung + "/init.mp4"));
        byte[] segment = Files.readAllBytes(title.resolve(String.format("video/%s/seg-%05d.m4s", rung, n)));
        Fmp4.Fragment fragment = Fmp4.parse(concat(init, segment)).fragments().get(0);
        assertThat(fragment.startsWithSync()).isTrue();
        starts.add(fragment.decodeTime());
      }
      boundaries.add(starts);
    }
    assertThat(boundaries.get(0)).containsExactly(0L, 180_000L, 360_000L).isEqualTo(boundaries.get(1)).isEqualTo(boundaries.get(2));
    String playlist = Files.readString(title.resolve("video/360p/playlist.m3u8"));
    assertThat(playlist).contains("#EXT-X-TARGETDURATION:2", "#EXTINF:2.000000,", "#EXT-X-ENDLIST");
  }

  @Test
  void addsOneCatalogRowAndARerunOfTheSameContentPublishesNothingNew() throws Exception {
    Transcoder.Result first = transcode(SPARK, TestMedia.standard(), root.toString());
    Transcoder.Result again = transcode(SPARK, TestMedia.standard(), root.toString());

    assertThat(again.published()).isFalse();
    assertThat(again.titleId()).isEqualTo(first.titleId());
    assertThat(filesUnder(root.resolve("tables/catalog"))).containsExactly(first.titleId() + ".parquet");
    List<CatalogEntry> rows = TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll();
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.getTitleId()).isEqualTo(first.titleId());
      assertThat(row.getName()).isEqualTo("standard.mp4");
      assertThat(row.getCategory()).isEqualTo("test");
      assertThat(row.getDurationMs()).isBetween(6_000L, 6_050L);
      assertThat(row.getRatingCount()).isZero();
      assertThat(row.getRatingAverage()).isNull();
      assertThat(row.getLadder()).extracting(io.caudal.schemas.Rung::getRungId).containsExactly("360p", "268p", "216p");
      Track hd = first.tracks().get(0);
      assertThat(row.getLadder().get(0).getBytes()).isEqualTo(hd.bytes());
      assertThat(row.getLadder().get(0).getPeakKbps()).isGreaterThanOrEqualTo(row.getLadder().get(0).getAverageKbps());
      assertThat(row.getAudioBytes()).isPositive();
    });
  }

  @Test
  void audioOnlyTitleTranscodes() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.get("audio-only", Spec.of(5, 320, 180).withoutVideo()),
        root.toString());

    Path title = root.resolve("vod").resolve(result.titleId());
    assertThat(result.tracks()).extracting(Track::id).containsExactly("audio-und-2ch");
    assertThat(Files.readString(title.resolve("master.m3u8"))).contains("CODECS=\"mp4a.40.2\"");
    assertThat(PlaybackClient.playEveryStream(title.resolve("manifest.mpd").toString())).singleElement()
        .satisfies(a -> assertThat(a.video()).isFalse());
  }

  @Test
  void videoWithoutAudioTranscodes() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.get("video-only", Spec.of(3, 320, 180).withoutAudio()),
        root.toString());

    assertThat(result.tracks()).extracting(Track::id).containsExactly("180p", "180p-2", "180p-3");
    String master = Files.readString(root.resolve("vod").resolve(result.titleId()).resolve("master.m3u8"));
    assertThat(master).doesNotContain("mp4a").doesNotContain("EXT-X-MEDIA:");
  }

  @Test
  void oddDimensionsGiveEvenRungs() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.get("odd", Spec.of(2, 853, 479).withoutAudio()), root.toString());

    assertThat(result.tracks()).extracting(Track::width, Track::height)
        .containsExactly(org.assertj.core.api.Assertions.tuple(852, 476), org.assertj.core.api.Assertions.tuple(640, 356),
            org.assertj.core.api.Assertions.tuple(480, 268));
  }

  @Test
  void variableFrameRateIsResampledOntoAConstantGrid() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.get("vfr", Spec.of(4, 320, 180).withVariableRate()),
        root.toString());

    Track video = result.tracks().get(0);
    assertThat(video.segments()).extracting(s -> s.samples()).containsExactly(50, 50);
    Path title = root.resolve("vod").resolve(result.titleId());
    assertThat(Files.readString(title.resolve("master.m3u8"))).contains("FRAME-RATE=25.000");
  }

  @Test
  void rotatedSourceIsEncodedUprightAsAPortraitLadder() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.get("rotated", Spec.of(2, 640, 360).withRotation(90)),
        root.toString());

    assertThat(result.tracks().get(0)).extracting(Track::width, Track::height).containsExactly(360, 640);
    Path title = root.resolve("vod").resolve(result.titleId());
    List<PlaybackClient.Played> played = PlaybackClient.playEveryStream(title.resolve("master.m3u8").toString());
    assertThat(played).filteredOn(PlaybackClient.Played::video).allSatisfy(v -> assertThat(v.height()).isGreaterThan(v.width()));
  }

  @Test
  void onePerChunkAndRungTasksGiveTheSameSegments() throws Exception {
    Transcoder.Result perChunk = transcode(SPARK, TestMedia.standard(), root.resolve("a").toString());
    Transcoder.Result perRung = transcode(SPARK, TestMedia.standard(), root.resolve("b").toString(),
        "--tasks", "chunk-rung");

    for (int t = 0; t < perChunk.tracks().size(); t++) {
      assertThat(perRung.tracks().get(t).segments()).extracting(s -> s.start() + "+" + s.duration() + "/" + s.samples())
          .isEqualTo(perChunk.tracks().get(t).segments().stream().map(s -> s.start() + "+" + s.duration() + "/" + s.samples()).toList());
    }
  }

  @Test
  void missingInputIsNamedAndLeavesNothing() {
    assertRefused(new File(root.toFile(), "nope.mp4"), "nope.mp4: no such file");
  }

  @Test
  void emptyInputIsNamedAndLeavesNothing() {
    assertRefused(TestMedia.bytes("zero.mp4", new byte[0]), "zero.mp4: file is empty (0 bytes)");
  }

  @Test
  void nonVideoInputIsNamedAndLeavesNothing() {
    File text = TestMedia.bytes("readme.mp4", "# not a video\n".repeat(100).getBytes(StandardCharsets.UTF_8));
    assertRefused(text, "readme.mp4: not a readable media file");
  }

  @Test
  void truncatedInputIsNamedAndLeavesNothing() {
    assertRefused(TestMedia.truncated(TestMedia.standard(), 0.4), "truncated-standard.mp4: truncated");
  }

  @Test
  void unwritableRootIsNamedAndLeavesNothing() throws Exception {
    Path file = Files.writeString(root.resolve("a-file"), "x");
    String badRoot = file.resolve("root").toString();

    assertThatThrownBy(() -> transcode(SPARK, TestMedia.standard(), badRoot))
        .isInstanceOf(TranscodeException.class)
        .hasMessageStartingWith("root " + badRoot + " cannot be written");
  }

  @Test
  void commandLineExitsNonZeroWithOneLineNamingTheFile() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-Dspark.master=local[1]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1",
        TranscodeJob.class.getName(), "--input", "/no/such/movie.mp4", "--name", "N", "--category", "C",
        "--root", root.toString())
        .redirectErrorStream(false).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    process.getInputStream().readAllBytes();

    assertThat(process.waitFor()).isEqualTo(1);
    assertThat(stderr.lines().filter(l -> l.startsWith("caudal-transcode:")).toList())
        .containsExactly("caudal-transcode: /no/such/movie.mp4: no such file");
  }

  private void assertRefused(File input, String message) {
    assertThatThrownBy(() -> transcode(SPARK, input, root.toString()))
        .isInstanceOf(TranscodeException.class)
        .hasMessageContaining(message)
        .hasMessageStartingWith(input.getPath().substring(0, input.getPath().lastIndexOf('/')));
    try {
      assertThat(filesUnder(root.resolve("vod"))).isEmpty();
      assertThat(filesUnder(root.resolve("tables"))).isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
