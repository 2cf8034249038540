package io.caudal.localkafka;

/**
 * {@code bin/caudal kafka}: a single-node KRaft Kafka with every Caudal topic, in the foreground
 * until SIGTERM or Ctrl-C. Prints one line, {@code kafka ready on localhost:PORT (data in DIR)},
 * once clients can use it; errors are one line on stderr and exit code 1 (2 for bad options).
 */
public final class LocalKafka {
  private LocalKafka() {}

  public static void main(String[] args) {
    BrokerOptions options;
    try {
      options = BrokerOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("local-kafka: " + e.getMessage());
      System.exit(2);
      return;
    }
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
