package io.caudal.localkafka;

import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

  public BrokerOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    CommandLines.between("--port", 1, 65_535, port);
  }

  /**
   * Parses the command line.
   *
   * @return the options, or empty when {@code --help} was asked for
   * @throws UsageException naming the option that is wrong and how
   */
  public static Optional<BrokerOptions> parse(String... args) {
    return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
  }

  /** Every option with its default, as {@code --help} prints it. */
  public static String help() {
    return CommandLines.usage(new Cli());
  }

  @Command(name = "LocalKafka", sortOptions = false,
      description = "A single-node KRaft Kafka with every Caudal topic, in the foreground until SIGTERM or Ctrl-C.")
  static final class Cli {
    @Option(names = "--data", paramLabel = "DIR",
        description = "where the broker keeps its metadata and logs; formatted on first start (default ${DEFAULT-VALUE})")
    Path dataDir = DEFAULT_DATA_DIR;

    @Option(names = "--port", paramLabel = "PORT", description = "the client port on localhost (default ${DEFAULT-VALUE})")
    int port = DEFAULT_PORT;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    BrokerOptions toOptions() {
      return new BrokerOptions(dataDir.toAbsolutePath().normalize(), port);
    }
  }
}
