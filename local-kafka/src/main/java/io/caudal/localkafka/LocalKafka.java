package io.caudal.localkafka;

import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.util.Optional;

/**
 * {@code bin/caudal kafka}: a single-node KRaft Kafka with every Caudal topic, in the foreground
 * until SIGTERM or Ctrl-C. Prints one line, {@code kafka ready on localhost:PORT (data in DIR)},
 * once clients can use it; errors are one line on stderr and exit code 1 (2 for bad options);
 * {@code --help} lists the options.
 */
public final class LocalKafka {
  private LocalKafka() {}

  public static void main(String[] args) {
    Optional<BrokerOptions> parsed;
    try {
      parsed = BrokerOptions.parse(args);
    } catch (UsageException e) {
      System.exit(CommandLines.refuse("local-kafka", e, System.err));
      return;
    }
    if (parsed.isEmpty()) {
      System.out.print(BrokerOptions.help());
      return;
    }
    BrokerOptions options = parsed.get();
    LocalBroker broker;
    try {
      broker = LocalBroker.start(options.dataDir(), options.port());
    } catch (RuntimeException e) {
      System.err.println("local-kafka: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "local-kafka-shutdown"));
    System.out.println("kafka ready on " + broker.bootstrapServers() + " (data in " + broker.dataDir() + ")");
    System.out.flush();
    broker.awaitShutdown();
  }
}
