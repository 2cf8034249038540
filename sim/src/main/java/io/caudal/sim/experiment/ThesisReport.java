package io.caudal.sim.experiment;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The thesis experiment's outputs: a text table, a CSV and a PNG of both figures, written to a
 * temporary folder and moved into place, so a reader never sees half a report.
 */
public final class ThesisReport {
  public static final String TABLE = "thesis.txt";
  public static final String CSV = "thesis.csv";
  public static final String PLOT = "thesis.png";
  static final String CSV_HEADER = "servers,clients,mean_utilization,mean_wait_ms,p95_wait_ms,waiting_at_end";

  private ThesisReport() {}

  /** The table as text, one line per row, aligned. */
  public static String table(List<ThesisRow> rows) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%7s %7s %16s %13s %12s %14s%n",
        "servers", "clients", "mean util (CPU)", "mean wait ms", "p95 wait ms", "waiting at end"));
    for (ThesisRow r : rows) {
      out.append(String.format(Locale.ROOT, "%7d %7d %15.1f%% %13.0f %12.0f %14d%n", r.servers(), r.clients(),
          100 * r.meanUtilization(), r.meanWaitMs(), r.p95WaitMs(), r.waitingAtEnd()));
    }
    return out.toString();
  }

  public static String csv(List<ThesisRow> rows) {
    return CSV_HEADER + "\n" + rows.stream()
        .map(r -> String.format(Locale.ROOT, "%d,%d,%.4f,%.1f,%.1f,%d", r.servers(), r.clients(),
            r.meanUtilization(), r.meanWaitMs(), r.p95WaitMs(), r.waitingAtEnd()))
        .collect(Collectors.joining("\n")) + "\n";
  }

  /** Writes the three files into {@code outDir} (created if missing). */
  public static void write(List<ThesisRow> rows, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    Path staging = Files.createTempDirectory(outDir, ".thesis-");
    try {
      Files.writeString(staging.resolve(TABLE), table(rows), StandardCharsets.UTF_8);
      Files.writeString(staging.resolve(CSV), csv(rows), StandardCharsets.UTF_8);
      BitmapEncoder.saveBitmap(List.of(utilizationChart(rows), waitChart(rows)), 1, 2,
          staging.resolve(PLOT).toString(), BitmapEncoder.BitmapFormat.PNG);
      for (String name : List.of(TABLE, CSV, PLOT)) {
        Files.move(staging.resolve(name), outDir.resolve(name),
            StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      try (var left = Files.list(staging)) {
        for (Path p : left.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(staging);
    }
  }

  static XYChart utilizationChart(List<ThesisRow> rows) {
    XYChart chart = new XYChartBuilder().width(640).height(440)
        .title("Mean server utilization (thesis fig. 18)").xAxisTitle("clients").yAxisTitle("CPU utilization %")
        .build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setChartBackgroundColor(Color.WHITE);
    for (int servers : serverCounts(rows)) {
      List<ThesisRow> series = rows.stream().filter(r -> r.servers() == servers).toList();
      XYSeries s = chart.addSeries(servers + (servers == 1 ? " server" : " servers"),
          series.stream().mapToDouble(ThesisRow::clients).toArray(),
          series.stream().mapToDouble(r -> 100 * r.meanUtilization()).toArray());
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    return chart;
  }

  static XYChart waitChart(List<ThesisRow> rows) {
    XYChart chart = new XYChartBuilder().width(640).height(440)
        .title("Time to get a server (thesis fig. 19)").xAxisTitle("clients").yAxisTitle("mean wait, s")
        .build();
    chart.getStyler().setYAxisMin(0.0).setChartBackgroundColor(Color.WHITE);
    for (int servers : serverCounts(rows)) {
      List<ThesisRow> series = rows.stream().filter(r -> r.servers() == servers).toList();
      XYSeries s = chart.addSeries(servers + (servers == 1 ? " server" : " servers"),
          series.stream().mapToDouble(ThesisRow::clients).toArray(),
          series.stream().mapToDouble(r -> r.meanWaitMs() / 1000).toArray());
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    return chart;
  }

  private static List<Integer> serverCounts(List<ThesisRow> rows) {
    return rows.stream().map(ThesisRow::servers).distinct().sorted().toList();
  }
}
