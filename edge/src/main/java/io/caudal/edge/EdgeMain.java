package io.caudal.edge;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.edge.viewer.Plan;
import io.caudal.edge.viewer.ViewerAccounts;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import io.caudal.schemas.protect.LocalSecrets;
import io.caudal.schemas.protect.MasterKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code caudal edge}: runs one edge server, or with {@code --sign} prints a signed playback URL.
 */
public final class EdgeMain {

  /** A subscription grant lasts a day; a rental (TVOD) passes its period with --ttl. */
  static final int DEFAULT_TTL_SECONDS = 24 * 3600;
  static final String SECRET_ENV = "CAUDAL_EDGE_SECRET";
  static final int MAX_CACHE_MB = 1 << 20;
  static final int MAX_HEALTH_INTERVAL_SECONDS = 3600;
  static final int MAX_BODY_TIMEOUT_SECONDS = 300;

  private EdgeMain() {}

  public static void main(String[] args) throws Exception {
    Optional<Parsed> asked;
    try {
      asked = parse(args);
    } catch (UsageException e) {
      System.exit(CommandLines.refuse("caudal edge", e, System.err));
      return;
    }
    if (asked.isEmpty()) {
      System.out.print(usage());
      return;
    }
    Parsed parsed = asked.get();
    if (parsed.sign() != null) {
      printSignedUrls(parsed.options(), parsed.sign());
      return;
    }
    if (parsed.addViewer() != null) {
      addViewer(parsed.options().viewers().usersFile(), parsed.addViewer());
      return;
    }
    EdgeServer server = EdgeServer.start(parsed.options());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("caudal edge: stopping: " + e);
      }
    }));
    System.out.println("edge " + server.options().serverId() + " serving at " + server.url());
    server.join();
  }

  private static void printSignedUrls(EdgeOptions options, Sign sign) {
    long expires = System.currentTimeMillis() / 1000 + sign.ttlSeconds();
    String token = new TokenSigner(options.secret()).sign(PlaybackToken.forTitle(sign.userId(), sign.titleId(), expires));
    String base = options.publicUrl() != null ? options.publicUrl() : "http://" + options.host() + ":" + options.port();
    System.out.println("HLS:    " + base + "/t/" + token + "/vod/" + sign.titleId() + "/master.m3u8");
    System.out.println("DASH:   " + base + "/t/" + token + "/vod/" + sign.titleId() + "/manifest.mpd");
    System.out.println("player: " + base + "/play/" + sign.titleId() + "?token=" + token + "&format=hls");
  }

  /** Adds a viewer to the viewers file, with a password read from the terminal (or the first line of stdin). */
  private static void addViewer(Path usersFile, AddViewer add) throws IOException {
    char[] password;
    if (System.console() != null) {
      password = System.console().readPassword("password for viewer %s: ", add.userId());
    } else {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
          .readLine();
      password = line == null ? new char[0] : line.toCharArray();
    }
    try {
      ViewerAccounts.addViewer(usersFile, add.userId(), add.plan(), password);
    } catch (IllegalArgumentException e) {
      System.err.println("caudal edge: " + e.getMessage());
      System.exit(2);
    }
    System.out.println("viewer " + add.userId() + " (" + add.plan().spelling() + ") written to " + usersFile);
  }

  /** What to do: serve, sign when {@code sign} is set, or add a viewer when {@code addViewer} is. */
  record Parsed(EdgeOptions options, Sign sign, AddViewer addViewer) {}

  record AddViewer(String userId, Plan plan) {}

  record Sign(String userId, String titleId, long ttlSeconds) {}

  /**
   * Parses the command line.
   *
   * @return what to do, or empty when help was asked for
   * @throws UsageException naming the option that is wrong
   * @throws IOException when the secret cannot be read or made
   */
  static Optional<Parsed> parse(String... args) throws IOException {
    Optional<Cli> cli = CommandLines.parse(new Cli(), args);
    return cli.isPresent() ? Optional.of(cli.get().toParsed()) : Optional.empty();
  }

  /** {@code --help}: every option with its default. */
  static String usage() {
    return CommandLines.usage(new Cli());
  }

  /** An http:// or https:// base URL, without trailing slashes. */
  static final class HttpUrl implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!value.startsWith("http://") && !value.startsWith("https://")) {
        throw new TypeConversionException("needs an http:// or https:// URL");
      }
      return value.replaceAll("/+$", "");
    }
  }

  /** Another server of the region: its id (a pathway id) and base URL. */
  record Pathway(String id, String url) {}

  static final class PathwayConverter implements ITypeConverter<Pathway> {
    @Override
    public Pathway convert(String value) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw new TypeConversionException("must be ID=URL");
      }
      return new Pathway(value.substring(0, eq), new HttpUrl().convert(value.substring(eq + 1)));
    }
  }

  @Command(name = "bin/caudal edge", sortOptions = false, synopsisHeading = "Usage:%n",
      customSynopsis = {
          "  bin/caudal edge [--root URI] [--port PORT] [--server-id ID] [--region R]",
          "                  [--pathway ID=URL]... [options]",
          "  bin/caudal edge --sign USER TITLE [--ttl S] [--root URI] [--public-url URL]",
          "                  [--secret-file FILE]",
          "  bin/caudal edge --viewers-file FILE --add-viewer NAME --plan svod|tvod",
          ""},
      description = {"Runs one edge server of the fleet, or with --sign prints signed playback URLs, or with",
          "--add-viewer adds a viewer of the app.", ""})
  static final class Cli {
    @Option(names = "--root", paramLabel = "URI",
        description = "Caudal root, file:// or hdfs://: the library is <root>/vod/, tables under <root>/tables/"
            + " (default ${DEFAULT-VALUE})")
    String root = EdgeOptions.DEFAULT_ROOT;
    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port = EdgeOptions.DEFAULT_PORT;
    @Option(names = "--host", paramLabel = "ADDRESS", description = "address to bind (default ${DEFAULT-VALUE})")
    String host = EdgeOptions.DEFAULT_HOST;
    @Option(names = "--server-id", paramLabel = "ID",
        description = "this server's id, also its content-steering pathway id (default ${DEFAULT-VALUE})")
    String serverId = EdgeOptions.DEFAULT_SERVER_ID;
    @Option(names = "--region", paramLabel = "R", description = "the region this server serves (default ${DEFAULT-VALUE})")
    String region = EdgeOptions.DEFAULT_REGION;
    @Option(names = "--store", paramLabel = "URI",
        description = "this server's own titles, which it replicates into (default <root>/edge/<server-id>/vod)")
    String store;
    @Option(names = "--public-url", paramLabel = "URL", converter = HttpUrl.class,
        description = "the base URL players reach this server at (default http://<host>:<port>)")
    String publicUrl;
    @Option(names = "--pathway", paramLabel = "ID=URL", converter = PathwayConverter.class,
        description = "another server of the region, offered to players as a pathway; overrides the URL its"
            + " health reports carry, which is otherwise learnt from them (repeatable)")
    List<Pathway> pathways = new ArrayList<>();
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
        description = "Kafka bootstrap servers (default ${DEFAULT-VALUE})")
    String bootstrapServers = EdgeOptions.DEFAULT_BOOTSTRAP;
    @Option(names = "--secret-file", paramLabel = "FILE",
        description = "the key of playback tokens (default $" + SECRET_ENV + ", else <root>/.edge-secret, made on first use)")
    Path secretFile;
    @Option(names = "--key-master-file", paramLabel = "FILE",
        description = "the master key that unwraps protected titles' content keys for licences (default $"
            + MasterKey.ENV + ", else <root>/" + MasterKey.LOCAL_FILE + " for a local root, made on first use)")
    Path keyMasterFile;
    @Option(names = "--health-interval-seconds", paramLabel = "S",
        description = "seconds between this server's health reports (default ${DEFAULT-VALUE})")
    int healthIntervalSeconds = (int) EdgeOptions.DEFAULT_HEALTH_INTERVAL.toSeconds();
    @Option(names = "--capacity-mbps", paramLabel = "MBPS",
        description = "egress capacity reported in health reports (default ${DEFAULT-VALUE})")
    int capacityMbps = (int) EdgeOptions.DEFAULT_CAPACITY_MBPS;
    @Option(names = "--cache-mb", paramLabel = "MB", description = "in-memory segment cache (default ${DEFAULT-VALUE})")
    int cacheMb = (int) (EdgeOptions.DEFAULT_CACHE_BYTES >> 20);
    @Option(names = "--max-uploads", paramLabel = "N",
        description = "request bodies in progress at once from all clients; more are answered 503 (default ${DEFAULT-VALUE})")
    int maxUploads = EdgeOptions.Guards.DEFAULT_MAX_UPLOADS;
    @Option(names = "--max-uploads-per-client", paramLabel = "N",
        description = "request bodies in progress at once from one address; more are answered 429 (default ${DEFAULT-VALUE})")
    int maxUploadsPerClient = EdgeOptions.Guards.DEFAULT_MAX_UPLOADS_PER_CLIENT;
    @Option(names = "--body-timeout-seconds", paramLabel = "S",
        description = "the longest a request body may take; then 408 (default ${DEFAULT-VALUE})")
    int bodyTimeoutSeconds = (int) EdgeOptions.Guards.DEFAULT_BODY_TIMEOUT.toSeconds();
    @Option(names = "--min-body-rate", paramLabel = "BYTES_PER_S",
        description = "the slowest a request body may arrive after its first 2 s; then 408 (default ${DEFAULT-VALUE})")
    long minBodyRate = EdgeOptions.Guards.DEFAULT_MIN_BODY_BYTES_PER_SECOND;
    @Option(names = "--allowed-origin", paramLabel = "URL", converter = HttpUrl.class,
        description = "a web origin whose player pages may call this server (repeatable; default this server's"
            + " and its pathways' origins)")
    List<String> allowedOrigins = new ArrayList<>();
    @Option(names = "--max-ttl", paramLabel = "S",
        description = "the longest a playback grant may last, signed or honoured (default ${DEFAULT-VALUE}, 30 days)")
    long maxTtlSeconds = EdgeOptions.Guards.DEFAULT_MAX_GRANT_LIFETIME.toSeconds();
    @Option(names = "--sign", arity = "2", paramLabel = "USER TITLE", hideParamSyntax = true,
        description = "print signed HLS, DASH and player-page URLs of TITLE for USER instead of serving")
    List<String> sign;
    @Option(names = "--ttl", paramLabel = "S",
        description = "with --sign: seconds the grant lasts, a rental's period (default ${DEFAULT-VALUE}, a day)")
    int ttlSeconds = DEFAULT_TTL_SECONDS;
    @Option(names = "--viewers-file", paramLabel = "FILE",
        description = "viewers who may sign in to the app at /app/: name:svod|tvod:bcrypt-hash lines (default none)")
    Path viewersFile;
    @Option(names = "--viewer-demo",
        description = "let anyone sign in to the app as a demo viewer (u00001..u00040, every fourth on tvod), no password")
    boolean viewerDemo;
    @Option(names = "--rental-hours", paramLabel = "H",
        description = "how long a tvod rental lasts once started (default ${DEFAULT-VALUE})")
    int rentalHours = (int) EdgeOptions.Viewers.DEFAULT_RENTAL_PERIOD.toHours();
    @Option(names = "--add-viewer", paramLabel = "NAME",
        description = "add NAME to --viewers-file (password from the terminal or stdin) instead of serving")
    String addViewer;
    @Option(names = "--plan", paramLabel = "PLAN", description = "with --add-viewer: svod or tvod (default ${DEFAULT-VALUE})")
    String plan = Plan.SVOD.spelling();
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    Parsed toParsed() throws IOException {
      CommandLines.between("--port", 0, 65_535, port);
      CommandLines.between("--health-interval-seconds", 1, MAX_HEALTH_INTERVAL_SECONDS, healthIntervalSeconds);
      CommandLines.atLeast("--capacity-mbps", 1, capacityMbps);
      CommandLines.between("--cache-mb", 1, MAX_CACHE_MB, cacheMb);
      CommandLines.atLeast("--ttl", 1, ttlSeconds);
      CommandLines.atLeast("--max-uploads", 1, maxUploads);
      CommandLines.between("--max-uploads-per-client", 1, maxUploads, maxUploadsPerClient);
      CommandLines.between("--body-timeout-seconds", 1, MAX_BODY_TIMEOUT_SECONDS, bodyTimeoutSeconds);
      CommandLines.atLeast("--min-body-rate", 0, minBodyRate);
      CommandLines.atLeast("--max-ttl", 1, maxTtlSeconds);
      if (sign != null && ttlSeconds > maxTtlSeconds) {
        throw new UsageException("--ttl " + ttlSeconds + " is longer than --max-ttl " + maxTtlSeconds);
      }
      CommandLines.atLeast("--rental-hours", 1, rentalHours);
      // A rental's token lasts as long as the rental, so it must be one this server honours.
      if ((viewerDemo || viewersFile != null) && rentalHours * 3600L > maxTtlSeconds) {
        throw new UsageException("--rental-hours " + rentalHours + " is longer than --max-ttl " + maxTtlSeconds + " s");
      }
      Plan viewerPlan;
      try {
        viewerPlan = Plan.parse(plan);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--plan must be svod or tvod, got '" + plan + "'");
      }
      if (addViewer != null && viewersFile == null) {
        throw new UsageException("--add-viewer needs --viewers-file");
      }
      if (viewersFile != null && addViewer == null && sign == null && !Files.isRegularFile(viewersFile)) {
        throw new UsageException("--viewers-file " + viewersFile + " does not exist (add a viewer with --add-viewer NAME)");
      }
      if (keyMasterFile != null && !Files.isReadable(keyMasterFile)) {
        throw new UsageException("--key-master-file " + keyMasterFile + " cannot be read");
      }
      requireNonBlank("--server-id", serverId);
      requireNonBlank("--region", region);
      requireNonBlank("--bootstrap-servers", bootstrapServers);
      Map<String, String> others = new LinkedHashMap<>();
      pathways.forEach(p -> others.put(p.id(), p.url()));
      EdgeOptions options = new EdgeOptions(port, host, root, store, serverId, region, publicUrl, others,
          bootstrapServers, secret(secretFile, root), Duration.ofSeconds(healthIntervalSeconds), capacityMbps,
          (long) cacheMb << 20, EdgeOptions.DEFAULT_MAX_BODY_BYTES, EdgeOptions.DEFAULT_KAFKA_TIMEOUT,
          new EdgeOptions.Guards(maxUploads, maxUploadsPerClient, Duration.ofSeconds(bodyTimeoutSeconds), minBodyRate,
              allowedOrigins, Duration.ofSeconds(maxTtlSeconds)),
          new EdgeOptions.Viewers(viewersFile, viewerDemo, EdgeOptions.Viewers.DEFAULT_DEMO_VIEWERS,
              Duration.ofHours(rentalHours)), keyMasterFile);
      return new Parsed(options, sign == null ? null : new Sign(sign.get(0), sign.get(1), ttlSeconds),
          addViewer == null ? null : new AddViewer(addViewer, viewerPlan));
    }

    private static void requireNonBlank(String option, String value) {
      if (value.isBlank()) {
        throw new UsageException(option + " must not be blank");
      }
    }
  }

  /**
   * The token key: the file given, else $CAUDAL_EDGE_SECRET, else {@code <root>/.edge-secret} made on first
   * use (local roots only), so every edge of a local fleet and the signing tool agree.
   */
  static byte[] secret(Path secretFile, String root) throws IOException {
    if (secretFile != null) {
      String text;
      try {
        text = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
      } catch (NoSuchFileException e) {
        throw new UsageException("--secret-file " + secretFile + " does not exist");
      }
      if (text.length() < 16) {
        throw new UsageException("--secret-file must hold at least 16 characters");
      }
      return text.getBytes(StandardCharsets.UTF_8);
    }
    String env = System.getenv(SECRET_ENV);
    if (env != null && !env.isBlank()) {
      if (env.strip().length() < 16) {
        throw new UsageException(SECRET_ENV + " must hold at least 16 characters");
      }
      return env.strip().getBytes(StandardCharsets.UTF_8);
    }
    Path local = LocalSecrets.localFolder(root).orElseThrow(
        () -> new UsageException("give --secret-file or " + SECRET_ENV + " when the root is not local"));
    return LocalSecrets.readOrCreate(local.resolve(".edge-secret")).getBytes(StandardCharsets.UTF_8);
  }
}
