package io.caudal.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared validation corpus of input events, one case per line, which edge's collector and
 * qoe-stream's validator must decide alike (the file lives with the rules, in schemas' tests).
 */
public final class EventCorpus {

  /** Where the corpus lives, relative to the repository root. */
  public static final String PATH = "schemas/src/test/resources/validate/player-heartbeat-corpus.jsonl";

  private EventCorpus() {}

  /** Every case of the corpus, found from the running module's folder up to the repository root. */
  public static List<JsonNode> cases() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(PATH))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no folder above " + Path.of("").toAbsolutePath() + " holds " + PATH);
    }
    JsonMapper json = JsonMapper.builder().build();
    List<JsonNode> cases = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(dir.resolve(PATH))) {
        if (!line.isBlank()) {
          cases.add(json.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }
}
