package io.caudal.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/caudal dashboard}: parses options, then serves the dashboard, adds a user, or prints
 * the dashboard's queries (for the benchmark).
 */
public final class DashboardMain {

  /** Default address: this machine only; put a TLS proxy in front to serve others. */
  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 8090;
  static final String DEFAULT_ROOT = "caudal-data";
  /** Default users file, under the root. */
  static final String DEFAULT_USERS_FILE = "dashboard-users.txt";
  static final long DEFAULT_SQL_TIMEOUT_MS = 10_000;
  static final int DEFAULT_SQL_ROW_LIMIT = 10_000;
  static final int DEFAULT_CSV_ROW_LIMIT = 100_000;
  static final String DEFAULT_MEMORY_LIMIT = "2GB";
  static final int DEFAULT_THREADS = 2;
  static final long SESSION_IDLE_MS = 8 * 3600 * 1000L;
  static final String FIRST_USER = "admin";

  /** What to do. */
  enum Mode { SERVE, ADD_USER, PRINT_HASH, PRINT_QUERIES }

  /** The parsed command line. */
  record Options(
      Mode mode,
      Path root,
      Path usersFile,
      String host,
      int port,
      Optional<String> bootstrapServers,
      long sqlTimeoutMs,
      int sqlRowLimit,
      int csvRowLimit,
      String memoryLimit,
      int threads,
      String newUser,
      Optional<String> from,
      Optional<String> to) {}

