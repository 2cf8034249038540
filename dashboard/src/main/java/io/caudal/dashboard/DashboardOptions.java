package io.caudal.dashboard;

import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The options of {@code bin/caudal dashboard}, parsed and checked.
 *
 * @param mode serve the dashboard, add a user, print a password's hash, or print the queries
 * @param root the Caudal root whose {@code tables/} the dashboard reads; a local folder
 * @param usersFile the users file; {@code <root>/dashboard-users.txt} unless given
 * @param host the address the server listens on
 * @param port the server's port; 0 for any free one
 * @param bootstrapServers the Kafka whose {@code qoe.steering} feeds the steering panel; none: not connected
 * @param sqlTimeoutMs how long a SQL query may run before it is cancelled
 * @param sqlRowLimit the most rows a SQL query returns
 * @param csvRowLimit the most rows a CSV download holds
 * @param sqlByteLimit the most bytes of one SQL answer
 * @param csvByteLimit the most bytes of one CSV download
 * @param memoryLimit DuckDB's memory limit, e.g. {@code 2GB}
 * @param threads DuckDB's threads
 * @param behindTls browsers reach the dashboard over https through a TLS-terminating proxy: cookies
 *     are marked {@code Secure}
 * @param trustedProxy the proxy's address, whose {@code X-Forwarded-For} names the client
 * @param newUser the user {@link Mode#ADD_USER} adds
 * @param from {@link Mode#PRINT_QUERIES}: the range's start, epoch ms; default 24 h before {@code to}
 * @param to {@link Mode#PRINT_QUERIES}: the range's end, epoch ms; default now
 */
public record DashboardOptions(
    Mode mode,
    Path root,
    Path usersFile,
    String host,
    int port,
    Optional<String> bootstrapServers,
    long sqlTimeoutMs,
    int sqlRowLimit,
    int csvRowLimit,
    long sqlByteLimit,
    long csvByteLimit,
    String memoryLimit,
    int threads,
    boolean behindTls,
    Optional<String> trustedProxy,
    Optional<String> newUser,
    Optional<String> from,
    Optional<String> to) {

  /** Default address: this machine only; put a TLS proxy in front to serve others. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8090;
  public static final String DEFAULT_ROOT = "caudal-data";
  /** Default users file, under the root. */
  public static final String DEFAULT_USERS_FILE = "dashboard-users.txt";
  public static final long DEFAULT_SQL_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_SQL_ROW_LIMIT = 10_000;
  public static final int DEFAULT_CSV_ROW_LIMIT = 100_000;
  /** 16 MiB: more than the panel's table shows, little for the heap. */
  public static final long DEFAULT_SQL_BYTE_LIMIT = 16L << 20;
  /** 256 MiB: streamed to the file, so it costs no heap; a bound on one download's size. */
  public static final long DEFAULT_CSV_BYTE_LIMIT = 256L << 20;
  public static final String DEFAULT_MEMORY_LIMIT = "2GB";
  public static final int DEFAULT_THREADS = 2;

  private static final Pattern SIZE = Pattern.compile("\\d+(\\.\\d+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)");

  /** What to do. */
  public enum Mode { SERVE, ADD_USER, PRINT_HASH, PRINT_QUERIES }

  /**
   * Parses the command line.
   *
   * @return the options, or empty when {@code --help} was asked for
   * @throws UsageException naming the option that is wrong and how, in one line
   */
  public static Optional<DashboardOptions> parse(String... args) {
    return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
  }

  /** Every option with its default, as {@code --help} prints it. */
  public static String help() {
    return CommandLines.usage(new Cli());
  }


  @Command(name = "bin/caudal dashboard", sortOptions = false,
      description = "The operators' QoE dashboard and read-only SQL over the QoE tables, behind a login; "
          + "or, with --add-user or --print-hash, manage its users.")
  static final class Cli {
    @Option(names = "--root", paramLabel = "DIR",
        description = "the Caudal root whose tables/ are shown; a local folder (default ${DEFAULT-VALUE})")
    String root = DEFAULT_ROOT;

    @Option(names = "--users", paramLabel = "FILE",
        description = "the users file, one name:bcrypt-hash a line (default <root>/" + DEFAULT_USERS_FILE + ")")
    Path users;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "the address to listen on (default ${DEFAULT-VALUE})")
    String host = DEFAULT_HOST;

    @Option(names = "--port", paramLabel = "N", description = "the port to listen on, 0 for any free one (default ${DEFAULT-VALUE})")
    int port = DEFAULT_PORT;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
        description = "the Kafka whose qoe.steering feeds the steering panel (default: none, the panel says so)")
    String bootstrapServers;

    @Option(names = "--sql-timeout-ms", paramLabel = "MS",
        description = "a SQL query is cancelled after this long (default ${DEFAULT-VALUE})")
    int sqlTimeoutMs = (int) DEFAULT_SQL_TIMEOUT_MS;

    @Option(names = "--sql-row-limit", paramLabel = "N", description = "the most rows a SQL query returns (default ${DEFAULT-VALUE})")
    int sqlRowLimit = DEFAULT_SQL_ROW_LIMIT;

    @Option(names = "--csv-row-limit", paramLabel = "N", description = "the most rows a CSV download holds (default ${DEFAULT-VALUE})")
    int csvRowLimit = DEFAULT_CSV_ROW_LIMIT;

    @Option(names = "--sql-byte-limit", paramLabel = "BYTES",
        description = "the most bytes of one SQL answer; longer ones are cut and say so (default ${DEFAULT-VALUE})")
    long sqlByteLimit = DEFAULT_SQL_BYTE_LIMIT;

    @Option(names = "--csv-byte-limit", paramLabel = "BYTES",
        description = "the most bytes of one CSV download (default ${DEFAULT-VALUE})")
    long csvByteLimit = DEFAULT_CSV_BYTE_LIMIT;

    @Option(names = "--memory-limit", paramLabel = "SIZE", description = "DuckDB's memory limit (default ${DEFAULT-VALUE})")
    String memoryLimit = DEFAULT_MEMORY_LIMIT;

    @Option(names = "--threads", paramLabel = "N", description = "DuckDB's threads (default ${DEFAULT-VALUE})")
    int threads = DEFAULT_THREADS;

    @Option(names = "--behind-tls",
        description = "browsers reach the dashboard over https through a TLS-terminating proxy: mark cookies Secure"
            + " and send HSTS (default: off, for http://127.0.0.1)")
    boolean behindTls;

    @Option(names = "--trusted-proxy", paramLabel = "ADDRESS",
        description = "the address the proxy connects from; its X-Forwarded-For then names the client for the login"
            + " throttle and the logs (default: none, the connection's address is the client's)")
    String trustedProxy;

    @Option(names = "--add-user", paramLabel = "NAME",
        description = "add or replace a user, the password read from the terminal or standard input, and exit")
    String addUser;

    @Option(names = "--print-hash", description = "print the bcrypt hash of a password read the same way, and exit")
    boolean printHash;

    @Option(names = "--print-queries",
        description = "print the overview's and a breakdown's SQL and parameters as JSON, for the benchmark, and exit")
    boolean printQueries;

    @Option(names = "--from", paramLabel = "EPOCH_MS", description = "--print-queries: the range's start (default 24 h before --to)")
    String from;

    @Option(names = "--to", paramLabel = "EPOCH_MS", description = "--print-queries: the range's end (default now)")
    String to;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    DashboardOptions toOptions() {
      if (root.contains("://")) {
        throw new UsageException(
            "--root must be a local folder (DuckDB reads local files); copy or mount the tables here, not " + root);
      }
      CommandLines.between("--port", 0, 65_535, port);
      CommandLines.between("--sql-timeout-ms", 100, 3_600_000, sqlTimeoutMs);
      CommandLines.between("--sql-row-limit", 1, 1_000_000, sqlRowLimit);
      CommandLines.between("--csv-row-limit", 1, 10_000_000, csvRowLimit);
      CommandLines.between("--threads", 1, 256, threads);
      CommandLines.between("--sql-byte-limit", 4096L, 1L << 30, sqlByteLimit);
      CommandLines.between("--csv-byte-limit", 4096L, 1L << 40, csvByteLimit);
      if (!SIZE.matcher(memoryLimit).matches()) {
        throw new UsageException("--memory-limit must be a size like 2GB, got '" + memoryLimit + "'");
      }
      if (trustedProxy != null && !trustedProxy.matches("[0-9A-Fa-f:.]{2,45}")) {
        throw new UsageException("--trusted-proxy must be an IP address (as the dashboard sees the proxy's"
            + " connections), got '" + trustedProxy + "'");
      }
      Path rootDir = Path.of(root);
      return new DashboardOptions(mode(), rootDir, users != null ? users : rootDir.resolve(DEFAULT_USERS_FILE), host,
          port, Optional.ofNullable(bootstrapServers), sqlTimeoutMs, sqlRowLimit, csvRowLimit,
          sqlByteLimit, csvByteLimit, memoryLimit, threads,
          behindTls, Optional.ofNullable(trustedProxy), Optional.ofNullable(addUser), Optional.ofNullable(from), Optional.ofNullable(to));
    }

    private Mode mode() {
      long chosen = (addUser != null ? 1 : 0) + (printHash ? 1 : 0) + (printQueries ? 1 : 0);
      if (chosen > 1) {
        throw new UsageException("--add-user, --print-hash and --print-queries do one thing each: give one");
      }
      return addUser != null ? Mode.ADD_USER : printHash ? Mode.PRINT_HASH : printQueries ? Mode.PRINT_QUERIES
          : Mode.SERVE;
    }
  }
}
