package io.caudal.localkafka;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link LocalKafka} is started with.
 *
 * @param dataDir where the broker keeps its metadata and logs; formatted on first start
 * @param port the client (PLAINTEXT) port on localhost
 */
public record BrokerOptions(Path dataDir, int port) {
  /** Kafka's usual client port. */
  public static final int DEFAULT_PORT = 9092;
  /** {@code ./caudal-data/kafka}, i.e. {@code <root>/kafka} with the launcher's default root. */
  public static final Path DEFAULT_DATA_DIR = Path.of("caudal-data", "kafka");

  public static final String USAGE = "usage: LocalKafka [--data DIR] [--port PORT]  (defaults: "
      + DEFAULT_DATA_DIR + ", " + DEFAULT_PORT + ")";

  public BrokerOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("--port must be 1-65535, got " + port);
    }
  }

  /** Parses the command line; throws {@link IllegalArgumentException} naming what was wrong. */
  public static BrokerOptions parse(String... args) {
    Path dataDir = DEFAULT_DATA_DIR;
    int port = DEFAULT_PORT;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      switch (option) {
        case "--data" -> dataDir = Path.of(valueOf(args, ++i, option));
        case "--port" -> port = intValue(valueOf(args, ++i, option), option);
        default -> throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
      }
    }
    return new BrokerOptions(dataDir.toAbsolutePath().normalize(), port);
  }

  static String valueOf(String[] args, int index, String option) {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  static int intValue(String text, String option) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, got '" + text + "'");
    }
  }
}
