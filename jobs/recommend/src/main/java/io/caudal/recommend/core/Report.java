package io.caudal.recommend.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation as JSON (one object: every model's metrics, and the chosen one under
 * {@code "chosen"}) and as a readable HTML page with an SVG bar chart of the ranking metrics.
 */
public final class Report {
  private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
  private static final String[] METRICS = {"precision_at_10", "recall_at_10", "ndcg_at_10", "map_at_10"};
  private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759"};

  private Report() {}

  /**
   * @param models every model's held-out metrics, fitted with its chosen hyper-parameters
   * @param tuning how each model's hyper-parameters were chosen on the validation split, by model name
   * @param search how the search was bounded, e.g. "16 trials or 600 s", reported as is
   */
  public static ObjectNode json(String protocol, String dataset, List<ModelMetrics> models, ModelMetrics chosen,
      String problems, Map<String, ModelTuning> tuning, String search) {
    ObjectNode root = JSON.createObjectNode();
    root.put("protocol", protocol);
    root.put("dataset", dataset);
    ObjectNode byModel = root.putObject("models");
    for (ModelMetrics m : models) {
      ObjectNode node = metrics(m);
      ModelTuning t = tuning.get(m.model());
      if (t != null) {
        node.set("params", params(t.best().point()));
        node.put("validation_ndcg_at_10", round(t.best().validation().ndcg()));
      }
      root.set(m.model(), node);
      byModel.set(m.model(), node);
    }
    ObjectNode c = metrics(chosen);
    c.put("model", chosen.model());
    if (tuning.containsKey(chosen.model())) {
      c.set("params", params(tuning.get(chosen.model()).best().point()));
    }
    root.set("chosen", c);
    root.set("tuning", tuning(tuning, search));
    if (!problems.isEmpty()) {
      root.put("refused_input", problems);
    }
    return root;
  }

  /** Every model's search: the start, each point tried with its validation metrics, the choice. */
  private static ObjectNode tuning(Map<String, ModelTuning> tuning, String search) {
    ObjectNode t = JSON.createObjectNode();
    t.put("metric", "ndcg_at_10 on the validation split carved from the training part");
    t.put("method", "coordinate ascent over a grid from the start point, " + search);
    ObjectNode byModel = t.putObject("models");
    tuning.forEach((model, mt) -> {
      ObjectNode m = byModel.putObject(model);
      m.set("chosen", params(mt.best().point()));
      m.put("validation_ndcg_at_10", round(mt.best().validation().ndcg()));
      m.set("start", params(mt.tried().get(0).point()));
      m.put("start_validation_ndcg_at_10", round(mt.tried().get(0).validation().ndcg()));
      m.put("trials", mt.tried().size());
      m.put("stopped", mt.stop().toString());
      ArrayNode tried = m.putArray("tried");
      for (ModelTuning.Tried one : mt.tried()) {
        ObjectNode n = tried.addObject();
        n.set("params", params(one.point()));
        n.put("ndcg_at_10", round(one.validation().ndcg()));
        n.put("map_at_10", round(one.validation().map()));
        n.put("train_s", round(one.validation().trainSeconds()));
        n.put("score_s", round(one.validation().scoreSeconds()));
      }
    });
    return t;
  }

