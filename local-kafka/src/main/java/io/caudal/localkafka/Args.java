package io.caudal.localkafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of one {@link LoadTool} mode; anything unknown or malformed is refused by name. */
final class Args {
  private final String mode;
  private final Map<String, String> values = new HashMap<>();

  Args(String mode, List<String> args, Set<String> known) {
    this.mode = mode;
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (!known.contains(name)) {
        throw new IllegalArgumentException(mode + ": unknown option " + name + " (known: " + String.join(", ",
            known.stream().sorted().toList()) + ")");
      }
      if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
        throw new IllegalArgumentException(mode + ": " + name + " needs a value");
      }
      values.put(name, args.get(++i));
    }
  }

  String string(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException(mode + ": " + name + " is required");
    }
    return value;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  long number(String name, long fallback) {
    return values.containsKey(name) ? number(name) : fallback;
  }

  long number(String name) {
    String text = string(name);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(mode + ": " + name + " must be a whole number, got '" + text + "'");
    }
  }

  /** A required positive number. */
  long positive(String name) {
    string(name);
    return positive(name, 0);
  }

  long positive(String name, long fallback) {
    long value = number(name, fallback);
    if (value <= 0) {
      throw new IllegalArgumentException(mode + ": " + name + " must be positive, got " + value);
    }
    return value;
  }
}
