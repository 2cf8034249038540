package io.caudal.qoe.flink;

import io.caudal.schemas.AlertRule;
import io.caudal.schemas.alert.AlertRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threshold rules under {@code <root>/config/alert-rules/}, one {@code <ruleId>.json} each,
 * read through Flink's file systems (a local folder or HDFS). A file that does not parse, breaks
 * a rule's checks or is named after another rule id is skipped, with its reason logged once per
 * change of the file; the others are in force.
 */
final class AlertRulesFolder implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRulesFolder.class);

  private final String folder;
  private final Map<String, String> reported = new HashMap<>();

  AlertRulesFolder(String root) {
    this.folder = root.replaceAll("/+$", "") + "/" + AlertRules.FOLDER;
  }

  /** The rules in force now, ordered by id; none when the folder does not exist. */
  List<AlertRule> read() throws IOException {
    Path path = new Path(folder);
    FileSystem fs = path.getFileSystem();
    List<AlertRule> rules = new ArrayList<>();
    if (!fs.exists(path)) {
      return rules;
    }
    Map<String, String> problems = new HashMap<>();
    for (FileStatus file : fs.listStatus(path)) {
      String name = file.getPath().getName();
      if (file.isDir() || !name.endsWith(".json")) {
        continue;
      }
      String text;
      try (InputStream in = fs.open(file.getPath())) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      try {
        AlertRule rule = AlertRules.parse(text);
        if (!AlertRules.fileName(rule).equals(name)) {
          throw new IllegalArgumentException("ruleId " + rule.getRuleId() + " belongs in " + AlertRules.fileName(rule));
        }
        rules.add(rule);
      } catch (IllegalArgumentException e) {
        String reason = e.getMessage();
        problems.put(name, reason);
        if (!reason.equals(reported.get(name))) {
          LOG.warn("alert rule file {} skipped: {}", file.getPath(), reason);
        }
      }
    }
    reported.clear();
    reported.putAll(problems);
    rules.sort(Comparator.comparing(AlertRule::getRuleId));
    return rules;
  }
}
