package io.caudal.sim.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThesisReportTest {
  private static final List<ThesisRow> ROWS = List.of(
      new ThesisRow(1, 10, 0.371, 0, 0, 0), new ThesisRow(1, 20, 0.702, 0, 0, 0),
      new ThesisRow(1, 30, 0.87, 13_400, 35_000, 4), new ThesisRow(2, 10, 0.213, 0, 0, 0),
      new ThesisRow(2, 20, 0.381, 0, 0, 0), new ThesisRow(2, 30, 0.55, 0, 0, 0));

  @Test
  void writesTheTableTheCsvAndBothFiguresAndLeavesNothingElse(@TempDir Path out) throws Exception {
    ThesisReport.write(ROWS, out.resolve("figs"));
    try (var files = Files.list(out.resolve("figs"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(ThesisReport.TABLE, ThesisReport.CSV, ThesisReport.PLOT);
    }
    assertThat(Files.readAllLines(out.resolve("figs").resolve(ThesisReport.CSV))).containsExactly(
        "servers,clients,mean_utilization,mean_wait_ms,p95_wait_ms,waiting_at_end",
        "1,10,0.3710,0.0,0.0,0", "1,20,0.7020,0.0,0.0,0", "1,30,0.8700,13400.0,35000.0,4",
        "2,10,0.2130,0.0,0.0,0", "2,20,0.3810,0.0,0.0,0", "2,30,0.5500,0.0,0.0,0");
    BufferedImage plot = ImageIO.read(out.resolve("figs").resolve(ThesisReport.PLOT).toFile());
    assertThat(plot.getWidth()).isEqualTo(2 * 640);
    assertThat(plot.getHeight()).isEqualTo(440);
  }

  @Test
  void theTableShowsUtilizationAsAPercentage() {
    String table = ThesisReport.table(ROWS);
    assertThat(table.lines().findFirst().orElseThrow()).contains("servers", "clients", "mean util", "waiting at end");
    assertThat(table).contains("87.0%", "13400");
    assertThat(table.lines()).hasSize(1 + ROWS.size());
  }

  @Test
  void percentileIsTheNearestRank() {
    double[] waits = {0, 1_000, 2_000, 3_000, 40_000};
    assertThat(ThesisExperiment.percentile(waits, 0.95)).isEqualTo(40_000);
    assertThat(ThesisExperiment.percentile(waits, 0.5)).isEqualTo(2_000);
    assertThat(ThesisExperiment.percentile(new double[0], 0.95)).isZero();
  }
}