  private static ObjectNode params(ParameterSearch.Point point) {
    ObjectNode n = JSON.createObjectNode();
    point.values().forEach((k, v) -> {
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        n.put(k, v.longValue());
      } else {
        n.put(k, v);
      }
    });
    return n;
  }

  private static ObjectNode metrics(ModelMetrics m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("precision_at_10", round(m.precision()));
    n.put("recall_at_10", round(m.recall()));
    n.put("ndcg_at_10", round(m.ndcg()));
    n.put("map_at_10", round(m.map()));
    n.put("catalog_coverage", round(m.coverage()));
    n.put("novelty", round(m.novelty()));
    if (m.rmse() != null) {
      n.put("rmse", round(m.rmse()));
    }
    n.put("train_s", round(m.trainSeconds()));
    n.put("score_s", round(m.scoreSeconds()));
    return n;
  }

  public static String toJson(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-contained HTML page: a table of every metric and a grouped bar chart. */
  public static String html(String protocol, String dataset, List<ModelMetrics> models, ModelMetrics chosen,
      Map<String, ModelTuning> tuning) {
    StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\">")
        .append("<title>Caudal recommend: evaluation</title><style>body{font-family:sans-serif;margin:2em}")
        .append("table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}.chosen{font-weight:bold}</style></head><body>")
        .append("<h1>Recommendation models, offline evaluation</h1>")
        .append("<p>Protocol: ").append(escape(protocol)).append(". Data: ").append(escape(dataset))
        .append(". Chosen model: <b>").append(escape(chosen.model())).append("</b>.</p>");
    h.append("<table><tr><th>model</th><th>P@10</th><th>R@10</th><th>nDCG@10</th><th>MAP@10</th>")
        .append("<th>coverage</th><th>novelty</th><th>RMSE</th><th>fit s</th><th>score s</th></tr>");
    for (ModelMetrics m : models) {
      h.append("<tr").append(m.model().equals(chosen.model()) ? " class=\"chosen\"" : "").append("><td>")
          .append(escape(m.model())).append("</td>");
      for (double v : new double[] {m.precision(), m.recall(), m.ndcg(), m.map(), m.coverage(), m.novelty()}) {
        h.append("<td>").append(fmt(v)).append("</td>");
      }
      h.append("<td>").append(m.rmse() == null ? "–" : fmt(m.rmse())).append("</td><td>")
          .append(fmt(m.trainSeconds())).append("</td><td>").append(fmt(m.scoreSeconds())).append("</td></tr>");
    }
    h.append("</table>").append(chart(models)).append(tuningTable(tuning)).append("</body></html>\n");
    return h.toString();
  }

  /** One row per point tried, the chosen one of each model in bold. */
  private static String tuningTable(Map<String, ModelTuning> tuning) {
    StringBuilder h = new StringBuilder("<h2>Hyper-parameters tried on the validation split</h2>")
        .append("<table><tr><th>model</th><th>parameters</th><th>nDCG@10</th><th>MAP@10</th><th>fit s</th>")
        .append("<th>score s</th></tr>");
    tuning.forEach((model, t) -> {
      for (int n = 0; n < t.tried().size(); n++) {
        ModelTuning.Tried one = t.tried().get(n);
        h.append("<tr").append(n == t.chosen() ? " class=\"chosen\"" : "").append("><td>").append(escape(model))
            .append("</td><td>").append(escape(one.point().toString())).append("</td><td>")
            .append(fmt(one.validation().ndcg())).append("</td><td>").append(fmt(one.validation().map()))
            .append("</td><td>").append(fmt(one.validation().trainSeconds())).append("</td><td>")
            .append(fmt(one.validation().scoreSeconds())).append("</td></tr>");
      }
    });
    return h.append("</table>").toString();
  }

  private static String chart(List<ModelMetrics> models) {
    int groupWidth = METRICS.length * 22 + 30;
    int width = 60 + models.size() * groupWidth;
    int height = 260;
    double max = models.stream().mapToDouble(m -> Math.max(Math.max(m.precision(), m.recall()), Math.max(m.ndcg(), m.map())))
        .max().orElse(1);
    double scale = 200 / Math.max(max, 1e-9);
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "<h2>Ranking metrics at 10</h2><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">", width, height + 60));
    s.append(String.format(Locale.ROOT, "<line x1=\"50\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", height, width, height));
    for (int g = 0; g < models.size(); g++) {
      ModelMetrics m = models.get(g);
      double[] values = {m.precision(), m.recall(), m.ndcg(), m.map()};
      int x0 = 60 + g * groupWidth;
      for (int v = 0; v < values.length; v++) {
        double bar = values[v] * scale;
        s.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%.1f\" width=\"20\" height=\"%.1f\" fill=\"%s\"><title>%s %s %.4f</title></rect>",
            x0 + v * 22, height - bar, bar, COLORS[v], escape(m.model()), METRICS[v], values[v]));
      }
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>", x0, height + 16,
          escape(m.model())));
    }
    for (int v = 0; v < METRICS.length; v++) {
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>", 60 + v * 130, height + 34, COLORS[v],
          74 + v * 130, height + 43, METRICS[v]));
    }
    return s.append("</svg>").toString();
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
