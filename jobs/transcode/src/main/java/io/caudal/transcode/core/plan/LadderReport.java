package io.caudal.transcode.core.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Why a title's rungs are where they are: {@code ladder.json} (the probe's points, the hull, the
 * chosen rungs with the reason for each, what was encoded and measured, and the probe's CPU
 * against the encode's) and {@code ladder.svg} (quality against bitrate: the probe points per
 * size, the hull, the chosen rungs and the measured ones).
 *
 * @param titleId the title
 * @param ladder "per-title" or "fixed"
 * @param targets what the per-title choice aimed at; null for a fixed ladder
 * @param probe what was probed; null for a fixed ladder
 * @param points the probe's points
 * @param chosen the per-title choice; null for a fixed ladder
 * @param encoded every rung as encoded and measured, highest first
 * @param probeCpuSeconds CPU time of the probe's tasks
 * @param encodeCpuSeconds CPU time of the encode (and verify) tasks, every codec's
 * @param otherCodecs the probe and choice of each codec beside H.264 (whose are the fields above)
 */
public record LadderReport(String titleId, String ladder, PerTitleLadder.Targets targets, ProbePlan probe,
    List<ProbePoint> points, PerTitleLadder.Ladder chosen, List<EncodedRung> encoded, double probeCpuSeconds,
    double encodeCpuSeconds, List<CodecProbe> otherCodecs) {

  /** An H.264-only report. */
  public LadderReport(String titleId, String ladder, PerTitleLadder.Targets targets, ProbePlan probe,
      List<ProbePoint> points, PerTitleLadder.Ladder chosen, List<EncodedRung> encoded, double probeCpuSeconds,
      double encodeCpuSeconds) {
    this(titleId, ladder, targets, probe, points, chosen, encoded, probeCpuSeconds, encodeCpuSeconds, List.of());
  }

  /** A rung as encoded: asked-for and measured bitrates, measured quality (dB, see {@link QualityScale}). */
  public record EncodedRung(String id, int width, int height, int targetKbps, int averageKbps, int peakKbps,
      double quality, VideoCodec codec) {
    public EncodedRung(String id, int width, int height, int targetKbps, int averageKbps, int peakKbps,
        double quality) {
      this(id, width, height, targetKbps, averageKbps, peakKbps, quality, VideoCodec.H264);
    }
  }

  /**
   * One more codec's own probe (its rate factors, the same stretches and sizes) and the rungs
   * chosen on its own hull; for a fixed ladder only the fraction of H.264's bitrates it was given.
   *
   * @param probe null for a fixed ladder
   * @param chosen null for a fixed ladder
   * @param fixedKbpsFraction its fixed rungs' bitrates over H.264's (0 for a per-title ladder)
   * @param probeCpuSeconds CPU time of its probe's tasks (also counted in the report's total)
   */
  public record CodecProbe(VideoCodec codec, ProbePlan probe, List<ProbePoint> points, PerTitleLadder.Ladder chosen,
      double fixedKbpsFraction, double probeCpuSeconds) {}

  public double probeCpuFraction() {
    return encodeCpuSeconds > 0 ? probeCpuSeconds / encodeCpuSeconds : 0;
  }

  public String json() {
    StringBuilder j = new StringBuilder("{\n");
    j.append("  \"titleId\": ").append(str(titleId)).append(",\n");
    j.append("  \"ladder\": ").append(str(ladder)).append(",\n");
    j.append("  \"metric\": \"vmaf_estimate\",\n");
    if (targets != null) {
      j.append(String.format(Locale.ROOT, "  \"targets\": {\"topQuality\": %s, \"minGainPerDoubling\": %s, "
              + "\"qualityStep\": %s, \"floorKbps\": %d, \"minRatio\": %s, \"minRungs\": %d, \"maxRungs\": %d},%n",
          num(targets.topQuality()), num(targets.minGainPerDoubling()), num(targets.qualityStep()), targets.floorKbps(),
          num(targets.minRatio()), targets.minRungs(), targets.maxRungs()));
    }
    if (probe != null) {
      j.append("  \"probe\": {\"windows\": [").append(probe.windows().stream()
              .map(w -> "{\"startFrame\": " + w.start() + ", \"frames\": " + w.frames() + "}")
              .collect(Collectors.joining(", ")))
          .append("], \"sizes\": [").append(probe.sizes().stream().map(s -> str(s.toString())).collect(Collectors.joining(", ")))
          .append("], \"crfs\": ").append(java.util.Arrays.toString(probe.crfs())).append("},\n");
      j.append("  \"points\": [\n").append(points.stream().map(LadderReport::point).collect(Collectors.joining(",\n")))
          .append("\n  ],\n");
    }
    if (chosen != null) {
      j.append("  \"hull\": [\n").append(chosen.hull().stream().map(LadderReport::point).collect(Collectors.joining(",\n")))
          .append("\n  ],\n");
      j.append("  \"chosen\": [\n").append(chosen.rungs().stream().map(c -> String.format(Locale.ROOT,
              "    {\"id\": %s, \"size\": %s, \"kbps\": %d, \"crf\": %s, \"predictedQuality\": %s, \"reason\": %s}",
              str(c.rung().id()), str(c.rung().size().toString()), c.rung().targetKbps(), num(c.rung().crf()),
              num(c.predictedQuality()),
              str(c.reason()))).collect(Collectors.joining(",\n")))
          .append("\n  ],\n");
    }
    j.append("  \"rungs\": [\n").append(encoded.stream().map(r -> String.format(Locale.ROOT,
            "    {\"id\": %s, \"width\": %d, \"height\": %d, \"targetKbps\": %d, \"averageKbps\": %d, \"peakKbps\": %d, "
                + "\"quality\": %s, \"codec\": %s}",
            str(r.id()), r.width(), r.height(), r.targetKbps(), r.averageKbps(), r.peakKbps(), num(r.quality()),
            str(r.codec().toString())))
        .collect(Collectors.joining(",\n")))
        .append("\n  ],\n");
    if (!otherCodecs.isEmpty()) {
      j.append("  \"codecs\": {\n").append(otherCodecs.stream().map(LadderReport::codecJson)
          .collect(Collectors.joining(",\n"))).append("\n  },\n");
    }
    j.append(String.format(Locale.ROOT, "  \"cpu\": {\"probeSeconds\": %s, \"encodeSeconds\": %s, \"probeFraction\": %s}%n",
        num(probeCpuSeconds), num(encodeCpuSeconds), num(probeCpuFraction())));
    return j.append("}\n").toString();
  }

  /** Another codec's probe and choice, as the H.264 ones are written at the top level. */
  private static String codecJson(CodecProbe c) {
    StringBuilder j = new StringBuilder("    ").append(str(c.codec().toString())).append(": {");
    if (c.probe() == null) {
      return j.append("\"fixedKbpsFraction\": ").append(num(c.fixedKbpsFraction())).append('}').toString();
    }
    j.append("\"crfs\": ").append(java.util.Arrays.toString(c.probe().crfs()))
        .append(", \"probeCpuSeconds\": ").append(num(c.probeCpuSeconds())).append(",\n");
    j.append("    \"points\": [\n").append(c.points().stream().map(LadderReport::point).collect(Collectors.joining(",\n")))
        .append("\n    ],\n");
    j.append("    \"hull\": [\n").append(c.chosen().hull().stream().map(LadderReport::point)
        .collect(Collectors.joining(",\n"))).append("\n    ],\n");
    j.append("    \"chosen\": [\n").append(c.chosen().rungs().stream().map(r -> String.format(Locale.ROOT,
            "    {\"id\": %s, \"size\": %s, \"kbps\": %d, \"crf\": %s, \"predictedQuality\": %s, \"reason\": %s}",
            str(r.rung().id()), str(r.rung().size().toString()), r.rung().targetKbps(), num(r.rung().crf()),
            num(r.predictedQuality()), str(r.reason()))).collect(Collectors.joining(",\n")))
        .append("\n    ]}");
    return j.toString();
  }

  private static String point(ProbePoint p) {
    return String.format(Locale.ROOT, "    {\"size\": %s, \"crf\": %d, \"kbps\": %s, \"quality\": %s}",
        str(p.size().toString()), p.crf(), num(p.kbps()), num(p.quality()));
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String str(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Quality against bitrate (log scale): probe points per size, hull, chosen and measured rungs. */
  public String svg() {
    int w = 720;
    int h = 440;
    int left = 60;
    int right = 150;
    int top = 20;
    int bottom = 50;
    List<double[]> all = new ArrayList<>();
    points.forEach(p -> all.add(new double[] {p.kbps(), p.quality()}));
    encoded.forEach(r -> all.add(new double[] {Math.max(1, r.averageKbps()), r.quality()}));
    if (chosen != null) {
      chosen.rungs().forEach(c -> all.add(new double[] {c.rung().targetKbps(), c.predictedQuality()}));
    }
    double x0 = Math.log10(all.stream().mapToDouble(a -> a[0]).min().orElse(100) / 1.2);
    double x1 = Math.log10(all.stream().mapToDouble(a -> a[0]).max().orElse(10000) * 1.2);
    double y0 = Math.floor(all.stream().mapToDouble(a -> a[1]).min().orElse(0) - 0.5);
    double y1 = Math.ceil(all.stream().mapToDouble(a -> a[1]).max().orElse(30) + 0.5);
    java.util.function.DoubleUnaryOperator sx = v -> left + (Math.log10(v) - x0) / (x1 - x0) * (w - left - right);
    java.util.function.DoubleUnaryOperator sy = v -> top + (y1 - v) / (y1 - y0) * (h - top - bottom);
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"11\">%n", w, h));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\">%s: estimated VMAF against kbit/s (log)</text>%n", left,
        esc(titleId + " (" + ladder + ")")));
    for (double y = Math.ceil(y0); y <= y1; y += Math.max(1, Math.round((y1 - y0) / 8))) {
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", left, w - right, sy.applyAsDouble(y),
          sy.applyAsDouble(y), left - 4, sy.applyAsDouble(y) + 4, y));
    }
    for (double k : new double[] {50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000}) {
      if (Math.log10(k) >= x0 && Math.log10(k) <= x1) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n", sx.applyAsDouble(k), sx.applyAsDouble(k),
            top, h - bottom, sx.applyAsDouble(k), h - bottom + 14, k));
      }
    }
    String[] colours = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"};
    List<Size> sizes = points.stream().map(ProbePoint::size).distinct()
        .sorted(Comparator.comparingLong(Size::pixels).reversed()).toList();
    for (int i = 0; i < sizes.size(); i++) {
      Size size = sizes.get(i);
      String c = colours[i % colours.length];
      List<ProbePoint> curve = points.stream().filter(p -> p.size().equals(size))
          .sorted(Comparator.comparingDouble(ProbePoint::kbps)).toList();
      s.append("<polyline fill=\"none\" stroke=\"").append(c).append("\" points=\"")
          .append(curve.stream().map(p -> String.format(Locale.ROOT, "%.1f,%.1f", sx.applyAsDouble(p.kbps()),
              sy.applyAsDouble(p.quality()))).collect(Collectors.joining(" "))).append("\"/>\n");
      curve.forEach(p -> s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
          sx.applyAsDouble(p.kbps()), sy.applyAsDouble(p.quality()), c)));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">probe %s</text>%n", w - right + 10,
          top + 14 * (i + 1), c, size));
    }
    int legend = sizes.size() + 1;
    if (chosen != null) {
      s.append("<polyline fill=\"none\" stroke=\"black\" stroke-dasharray=\"4 3\" stroke-width=\"2\" points=\"")
          .append(chosen.hull().stream().map(p -> String.format(Locale.ROOT, "%.1f,%.1f", sx.applyAsDouble(p.kbps()),
              sy.applyAsDouble(p.quality()))).collect(Collectors.joining(" "))).append("\"/>\n");
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">- - hull</text>%n", w - right + 10, top + 14 * legend++));
      for (PerTitleLadder.Chosen c : chosen.rungs()) {
        double x = sx.applyAsDouble(c.rung().targetKbps());
        double y = sy.applyAsDouble(c.predictedQuality());
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"none\" "
            + "stroke=\"black\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>%n", x - 4, y - 4, x + 6, y - 6, esc(c.rung().id())));
      }
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">□ chosen (predicted)</text>%n", w - right + 10,
          top + 14 * legend++));
    }
    for (EncodedRung r : encoded) {
      s.append(String.format(Locale.ROOT, "<path d=\"M %.1f %.1f l 5 5 m -10 0 l 5 -5 l -5 -5 m 10 0 z\" "
          + "stroke=\"crimson\" stroke-width=\"2\"/>%n", sx.applyAsDouble(Math.max(1, r.averageKbps())),
          sy.applyAsDouble(r.quality())));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"crimson\">× encoded (measured)</text>%n",
        w - right + 10, top + 14 * legend));
    return s.append("</svg>\n").toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
