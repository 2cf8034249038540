package io.caudal.transcode;

import static io.caudal.transcode.TranscodeRuns.transcode;
import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.Rung;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.spark.LocalSpark;
import io.caudal.transcode.core.media.MediaInput;
import io.caudal.transcode.core.media.SegmentDecoder;
import io.caudal.transcode.core.pkg.DashSchema;
import io.caudal.transcode.core.pkg.Segment;
import io.caudal.transcode.core.pkg.Track;
import io.caudal.transcode.sample.SampleMaker.Spec;
import io.caudal.transcode.spark.Transcoder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --codecs h264,av1} on Spark local[2]: an AV1 ladder of its own (its own probe and hull)
 * beside the H.264 one, on the same segment boundaries, with codec strings that say what the
 * bitstream says, in both manifests.
 */
@IntegrationTest
class Av1TranscodeTest {
  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-av1-test");

  @TempDir
  Path root;

  @Test
  void encodesAnAv1LadderBesideTheH264OneOnTheSameSegments() throws Exception {
    File input = TestMedia.get("av1-source", Spec.of(6, 640, 360));
    Transcoder.Result result = transcode(SPARK, input, root.toString(), "--ladder", "per-title", "--codecs",
        "h264,av1");
    Path title = root.resolve("vod").resolve(result.titleId());

    List<Track> video = result.tracks().stream().filter(Track::video).toList();
    List<Track> h264 = video.stream().filter(t -> !t.id().endsWith("-av1")).toList();
    List<Track> av1 = video.stream().filter(t -> t.id().endsWith("-av1")).toList();
    assertThat(h264).hasSizeGreaterThanOrEqualTo(3);
    assertThat(av1).hasSizeGreaterThanOrEqualTo(3);
    // Preference order: the H.264 rungs first, as asked.
    assertThat(video.subList(0, h264.size())).isEqualTo(h264);

    Track reference = h264.get(0);
    for (Track t : av1) {
      assertThat(t.codecs()).matches("av01\\.0\\.\\d\\d[MH]\\.08(\\..*)?");
      // Every AV1 segment spans exactly what the H.264 segment of the same number spans.
      assertThat(t.segments()).extracting(s -> s.start() + "+" + s.duration())
          .isEqualTo(reference.segments().stream().map(s -> s.start() + "+" + s.duration()).toList());
    }
    for (Track t : h264) {
      assertThat(t.codecs()).matches("avc1\\.64[0-9a-f]{4}");
    }

    for (Track t : video) {
      byte[] init = Files.readAllBytes(title.resolve(t.dir()).resolve("init.mp4"));
      byte[] first = Files.readAllBytes(title.resolve(t.dir()).resolve(t.segments().get(0).fileName()));
      assertThat(t.codecs()).isEqualTo(codecsFromFfmpeg(t, concat(init, first)));
      for (Segment s : t.segments()) {
        File joined = root.resolve("joined-" + t.id() + "-" + s.number() + ".mp4").toFile();
        Files.write(joined.toPath(), concat(init, Files.readAllBytes(title.resolve(t.dir()).resolve(s.fileName()))));
        SegmentDecoder.Decoded decoded = SegmentDecoder.decode(joined, true);
        assertThat(decoded.frames()).as(t.id() + " segment " + s.number()).isEqualTo(s.samples());
        assertThat(decoded.startsWithKeyframe()).as(t.id() + " segment " + s.number()).isTrue();
      }
    }

    String master = Files.readString(title.resolve("master.m3u8"));
    for (Track t : video) {
      assertThat(master).contains("CODECS=\"" + t.codecs() + ",mp4a.40.2\",RESOLUTION=" + t.width() + "x" + t.height())
          .contains(t.dir() + "/playlist.m3u8");
    }
    assertThat(master.split("#EXT-X-STREAM-INF:", -1)).hasSize(video.size() + 1);

    String mpd = Files.readString(title.resolve("manifest.mpd"));
    DashSchema.validate(mpd);
    List<String> videoSets = new ArrayList<>();
    Matcher set = Pattern.compile("<AdaptationSet [^>]*contentType=\"video\".*?</AdaptationSet>", Pattern.DOTALL)
        .matcher(mpd);
    while (set.find()) {
      videoSets.add(set.group());
    }
    assertThat(videoSets).hasSize(2);
    assertThat(videoSets.get(0)).contains("codecs=\"avc1.").doesNotContain("av01");
    assertThat(videoSets.get(1)).contains("codecs=\"av01.").doesNotContain("avc1");
    for (Track t : av1) {
      assertThat(videoSets.get(1)).contains("<Representation id=\"" + t.id() + "\" codecs=\"" + t.codecs() + "\"");
    }

    CatalogEntry row = TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll().get(0);
    assertThat(row.getLadder()).extracting(Rung::getRungId).isEqualTo(video.stream().map(Track::id).toList());
    String report = Files.readString(root.resolve("reports/transcode").resolve(result.titleId()).resolve("ladder.json"));
    assertThat(report).contains("\"codecs\": {", "\"av1\": {\"crfs\": [27, 37, 47]");
    String av1Section = report.substring(report.indexOf("\"codecs\": {"));
    for (Track t : av1) {
      assertThat(report).contains("{\"id\": \"" + t.id() + "\", \"width\": " + t.width());
      assertThat(av1Section).contains("{\"id\": \"" + t.id() + "\", \"size\": \"" + t.width() + "x" + t.height());
    }
    // Each codec's measured quality falls rung by rung, as the title's check demands.
    for (List<Track> ladder : List.of(h264, av1)) {
      List<Double> quality = ladder.stream().map(t -> row.getLadder().stream()
          .filter(r -> r.getRungId().equals(t.id())).findFirst().orElseThrow().getVmafEstimate()).toList();
      assertThat(quality).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }
  }

  /**
   * The codecs string FFmpeg's own parsers find in the track's first segment (profile, level,
   * the decoded format's bit depth; the tier, the H.264 constraint flags and AV1's optional
   * fields, which it does not report, taken as the job wrote them), to hold against the one the
   * job read from the sample entry.
   */
  private static String codecsFromFfmpeg(Track t, byte[] initAndSegment) throws Exception {
    Path file = Files.createTempFile("codecs", ".mp4");
    try {
      Files.write(file, initAndSegment);
      try (MediaInput in = new MediaInput(file.toString())) {
        AVCodecParameters par = in.format().streams(in.bestStream(MediaInput.Kind.VIDEO)).codecpar();
        if (t.codecs().startsWith("avc1")) {
          return String.format(Locale.ROOT, "avc1.%02x%s%02x", par.profile(), t.codecs().substring(7, 9), par.level());
        }
        int depth = avutil.av_pix_fmt_desc_get(par.format()).comp(0).depth();
        String base = String.format(Locale.ROOT, "av01.%d.%02d%s.%02d", par.profile(), par.level(),
            t.codecs().substring(9, 10), depth);
        return t.codecs().length() > base.length() ? base + t.codecs().substring(base.length()) : base;
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
