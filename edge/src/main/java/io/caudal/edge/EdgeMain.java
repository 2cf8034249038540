package io.caudal.edge;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code caudal edge}: runs one edge server, or with {@code --sign} prints a signed playback URL.
 */
public final class EdgeMain {

  static final String USAGE = """
      usage: caudal edge [--root URI] [--port 8080] [--host 127.0.0.1] [--server-id edge-1] [--region local]
                         [--store URI] [--public-url URL] [--pathway ID=URL]... [--bootstrap-servers localhost:9092]
                         [--secret-file FILE] [--health-interval-seconds 5] [--capacity-mbps 1000] [--cache-mb 256]
             caudal edge --sign USER TITLE [--ttl SECONDS] [--root URI] [--public-url URL] [--secret-file FILE]""";

  /** A subscription grant lasts a day; a rental (TVOD) passes its period with --ttl. */
  static final long DEFAULT_TTL_SECONDS = 24 * 3600;
  static final String SECRET_ENV = "CAUDAL_EDGE_SECRET";

  private EdgeMain() {}

  public static void main(String[] args) throws Exception {
    Parsed parsed;
    try {
      parsed = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("caudal edge: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (parsed.sign() != null) {
      Sign sign = parsed.sign();
      long expires = System.currentTimeMillis() / 1000 + sign.ttlSeconds();
      String token = new TokenSigner(parsed.options().secret())
          .sign(PlaybackToken.forTitle(sign.userId(), sign.titleId(), expires));
      String base = parsed.options().publicUrl() != null ? parsed.options().publicUrl()
          : "http://" + parsed.options().host() + ":" + parsed.options().port();
      System.out.println("HLS:    " + base + "/t/" + token + "/vod/" + sign.titleId() + "/master.m3u8");
      System.out.println("DASH:   " + base + "/t/" + token + "/vod/" + sign.titleId() + "/manifest.mpd");
      System.out.println("player: " + base + "/play/" + sign.titleId() + "?token=" + token + "&format=hls");
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

  /** What to do: serve, or sign when {@code sign} is set. */
  record Parsed(EdgeOptions options, Sign sign) {}

  record Sign(String userId, String titleId, long ttlSeconds) {}

  static Parsed parse(String... args) throws IOException {
    int port = EdgeOptions.DEFAULT_PORT;
    String host = EdgeOptions.DEFAULT_HOST, root = "caudal-data", store = null, serverId = EdgeOptions.DEFAULT_SERVER_ID;
    String region = EdgeOptions.DEFAULT_REGION, publicUrl = null, bootstrap = EdgeOptions.DEFAULT_BOOTSTRAP;
    String secretFile = null;
    Map<String, String> pathways = new LinkedHashMap<>();
    Duration health = EdgeOptions.DEFAULT_HEALTH_INTERVAL;
    double capacity = EdgeOptions.DEFAULT_CAPACITY_MBPS;
    long cacheBytes = EdgeOptions.DEFAULT_CACHE_BYTES;
    Sign sign = null;
    long ttl = DEFAULT_TTL_SECONDS;
    List<String> rest = new ArrayList<>(List.of(args));
    for (int i = 0; i < rest.size(); i++) {
      String option = rest.get(i);
      if (option.equals("--sign")) {
        if (i + 2 >= rest.size()) {
          throw new IllegalArgumentException("--sign needs USER and TITLE");
        }
        sign = new Sign(rest.get(++i), rest.get(++i), 0);
        continue;
      }
      if (!option.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + option + "'");
      }
      if (i + 1 >= rest.size()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = rest.get(++i);
      switch (option) {
        case "--port" -> port = wholeNumber(option, value, 0, 65535);
        case "--host" -> host = value;
        case "--root" -> root = value;
        case "--store" -> store = value;
        case "--server-id" -> serverId = nonBlank(option, value);
        case "--region" -> region = nonBlank(option, value);
        case "--public-url" -> publicUrl = url(option, value);
        case "--pathway" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--pathway must be ID=URL, got '" + value + "'");
          }
          pathways.put(value.substring(0, eq), url(option, value.substring(eq + 1)));
        }
        case "--bootstrap-servers" -> bootstrap = nonBlank(option, value);
        case "--secret-file" -> secretFile = value;
        case "--health-interval-seconds" -> health = Duration.ofSeconds(wholeNumber(option, value, 1, 3600));
        case "--capacity-mbps" -> capacity = wholeNumber(option, value, 1, Integer.MAX_VALUE);
        case "--cache-mb" -> cacheBytes = (long) wholeNumber(option, value, 1, 1 << 20) << 20;
        case "--ttl" -> ttl = wholeNumber(option, value, 1, Integer.MAX_VALUE);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (sign != null) {
      sign = new Sign(sign.userId(), sign.titleId(), ttl);
    }
    byte[] secret = secret(secretFile, root);
    EdgeOptions options = new EdgeOptions(port, host, root, store, serverId, region, publicUrl, pathways, bootstrap,
        secret, health, capacity, cacheBytes, EdgeOptions.DEFAULT_MAX_BODY_BYTES, EdgeOptions.DEFAULT_KAFKA_TIMEOUT);
    return new Parsed(options, sign);
  }

  /**
   * The token key: the file given, else $CAUDAL_EDGE_SECRET, else {@code <root>/.edge-secret} made on first
   * use (local roots only), so every edge of a local fleet and the signing tool agree.
   */
  static byte[] secret(String secretFile, String root) throws IOException {
    if (secretFile != null) {
      byte[] bytes = Files.readAllBytes(java.nio.file.Path.of(secretFile));
      String text = new String(bytes, StandardCharsets.UTF_8).strip();
      if (text.length() < 16) {
        throw new IllegalArgumentException("--secret-file must hold at least 16 characters");
      }
      return text.getBytes(StandardCharsets.UTF_8);
    }
    String env = System.getenv(SECRET_ENV);
    if (env != null && !env.isBlank()) {
      if (env.strip().length() < 16) {
        throw new IllegalArgumentException(SECRET_ENV + " must hold at least 16 characters");
      }
      return env.strip().getBytes(StandardCharsets.UTF_8);
    }
    URI uri = URI.create(root.contains("://") ? root : "file:" + java.nio.file.Path.of(root).toAbsolutePath());
    if (!"file".equals(uri.getScheme())) {
      throw new IllegalArgumentException("give --secret-file or " + SECRET_ENV + " when the root is not local");
    }
    java.nio.file.Path file = java.nio.file.Path.of(uri.getPath(), ".edge-secret");
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      Files.writeString(file, HexFormat.of().formatHex(random));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    return Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
  }

  private static int wholeNumber(String option, String value, int min, int max) {
    try {
      int v = Integer.parseInt(value);
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }
  }

  private static String nonBlank(String option, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(option + " must not be blank");
    }
    return value;
  }

  private static String url(String option, String value) {
    if (!value.startsWith("http://") && !value.startsWith("https://")) {
      throw new IllegalArgumentException(option + " needs an http:// or https:// URL, got '" + value + "'");
    }
    return value.replaceAll("/+$", "");
  }
}
