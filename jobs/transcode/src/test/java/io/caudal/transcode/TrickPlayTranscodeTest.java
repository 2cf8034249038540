package io.caudal.transcode;

import static io.caudal.transcode.TranscodeRuns.filesUnder;
import static io.caudal.transcode.TranscodeRuns.transcode;
import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.schemas.TitleKeys;
import io.caudal.schemas.TrackClass;
import io.caudal.schemas.protect.MasterKey;
import io.caudal.schemas.protect.TitleKeyStore;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.spark.LocalSpark;
import io.caudal.transcode.core.media.MediaInput;
import io.caudal.transcode.core.media.SegmentDecoder;
import io.caudal.transcode.core.pkg.DashSchema;
import io.caudal.transcode.sample.SampleMaker.Spec;
import io.caudal.transcode.spark.Transcoder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** I-frame playlists and thumbnail sprites of a transcoded title, checked with FFmpeg. */
@IntegrationTest
class TrickPlayTranscodeTest {
  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-trick-play-test");

  /** 24 s of 320×180: thumbnails at 0, 10 and 20 s at the default interval, in one 5×5 sprite. */
  private static final Spec SOURCE = Spec.of(24, 320, 180);

  @TempDir
  Path root;
  @TempDir
  Path work;

  @Test
  void eachIFrameRangeCutFromItsSegmentAfterTheInitDecodesToExactlyOneKeyframe() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.get("trick-24s", SOURCE), root.toString(), "--max-rungs", "2");
    Path title = root.resolve("vod").resolve(result.titleId());

    List<String> rungs = result.tracks().stream().filter(t -> t.video()).map(t -> t.id()).toList();
    assertThat(rungs).hasSize(2);
    assertEveryIFrameRangeDecodesToOneKeyframe(title, rungs, 12, null);
    DashSchema.validate(Files.readString(title.resolve("manifest.mpd")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cbcs", "cenc"})
  void aProtectedTitlesIFrameRangesDecryptAndDecodeToOneKeyframeWithTheKeyOfTheirMediaPlaylist(String scheme)
      throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.get("trick-8s", Spec.of(8, 320, 180)), root.toString(),
        "--max-rungs", "1", "--protect", scheme);
    Path title = root.resolve("vod").resolve(result.titleId());
    TitleKeys stored = new TitleKeyStore(root.toString(), new Configuration()).read(result.titleId()).orElseThrow();
    String kid = stored.getKeys().stream().filter(k -> k.getTrackClass() == TrackClass.SD).findFirst().orElseThrow()
        .getKid();
    byte[] key = MasterKey.resolve(root.toString(), null, null).unwrap(stored).get(kid);

    String media = Files.readString(title.resolve("video/180p/playlist.m3u8"));
    String keyLine = media.lines().filter(l -> l.startsWith("#EXT-X-KEY:")).findFirst().orElseThrow();
    assertThat(Files.readString(title.resolve("video/180p/iframes.m3u8"))).contains(keyLine + "\n");
    assertEveryIFrameRangeDecodesToOneKeyframe(title, List.of("180p"), 4, key);
  }

  /** Cuts each entry's range out of its segment, puts it after init.mp4 and decodes it (decrypting with {@code key}). */
  private void assertEveryIFrameRangeDecodesToOneKeyframe(Path title, List<String> rungs, int segments, byte[] key)
      throws Exception {
    String master = Files.readString(title.resolve("master.m3u8"));
    for (String rung : rungs) {
      assertThat(master).containsPattern("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=\\d+,AVERAGE-BANDWIDTH=\\d+,"
          + "CODECS=\"avc1\\.[0-9a-f]{6}\",RESOLUTION=320x180,URI=\"video/" + rung + "/iframes.m3u8\"");
      Path dir = title.resolve("video").resolve(rung);
      String iframes = Files.readString(dir.resolve("iframes.m3u8"));
      assertThat(iframes).contains("#EXT-X-I-FRAMES-ONLY\n", "#EXT-X-MAP:URI=\"init.mp4\"\n");
      byte[] init = Files.readAllBytes(dir.resolve("init.mp4"));
      Matcher entry = Pattern.compile("#EXTINF:([0-9.]+),\n#EXT-X-BYTERANGE:(\\d+)@(\\d+)\n(seg-\\d{5}\\.m4s)\n")
          .matcher(iframes);
      int entries = 0;
      while (entry.find()) {
        entries++;
        assertThat(Double.parseDouble(entry.group(1))).isEqualTo(2.0);
        int length = Integer.parseInt(entry.group(2));
        int offset = Integer.parseInt(entry.group(3));
        byte[] segment = Files.readAllBytes(dir.resolve(entry.group(4)));
        assertThat(offset + length).isLessThan(segment.length);
        File cut = work.resolve(rung + "-" + entry.group(4) + ".mp4").toFile();
        Files.write(cut.toPath(), concat(init, Arrays.copyOfRange(segment, offset, offset + length)));

        SegmentDecoder.Decoded decoded = SegmentDecoder.decode(cut, true, key);

        assertThat(decoded.frames()).as(rung + " " + entry.group(4)).isEqualTo(1);
        assertThat(decoded.startsWithKeyframe()).as(rung + " " + entry.group(4)).isTrue();
      }
      assertThat(entries).as(rung).isEqualTo(segments);
    }
  }

  @Test
  void spritesAreJpegsOfTheGridsSizeWhoseTilesAreTheFramesAtTheirTimes() throws Exception {
    File source = TestMedia.get("trick-24s", SOURCE);
    Transcoder.Result result = transcode(SPARK, source, root.toString(), "--max-rungs", "1");
    Path title = root.resolve("vod").resolve(result.titleId());

    assertThat(filesUnder(title.resolve("thumbs"))).containsExactly("playlist.m3u8", "tile-00001.jpg");
    assertThat(Files.readString(title.resolve("thumbs/playlist.m3u8")))
        .contains("#EXT-X-IMAGES-ONLY\n", "#EXTINF:30.000,\n#EXT-X-TILES:RESOLUTION=320x180,LAYOUT=5x5,DURATION=10.000\n"
            + "tile-00001.jpg\n");
    assertThat(Files.readString(title.resolve("master.m3u8")))
        .containsPattern("#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=\\d+,RESOLUTION=1600x900,CODECS=\"jpeg\","
            + "URI=\"thumbs/playlist.m3u8\"");
    String mpd = Files.readString(title.resolve("manifest.mpd"));
    DashSchema.validate(mpd);
    assertThat(mpd).contains("contentType=\"image\" mimeType=\"image/jpeg\"",
        "media=\"thumbs/tile-$Number%05d$.jpg\" duration=\"250000\" timescale=\"1000\"", "width=\"1600\" height=\"900\"");

    Picture sprite = jpeg(title.resolve("thumbs/tile-00001.jpg"));
    assertThat(sprite.width()).isEqualTo(1600);
    assertThat(sprite.height()).isEqualTo(900);
    List<double[]> frames = lumaAt(source, List.of(0L, 5_000L, 10_000L, 15_000L, 20_000L));
    assertThat(frames).hasSize(5);
    for (int i = 0; i < 3; i++) {
      double[] tile = luma(sprite, i * 320, 0, 320, 180);
      double right = meanAbsoluteDifference(tile, frames.get(2 * i));
      double wrong = meanAbsoluteDifference(tile, frames.get(i == 0 ? 1 : 2 * i - 1));
      System.out.printf(java.util.Locale.ROOT, "thumbnail %d: mean absolute luma difference %.2f to its frame,"
          + " %.2f to a frame 5 s away%n", i, right, wrong);
      // JPEG and the range conversion cost a few levels; another moment of testsrc2 is far off.
      assertThat(right).as("thumbnail %d against the frame at its time", i).isLessThan(6);
      assertThat(wrong).as("thumbnail %d against a frame 5 s away", i).isGreaterThan(3 * right);
    }
    // Encoded by the jar's FFmpeg: no system JPEG library is mapped (Debian's JDK links one for ImageIO).
    assertThat(Files.readAllLines(Path.of("/proc/self/maps"))).noneMatch(line -> line.contains("libjpeg"));
    // The tiles after the last thumbnail are left black.
    assertThat(Arrays.stream(luma(sprite, 3 * 320, 0, 320, 180)).max().orElseThrow()).isLessThan(20);

    List<CatalogEntry> rows = TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll();
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.getThumbnails().getIntervalMs()).isEqualTo(10_000);
      assertThat(row.getThumbnails().getCount()).isEqualTo(3);
      assertThat(row.getThumbnails().getWidth()).isEqualTo(320);
      assertThat(row.getThumbnails().getHeight()).isEqualTo(180);
      assertThat(row.getThumbnails().getColumns()).isEqualTo(5);
      assertThat(row.getThumbnails().getRows()).isEqualTo(5);
    });
  }

  @Test
  void aRotatedSourceGetsPortraitThumbnails() throws Exception {
    File source = TestMedia.get("trick-rotated", Spec.of(12, 320, 180).withRotation(90));
    Transcoder.Result result = transcode(SPARK, source, root.toString(), "--max-rungs", "1", "--thumbnails-every", "5", "--thumbnail-width", "160",
        "--thumbnail-grid", "2x1");
    Path title = root.resolve("vod").resolve(result.titleId());

    // Displayed 180×320: 160 wide keeps the aspect at 284 (even) high; 0, 5 and 10 s in two sprites of 2×1.
    assertThat(filesUnder(title.resolve("thumbs"))).containsExactly("playlist.m3u8", "tile-00001.jpg", "tile-00002.jpg");
    assertThat(Files.readString(title.resolve("thumbs/playlist.m3u8")))
        .contains("#EXTINF:10.000,\n#EXT-X-TILES:RESOLUTION=160x284,LAYOUT=2x1,DURATION=5.000\ntile-00001.jpg\n",
            "#EXTINF:5.000,\n#EXT-X-TILES:RESOLUTION=160x284,LAYOUT=2x1,DURATION=5.000\ntile-00002.jpg\n");
    Picture last = jpeg(title.resolve("thumbs/tile-00002.jpg"));
    assertThat(last.width()).isEqualTo(320);
    assertThat(last.height()).isEqualTo(284);

    // Upright: the first thumbnail is the source's first frame turned clockwise, not the other way.
    Picture first = jpeg(title.resolve("thumbs/tile-00001.jpg"));
    double[] tile = luma(first, 0, 0, 160, 284);
    double[] frame = lumaAt(source, List.of(0L)).get(0);
    double clockwise = meanAbsoluteDifference(tile, turnedAndScaled(frame, 320, 180, true, 160, 284));
    double counterClockwise = meanAbsoluteDifference(tile, turnedAndScaled(frame, 320, 180, false, 160, 284));
    System.out.printf(java.util.Locale.ROOT, "rotated thumbnail: mean absolute luma difference %.2f to the frame"
        + " turned clockwise, %.2f turned counter-clockwise%n", clockwise, counterClockwise);
    assertThat(clockwise).isLessThan(15).isLessThan(counterClockwise / 2);
  }

  /** A w×h luma picture turned a quarter (clockwise or not) and scaled to the nearest pixel at outW×outH. */
  private static double[] turnedAndScaled(double[] luma, int w, int h, boolean clockwise, int outW, int outH) {
    double[] out = new double[outW * outH];
    for (int v = 0; v < outH; v++) {
      for (int u = 0; u < outW; u++) {
        // The turned picture is h wide and w high.
        int x = Math.min(h - 1, (int) ((u + 0.5) * h / outW));
        int y = Math.min(w - 1, (int) ((v + 0.5) * w / outH));
        int sx = clockwise ? y : w - 1 - y;
        int sy = clockwise ? h - 1 - x : x;
        out[v * outW + u] = luma[sy * w + sx];
      }
    }
    return out;
  }

  @Test
  void noThumbnailsWhenTheIntervalIsZero() throws Exception {
    Transcoder.Result result = transcode(SPARK, TestMedia.get("trick-short", Spec.of(4, 320, 180)), root.toString(),
        "--max-rungs", "1", "--thumbnails-every", "0");
    Path title = root.resolve("vod").resolve(result.titleId());

    assertThat(filesUnder(title)).noneMatch(f -> f.startsWith("thumbs/")).contains("video/180p/iframes.m3u8");
    assertThat(Files.readString(title.resolve("master.m3u8"))).doesNotContain("EXT-X-IMAGE-STREAM-INF");
    assertThat(Files.readString(title.resolve("manifest.mpd"))).doesNotContain("image/jpeg");
    assertThat(TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll())
        .singleElement().satisfies(row -> assertThat(row.getThumbnails()).isNull());
  }

  /**
   * The source's luma at each time, decoded on its own here (FFmpeg's decoder, no scaling), as
   * full-range values: the nearest frame to each time.
   */
  private static List<double[]> lumaAt(File source, List<Long> millis) {
    List<double[]> out = new ArrayList<>();
    try (MediaInput input = new MediaInput(source.getPath()).openDecoder(MediaInput.Kind.VIDEO, 1)) {
      double timeBase = input.timeBase().num() / (double) input.timeBase().den();
      List<Long> wanted = new ArrayList<>(millis);
      AVFrame frame;
      double[] previous = null;
      double previousMs = 0;
      while (!wanted.isEmpty() && (frame = input.nextFrame()) != null) {
        double ms = frame.best_effort_timestamp() * timeBase * 1000;
        double[] y = new double[frame.width() * frame.height()];
        byte[] row = new byte[frame.width()];
        for (int line = 0; line < frame.height(); line++) {
          frame.data(0).position((long) line * frame.linesize(0)).get(row);
          for (int x = 0; x < row.length; x++) {
            y[line * row.length + x] = ((row[x] & 0xFF) - 16) * 255.0 / 219;
          }
        }
        while (!wanted.isEmpty() && ms >= wanted.get(0)) {
          boolean previousNearer = previous != null && wanted.get(0) - previousMs < ms - wanted.get(0);
          out.add(previousNearer ? previous : y);
          wanted.remove(0);
        }
        previous = y;
        previousMs = ms;
      }
    }
    return out;
  }

  /** A decoded JPEG's size and its luma (full range, as JPEG stores it). */
  private record Picture(int width, int height, int[] luma) {}

  /** Decodes a JPEG with FFmpeg (its image2 demuxer and mjpeg decoder). */
  private static Picture jpeg(Path file) {
    try (MediaInput input = new MediaInput(file.toString()).openDecoder(MediaInput.Kind.VIDEO, 1)) {
      AVFrame frame = input.nextFrame();
      assertThat(frame).as(file + " decodes").isNotNull();
      assertThat(frame.format()).isIn(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P,
          org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
      int[] y = new int[frame.width() * frame.height()];
      byte[] row = new byte[frame.width()];
      for (int line = 0; line < frame.height(); line++) {
        frame.data(0).position((long) line * frame.linesize(0)).get(row);
        for (int x = 0; x < row.length; x++) {
          y[line * row.length + x] = row[x] & 0xFF;
        }
      }
      return new Picture(frame.width(), frame.height(), y);
    }
  }

  private static double[] luma(Picture picture, int x0, int y0, int width, int height) {
    double[] y = new double[width * height];
    for (int row = 0; row < height; row++) {
      for (int x = 0; x < width; x++) {
        y[row * width + x] = picture.luma()[(y0 + row) * picture.width() + x0 + x];
      }
    }
    return y;
  }

  private static double meanAbsoluteDifference(double[] a, double[] b) {
    assertThat(a).hasSameSizeAs(b);
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
