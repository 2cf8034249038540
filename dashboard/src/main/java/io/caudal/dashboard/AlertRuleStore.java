package io.caudal.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caudal.schemas.AlertRule;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.alert.AlertRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The threshold rules under {@code <root>/config/alert-rules/}, one {@code <ruleId>.json} each, as
 * qoe-stream reads them. Every rule is checked with {@link AlertRules} before it is written, and
 * written whole: to a hidden file in the same folder, then renamed over the rule's file, so the
 * running job never reads half a rule (it skips hidden files).
 */
public final class AlertRuleStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path folder;

  /** @param dataRoot the Caudal root; rules live under {@value AlertRules#FOLDER} in it */
  public AlertRuleStore(Path dataRoot) {
    this.folder = dataRoot.toAbsolutePath().normalize().resolve(AlertRules.FOLDER);
  }

  /** Where the rules live. */
  public Path folder() {
    return folder;
  }

  /**
   * Every rule file, by rule id: the rule as JSON, or for a file that does not parse (edited by
   * hand, say) its error, so the page can show it and the operator fix or remove it.
   */
  public synchronized List<Map<String, Object>> list() throws IOException {
    List<Map<String, Object>> rules = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return rules;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.json")) {
      for (Path file : stream) {
        if (!file.getFileName().toString().startsWith(".")) {
          files.add(file);
        }
      }
    }
    files.sort(Comparator.comparing(Path::toString));
    for (Path file : files) {
      String name = file.getFileName().toString();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("ruleId", name.substring(0, name.length() - ".json".length()));
      try {
        AlertRule rule = AlertRules.parse(Files.readString(file, StandardCharsets.UTF_8));
        entry.put("rule", JSON.readTree(JsonAvroCodec.toJson(rule)));
        entry.put("error", null);
      } catch (IllegalArgumentException e) {
        entry.put("rule", null);
        entry.put("error", e.getMessage());
      } catch (NoSuchFileException e) {
        continue; // removed while listing
      }
      rules.add(entry);
    }
    return rules;
  }

  /**
   * Adds a rule; refuses one whose id is taken.
   *
   * @throws IllegalArgumentException naming the bad field, or saying the id is taken
   */
  public synchronized AlertRule add(String json) throws IOException {
    AlertRule rule = AlertRules.parse(json);
    if (rule.getRuleId().startsWith(".")) {
      throw new IllegalArgumentException("ruleId: must not start with a dot (its file would be hidden, and skipped)");
    }
    if (Files.exists(fileOf(rule.getRuleId()))) {
      throw new IllegalArgumentException("ruleId: a rule " + rule.getRuleId() + " exists already; edit it instead");
    }
    write(rule);
    return rule;
  }

  /**
   * Replaces the rule {@code ruleId}; the body's ruleId must be the same.
   *
   * @throws IllegalArgumentException naming the bad field
   * @throws NoSuchFileException when there is no such rule
   */
  public synchronized AlertRule replace(String ruleId, String json) throws IOException {
    AlertRule rule = AlertRules.parse(json);
    if (!rule.getRuleId().equals(ruleId)) {
      throw new IllegalArgumentException("ruleId: the body's ruleId " + rule.getRuleId()
          + " differs from the rule being edited, " + ruleId + " (add a new rule to rename one)");
    }
    existing(ruleId);
    write(rule);
    return rule;
  }

  /**
   * Removes the rule {@code ruleId}.
   *
   * @throws NoSuchFileException when there is no such rule
   */
  public synchronized void remove(String ruleId) throws IOException {
    Files.delete(existing(ruleId));
  }

  /** The file of an existing rule; the id is looked up among the folder's files, never used as a path as given. */
  private Path existing(String ruleId) throws IOException {
    if (Files.isDirectory(folder)) {
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.json")) {
        for (Path file : stream) {
          if (file.getFileName().toString().equals(ruleId + ".json") && !ruleId.startsWith(".")) {
            return file;
          }
        }
      }
    }
    throw new NoSuchFileException("no alert rule " + ruleId);
  }

  /** The rule's file; only called with an id {@link AlertRules} accepted (no separators, no dots alone). */
  private Path fileOf(String ruleId) {
    return folder.resolve(ruleId + ".json");
  }

  private void write(AlertRule rule) throws IOException {
    Files.createDirectories(folder);
    Path target = folder.resolve(AlertRules.fileName(rule));
    Path hidden = folder.resolve("." + rule.getRuleId() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.writeString(hidden, JsonAvroCodec.toJson(rule) + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically on this file system", e);
      }
    } finally {
      Files.deleteIfExists(hidden);
    }
  }
}
