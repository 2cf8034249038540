package io.caudal.transcode;

import static io.caudal.transcode.TranscodeRuns.transcode;
import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.Rung;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.testing.IntegrationTest;
import io.caudal.testing.spark.LocalSpark;
import io.caudal.transcode.sample.SampleMaker.Spec;
import io.caudal.transcode.spark.Transcoder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The per-title ladder on Spark local[2]: probe, hull, rungs, report, on easy and hard pictures. */
@IntegrationTest
class PerTitleTranscodeTest {
  @RegisterExtension
  static final LocalSpark SPARK = new LocalSpark("caudal-per-title-test");

  /** A still picture: colour bars. */
  static final Spec STILL = Spec.of(4, 640, 360).withoutAudio().withPattern("smptebars");
  /** Fresh noise on every frame: nothing to predict. */
  static final Spec NOISE = Spec.of(4, 640, 360).withoutAudio()
      .withPattern("nullsrc,geq=lum='random(1)*255':cb=128:cr=128").withVideoKbps(20_000);

  @TempDir
  Path root;

  @Test
  void easyAndHardPicturesGetVisiblyDifferentLadders() throws Exception {
    Transcoder.Result still = transcode(SPARK, TestMedia.get("still", STILL), root.toString(), "--ladder", "per-title");
    Transcoder.Result noise = transcode(SPARK, TestMedia.get("noise", NOISE), root.toString(), "--ladder", "per-title");

    List<Rung> easy = ladderOf(still.titleId());
    List<Rung> hard = ladderOf(noise.titleId());
    assertThat(easy).hasSizeGreaterThanOrEqualTo(3);
    assertThat(hard).hasSizeGreaterThanOrEqualTo(3);
    assertThat(hard.get(0).getTargetKbps()).isGreaterThan(4 * easy.get(0).getTargetKbps());
    for (List<Rung> ladder : List.of(easy, hard)) {
      assertThat(ladder).extracting(Rung::getTargetKbps).isSortedAccordingTo((a, b) -> b - a).doesNotHaveDuplicates();
      assertThat(ladder).extracting(r -> r.getWidth() * r.getHeight()).isSortedAccordingTo((a, b) -> b - a);
    }
  }

  @Test
  void theReportSaysWhatWasEncodedAndMeasuredAndARerunChoosesTheSameLadder() throws Exception {
    // The same rungs on a re-run; a rung's CRF may move by a tenth and its size by about a
    // percent (see the README's limits).
    File input = TestMedia.get("standard-per-title", Spec.of(4, 640, 360).withoutAudio());
    Transcoder.Result first = transcode(SPARK, input, root.resolve("a").toString(), "--ladder", "per-title");
    Transcoder.Result again = transcode(SPARK, input, root.resolve("b").toString(), "--ladder", "per-title");

    Path reports = root.resolve("a/reports/transcode").resolve(first.titleId());
    String json = Files.readString(reports.resolve("ladder.json"));
    assertThat(Files.readString(reports.resolve("ladder.svg"))).startsWith("<svg").contains("hull");
    List<Rung> ladder = TableReader.of(Tables.CATALOG, root.resolve("a").toString(), new Configuration()).readAll()
        .get(0).getLadder();
    for (Rung rung : ladder) {
      assertThat(json).contains(String.format("{\"id\": \"%s\", \"width\": %d, \"height\": %d, \"targetKbps\": %d, "
              + "\"averageKbps\": %d, \"peakKbps\": %d", rung.getRungId(), rung.getWidth(), rung.getHeight(),
          rung.getTargetKbps(), rung.getAverageKbps(), rung.getPeakKbps()));
    }
    List<Double> measured = numbers(json.substring(json.indexOf("\"rungs\"")), "\"quality\": ");
    assertThat(measured).hasSize(ladder.size()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(numbers(json, "\"probeFraction\": ")).singleElement().satisfies(f -> assertThat(f).isPositive());
    assertThat(json).contains("\"chosen\"", "\"hull\"", "\"reason\": \"top: ");

    String reportAgain = Files.readString(root.resolve("b/reports/transcode").resolve(again.titleId()).resolve("ladder.json"));
    assertThat(section(reportAgain, "\"chosen\"", "\"rungs\"")).isEqualTo(section(json, "\"chosen\"", "\"rungs\""));
    assertThat(again.tracks()).extracting(t -> t.id() + " " + t.width() + "x" + t.height())
        .isEqualTo(first.tracks().stream().map(t -> t.id() + " " + t.width() + "x" + t.height()).toList());
    for (int t = 0; t < first.tracks().size(); t++) {
      assertThat((double) again.tracks().get(t).bytes()).isCloseTo(first.tracks().get(t).bytes(),
          org.assertj.core.data.Percentage.withPercentage(5));
    }
  }

  /** The text between two keys, without CRFs and predicted qualities (a probe point may move in its last digit). */
  private static String section(String text, String from, String to) {
    return text.substring(text.indexOf(from), text.indexOf(to))
        .replaceAll("\"(crf|predictedQuality)\": [0-9.]+, ", "");
  }

  private List<Rung> ladderOf(String titleId) throws Exception {
    return TableReader.of(Tables.CATALOG, root.toString(), new Configuration()).readAll().stream()
        .filter(r -> r.getTitleId().equals(titleId)).map(CatalogEntry::getLadder).findFirst().orElseThrow();
  }

  private static List<Double> numbers(String text, String key) {
    Matcher m = Pattern.compile(Pattern.quote(key) + "(-?[0-9.]+)").matcher(text);
    List<Double> values = new java.util.ArrayList<>();
    while (m.find()) {
      values.add(Double.parseDouble(m.group(1)));
    }
    return values;
  }
}