  private DashboardMain() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("dashboard: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      switch (options.mode()) {
        case ADD_USER -> addUser(options);
        case PRINT_HASH -> {
          char[] password = readPassword("Password: ");
          Users.checkNewUser("user", password);
          System.out.println(Users.hash(password));
        }
        case PRINT_QUERIES -> printQueries(options);
        case SERVE -> serve(options);
      }
    } catch (IllegalArgumentException | IOException | IllegalStateException e) {
      System.err.println("dashboard: " + e.getMessage());
      System.exit(1);
    }
  }

  static Options parse(String[] args) {
    Mode mode = Mode.SERVE;
    Path root = Path.of(DEFAULT_ROOT);
    Path users = null;
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    String bootstrap = null;
    long timeoutMs = DEFAULT_SQL_TIMEOUT_MS;
    int rowLimit = DEFAULT_SQL_ROW_LIMIT;
    int csvLimit = DEFAULT_CSV_ROW_LIMIT;
    String memory = DEFAULT_MEMORY_LIMIT;
    int threads = DEFAULT_THREADS;
    String newUser = null;
    String from = null;
    String to = null;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      switch (option) {
        case "--root" -> {
          String text = value(args, ++i, option);
          if (text.contains("://")) {
            throw new IllegalArgumentException(
                "--root must be a local folder (DuckDB reads local files); copy or mount the tables here, not " + text);
          }
          root = Path.of(text);
        }
        case "--users" -> users = Path.of(value(args, ++i, option));
        case "--host" -> host = value(args, ++i, option);
        case "--port" -> port = intValue(args, ++i, option, 0, 65535);
        case "--bootstrap-servers" -> bootstrap = value(args, ++i, option);
        case "--sql-timeout-ms" -> timeoutMs = intValue(args, ++i, option, 100, 3_600_000);
        case "--sql-row-limit" -> rowLimit = intValue(args, ++i, option, 1, 1_000_000);
        case "--csv-row-limit" -> csvLimit = intValue(args, ++i, option, 1, 10_000_000);
        case "--memory-limit" -> memory = value(args, ++i, option);
        case "--threads" -> threads = intValue(args, ++i, option, 1, 256);
        case "--add-user" -> {
          mode = Mode.ADD_USER;
          newUser = value(args, ++i, option);
        }
        case "--print-queries" -> mode = Mode.PRINT_QUERIES;
        case "--print-hash" -> mode = Mode.PRINT_HASH;
        case "--from" -> from = value(args, ++i, option);
        case "--to" -> to = value(args, ++i, option);
        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
      }
    }
    if (!memory.matches("\\d+(\\.\\d+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)")) {
      throw new IllegalArgumentException("--memory-limit: expected a size like 2GB, got '" + memory + "'");
    }
    return new Options(mode, root, users == null ? root.resolve(DEFAULT_USERS_FILE) : users, host, port,
        Optional.ofNullable(bootstrap), timeoutMs, rowLimit, csvLimit, memory, threads, newUser,
        Optional.ofNullable(from), Optional.ofNullable(to));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int intValue(String[] args, int i, String option, int min, int max) {
    String text = value(args, i, option);
    try {
      int parsed = Integer.parseInt(text);
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException(option + ": between " + min + " and " + max + ", got " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": not a whole number: '" + text + "'");
    }
  }

  private static void addUser(Options options) throws IOException {
    char[] password = readPassword("Password for " + options.newUser() + ": ");
    Users.addUser(options.usersFile(), options.newUser(), password);
    System.out.println("added " + options.newUser() + " to " + options.usersFile());
  }

  /** Reads a password from the terminal (twice), or the first line of standard input. */
  private static char[] readPassword(String prompt) throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] password = console.readPassword("%s", prompt);
      char[] again = console.readPassword("Again: ");
      if (password == null || !java.util.Arrays.equals(password, again)) {
        throw new IllegalArgumentException("the two passwords differ");
      }
      return password;
    }
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null) {
      throw new IllegalArgumentException("give the password on standard input");
    }
    return line.toCharArray();
  }

  /**
   * Prints the overview and a typical breakdown exactly as the API runs them, with their
   * parameters, so the benchmark can run the same statements directly in DuckDB.
   */
  private static void printQueries(Options options) throws IOException {
    TimeRange range = TimeRange.parse(options.from().orElse(null), options.to().orElse(null),
        System.currentTimeMillis());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("overview", Map.of("sql", QoeQueries.OVERVIEW_SQL,
        "params", typed(QoeQueries.overviewParams(range))));
    out.put("breakdown", Map.of("sql", QoeQueries.breakdownSql(BENCH_BREAKDOWN_SORT),
        "params", typed(QoeQueries.breakdownParams(BENCH_BREAKDOWN_DIMENSION, range, BENCH_BREAKDOWN_LIMIT)),
        "api", "/api/breakdown?dimension=" + BENCH_BREAKDOWN_DIMENSION + "&sort=" + BENCH_BREAKDOWN_SORT
            + "&limit=" + BENCH_BREAKDOWN_LIMIT));
    System.out.println(new ObjectMapper().writeValueAsString(out));
  }

  /** The benchmark's "typical breakdown": servers, worst rebuffering first, as the panel asks. */
  static final String BENCH_BREAKDOWN_DIMENSION = "server";
  static final String BENCH_BREAKDOWN_SORT = "rebufferingRatio";
  static final int BENCH_BREAKDOWN_LIMIT = 50;

  private static List<Map<String, Object>> typed(List<Object> params) {
    return params.stream()
        .map(param -> Map.<String, Object>of(
            "type", param instanceof java.time.LocalDate ? "date" : param instanceof String ? "string" : "integer",
            "value", param instanceof java.time.LocalDate ? param.toString() : param))
        .toList();
  }

  private static void serve(Options options) throws Exception {
    Users users = loadOrCreateUsers(options.usersFile());
    QoeTables tables = QoeTables.open(options.root(), options.memoryLimit(), options.threads());
    ReadOnlySql sql = new ReadOnlySql(tables, options.sqlTimeoutMs());
    Optional<SteeringFeed> steering = options.bootstrapServers().map(servers -> new SteeringFeed(servers).start());
    DashboardServer server = new DashboardServer(
        new DashboardServer.Settings(options.host(), options.port(), options.sqlRowLimit(),
            options.csvRowLimit(), SESSION_IDLE_MS),
        tables, sql, users, steering);
    int port = server.start();
    System.err.println("dashboard: serving " + tables.tablesDir() + " at http://" + options.host() + ":" + port + "/");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      steering.ifPresent(feed -> {
        try {
          feed.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      sql.close();
      stopped.countDown();
    }));
    stopped.await();
  }

  /**
   * The users file; on a first local run without one, creates it with one user and a generated
   * password, printed once.
   */
  static Users loadOrCreateUsers(Path file) throws IOException {
    if (!Files.exists(file)) {
      String password = Users.generatePassword();
      Users.addUser(file, FIRST_USER, password.toCharArray());
      System.err.println("dashboard: created " + file + " with user '" + FIRST_USER + "', password: " + password);
      System.err.println("dashboard: (shown once; add users with bin/caudal dashboard --add-user NAME)");
    }
    Users users = Users.load(file);
    if (users.names().isEmpty()) {
      throw new IllegalArgumentException(file + " has no users; add one with bin/caudal dashboard --add-user NAME");
    }
    return users;
  }
}
