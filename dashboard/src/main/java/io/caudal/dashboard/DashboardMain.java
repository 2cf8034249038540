package io.caudal.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/caudal dashboard}: parses the options ({@link DashboardOptions}), then serves the
 * dashboard, adds a user, prints a password's hash, or prints the dashboard's queries (for the
 * benchmark). A bad option is one line on stderr and exit code 2; a failure, exit code 1.
 */
public final class DashboardMain {

  static final long SESSION_IDLE_MS = 8 * 3600 * 1000L;
  static final String FIRST_USER = "admin";
  /** The first user's password, when no terminal shows it; beside the users file. */
  static final String FIRST_PASSWORD_FILE = "dashboard-admin-password.txt";

  private DashboardMain() {}

  public static void main(String[] args) throws Exception {
    Optional<DashboardOptions> parsed;
    try {
      parsed = DashboardOptions.parse(args);
    } catch (UsageException e) {
      System.exit(CommandLines.refuse("dashboard", e, System.err));
      return;
    }
    if (parsed.isEmpty()) {
      System.out.print(DashboardOptions.help());
      return;
    }
    DashboardOptions options = parsed.get();
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

  private static void addUser(DashboardOptions options) throws IOException {
    String name = options.newUser().orElseThrow();
    char[] password = readPassword("Password for " + name + ": ");
    Users.addUser(options.usersFile(), name, password);
    System.out.println("added " + name + " to " + options.usersFile());
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
  private static void printQueries(DashboardOptions options) throws IOException {
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

  private static void serve(DashboardOptions options) throws Exception {
    Users users = loadOrCreateUsers(
        options.usersFile(), Optional.ofNullable(System.console()).map(Console::writer), System.err);
    QoeTables tables = QoeTables.open(options.root(), options.memoryLimit(), options.threads());
    ReadOnlySql sql = new ReadOnlySql(tables, options.sqlTimeoutMs());
    Optional<SteeringFeed> steering = options.bootstrapServers().map(servers -> new SteeringFeed(servers).start());
    Optional<AlertFeed> alertFeed = options.bootstrapServers().map(servers -> new AlertFeed(servers).start());
    Optional<SessionTimeline> timeline =
        options.bootstrapServers().map(servers -> new SessionTimeline(servers, SessionTimeline.Limits.DEFAULT));
    DashboardServer server = new DashboardServer(
        new DashboardServer.Settings(options.host(), options.port(), options.sqlRowLimit(),
            options.csvRowLimit(), options.sqlByteLimit(), options.csvByteLimit(), SESSION_IDLE_MS,
            options.behindTls(), options.trustedProxy()),
        tables, sql, users,
        new DashboardServer.Feeds(steering, alertFeed, timeline, new AlertRuleStore(options.root())));
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
      alertFeed.ifPresent(feed -> {
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
   * password. The password is never written to standard error (a launcher may send that to a log
   * others can read): it goes to the terminal when there is one, otherwise only into
   * {@value #FIRST_PASSWORD_FILE} beside the users file, created readable by its owner alone from
   * the first byte.
   *
   * @param terminal the terminal, when the dashboard runs on one
   * @param messages where to say what was done (standard error)
   */
  static Users loadOrCreateUsers(Path file, Optional<PrintWriter> terminal, PrintStream messages) throws IOException {
    if (!Files.exists(file)) {
      String password = Users.generatePassword();
      if (terminal.isPresent()) {
        Users.addUser(file, FIRST_USER, password.toCharArray());
        terminal.get().println("dashboard: created " + file + " with user '" + FIRST_USER + "', password: " + password);
        terminal.get().println("dashboard: (shown once; add users with bin/caudal dashboard --add-user NAME)");
        terminal.get().flush();
      } else {
        Path passwordFile = firstPasswordFile(file);
        SecretFiles.createOwnerOnly(passwordFile, password + "\n");
        try {
          Users.addUser(file, FIRST_USER, password.toCharArray());
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(passwordFile);
          throw e;
        }
        messages.println("dashboard: created " + file + " with user '" + FIRST_USER + "'; its password is in "
            + passwordFile + " (readable by you only; delete it once read)");
      }
    }
    Users users = Users.load(file);
    if (users.names().isEmpty()) {
      throw new IllegalArgumentException(file + " has no users; add one with bin/caudal dashboard --add-user NAME");
    }
    return users;
  }

  /** Where the first user's password goes when there is no terminal: beside the users file. */
  static Path firstPasswordFile(Path usersFile) {
    return usersFile.toAbsolutePath().resolveSibling(FIRST_PASSWORD_FILE);
  }
}
