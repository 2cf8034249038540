package io.caudal.recommend.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Counts of input rows that were refused, by reason, with a few examples: reported, never silently used. */
public final class Problems implements Serializable {
  private static final int MAX_EXAMPLES = 5;
  /** Long lines are cut so a report stays readable. */
  private static final int MAX_EXAMPLE_CHARS = 200;

  private final Map<String, Long> counts = new TreeMap<>();
  private final Map<String, List<String>> examples = new TreeMap<>();

  /** Counts one refused row; keeps at most 5 examples per reason. */
  public void add(String reason, String example) {
    Objects.requireNonNull(reason, "reason");
    counts.merge(reason, 1L, Long::sum);
    List<String> kept = examples.computeIfAbsent(reason, r -> new ArrayList<>());
    if (example != null && kept.size() < MAX_EXAMPLES) {
      kept.add(example.length() > MAX_EXAMPLE_CHARS ? example.substring(0, MAX_EXAMPLE_CHARS) + "…" : example);
    }
  }

  public long count(String reason) {
    return counts.getOrDefault(reason, 0L);
  }

  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Counts sorted by reason. */
  public Map<String, Long> counts() {
    return Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  /** For example {@code 3 rating outside 1-5 (e.g. 'u.data:17: …'), 1 unknown title (e.g. '…')}; "" when none. */
  public String summary() {
    return counts.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey() + examplesOf(e.getKey()))
        .collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return total() == 0 ? "no problems" : summary();
  }

  private String examplesOf(String reason) {
    List<String> kept = examples.get(reason);
    if (kept.isEmpty()) {
      return "";
    }
    return kept.stream().map(e -> "'" + e + "'").collect(Collectors.joining(", ", " (e.g. ", ")"));
  }
}
