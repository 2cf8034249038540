package io.caudal.edge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of one edge server, as {@link EdgeMain} parses them; immutable.
 *
 * @param port HTTP port (0 picks a free one)
 * @param host address to bind
 * @param root Caudal root URI: the published library is {@code <root>/vod/}, tables under {@code <root>/tables/}
 * @param store this server's own store folder (URI); the titles it holds and replicates into
 * @param serverId this server's id, which is also its content-steering pathway id
 * @param region the region this server serves
 * @param publicUrl the base URL players reach this server at
 * @param pathways other pathways (server id to base URL) written into the manifests edge serves, in the order given,
 *     before and over the ones learnt from health reports
 * @param bootstrapServers Kafka bootstrap servers
 * @param secret the HMAC key of playback tokens
 * @param healthInterval how often this server reports its health
 * @param capacityMbps egress capacity reported in health reports
 * @param cacheBytes size of the in-memory segment cache
 * @param maxBodyBytes largest request body accepted
 * @param kafkaTimeout how long a produce may take before the collector answers 503
 * @param guards what this server allows its clients: uploads, origins, grant lifetimes
 * @param viewers who may sign in to the viewer app, and what their plans grant
 * @param keyMasterFile the file holding the master key that unwraps protected titles' keys; null: {@code
 *     $CAUDAL_KEY_MASTER}, else a local root's own {@code .key-master}
 */
public record EdgeOptions(int port, String host, String root, String store, String serverId, String region,
    String publicUrl, Map<String, String> pathways, String bootstrapServers, byte[] secret,
    Duration healthInterval, double capacityMbps, long cacheBytes, int maxBodyBytes, Duration kafkaTimeout, Guards guards,
    Viewers viewers, Path keyMasterFile) {

  public static final String DEFAULT_ROOT = "caudal-data";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final String DEFAULT_SERVER_ID = "edge-1";
  public static final String DEFAULT_REGION = "local";
  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);
  public static final double DEFAULT_CAPACITY_MBPS = 1000;
  /** 256 MiB: a few minutes of a 1080p title at every rung. */
  public static final long DEFAULT_CACHE_BYTES = 256L << 20;
  /** 1 MiB: a batch of 1,000 heartbeats is about 400 KB of JSON. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
  /** Kept short so a player hears 503 quickly while Kafka is away. */
  public static final Duration DEFAULT_KAFKA_TIMEOUT = Duration.ofSeconds(5);

  public EdgeOptions {
    pathways = Collections.unmodifiableMap(new LinkedHashMap<>(pathways));
    secret = secret.clone();
  }

  /**
   * What this server allows its clients.
   *
   * @param maxUploads request bodies in progress at once, from every client (then 503)
   * @param maxUploadsPerClient request bodies in progress at once from one address (then 429)
   * @param bodyTimeout how long a whole request body may take (then 408)
   * @param minBodyBytesPerSecond the slowest a request body may arrive after its first two seconds (then 408)
   * @param allowedOrigins the web origins whose pages may call this server (CORS); empty: this server's own
   *     and its pathways' origins
   * @param maxGrantLifetime the longest a playback grant may last: longer ones are neither signed nor honoured
   */
  public record Guards(int maxUploads, int maxUploadsPerClient, Duration bodyTimeout, long minBodyBytesPerSecond,
      List<String> allowedOrigins, Duration maxGrantLifetime) {

    public static final int DEFAULT_MAX_UPLOADS = 2048;
    /** A household or an office behind one address plays a few sessions; a player posts one batch at a time. */
    public static final int DEFAULT_MAX_UPLOADS_PER_CLIENT = 32;
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** 1 KiB/s: a slow 2G link sends ten times that; a held-open connection sends nothing. */
    public static final long DEFAULT_MIN_BODY_BYTES_PER_SECOND = 1024;
    /** 30 days: a subscription's grant is renewed by signing again, not by a token that never ends. */
    public static final Duration DEFAULT_MAX_GRANT_LIFETIME = Duration.ofDays(30);

    public Guards {
      allowedOrigins = List.copyOf(allowedOrigins);
    }

    public static Guards defaults() {
      return new Guards(DEFAULT_MAX_UPLOADS, DEFAULT_MAX_UPLOADS_PER_CLIENT, DEFAULT_BODY_TIMEOUT,
          DEFAULT_MIN_BODY_BYTES_PER_SECOND, List.of(), DEFAULT_MAX_GRANT_LIFETIME);
    }

    public Guards withUploads(int max, int perClient) {
      return new Guards(max, perClient, bodyTimeout, minBodyBytesPerSecond, allowedOrigins, maxGrantLifetime);
    }

    public Guards withBodyTimeout(Duration timeout, long minBytesPerSecond) {
      return new Guards(maxUploads, maxUploadsPerClient, timeout, minBytesPerSecond, allowedOrigins, maxGrantLifetime);
    }

    public Guards withAllowedOrigins(List<String> origins) {
      return new Guards(maxUploads, maxUploadsPerClient, bodyTimeout, minBodyBytesPerSecond, origins, maxGrantLifetime);
    }
  }

  /** A copy: the key stays as parsed. */
  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** The pathways named by options: this server first, then the others in the order given (health reports add more). */
  public Map<String, String> allPathways() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(serverId, publicUrl);
    pathways.forEach(all::putIfAbsent);
    return all;
  }

  /** Options for a test or an embedded run, with every default. */
  public static EdgeOptions defaults(String root, String bootstrapServers, byte[] secret) {
    return new EdgeOptions(0, DEFAULT_HOST, root, null, DEFAULT_SERVER_ID, DEFAULT_REGION, null, Map.of(),
        bootstrapServers, secret, DEFAULT_HEALTH_INTERVAL, DEFAULT_CAPACITY_MBPS, DEFAULT_CACHE_BYTES,
        DEFAULT_MAX_BODY_BYTES, DEFAULT_KAFKA_TIMEOUT, Guards.defaults(), Viewers.none(), null);
  }

  public EdgeOptions withServer(String id, String region) {
    return new EdgeOptions(port, host, root, store, id, region, publicUrl, pathways, bootstrapServers, secret,
        healthInterval, capacityMbps, cacheBytes, maxBodyBytes, kafkaTimeout, guards, viewers, keyMasterFile);
  }

  public EdgeOptions withPort(int newPort) {
    return new EdgeOptions(newPort, host, root, store, serverId, region, publicUrl, pathways, bootstrapServers,
        secret, healthInterval, capacityMbps, cacheBytes, maxBodyBytes, kafkaTimeout, guards, viewers, keyMasterFile);
  }

  public EdgeOptions withStore(String newStore) {
    return new EdgeOptions(port, host, root, newStore, serverId, region, publicUrl, pathways, bootstrapServers,
        secret, healthInterval, capacityMbps, cacheBytes, maxBodyBytes, kafkaTimeout, guards, viewers, keyMasterFile);
  }

  public EdgeOptions withPathways(Map<String, String> others) {
    return new EdgeOptions(port, host, root, store, serverId, region, publicUrl, others, bootstrapServers,
        secret, healthInterval, capacityMbps, cacheBytes, maxBodyBytes, kafkaTimeout, guards, viewers, keyMasterFile);
  }

  public EdgeOptions withHealthInterval(Duration interval) {
    return new EdgeOptions(port, host, root, store, serverId, region, publicUrl, pathways, bootstrapServers,
        secret, interval, capacityMbps, cacheBytes, maxBodyBytes, kafkaTimeout, guards, viewers, keyMasterFile);
  }

  public EdgeOptions withKafkaTimeout(Duration timeout) {
    return new EdgeOptions(port, host, root, store, serverId, region, publicUrl, pathways, bootstrapServers,
        secret, healthInterval, capacityMbps, cacheBytes, maxBodyBytes, timeout, guards, viewers, keyMasterFile);
  }

  public EdgeOptions withGuards(Guards newGuards) {
    return new EdgeOptions(port, host, root, store, serverId, region, publicUrl, pathways, bootstrapServers,
        secret, healthInterval, capacityMbps, cacheBytes, maxBodyBytes, kafkaTimeout, newGuards, viewers, keyMasterFile);
  }

  public EdgeOptions withViewers(Viewers newViewers) {
    return new EdgeOptions(port, host, root, store, serverId, region, publicUrl, pathways, bootstrapServers,
        secret, healthInterval, capacityMbps, cacheBytes, maxBodyBytes, kafkaTimeout, guards, newViewers, keyMasterFile);
  }

  public EdgeOptions withKeyMasterFile(Path file) {
    return new EdgeOptions(port, host, root, store, serverId, region, publicUrl, pathways, bootstrapServers,
        secret, healthInterval, capacityMbps, cacheBytes, maxBodyBytes, kafkaTimeout, guards, viewers, file);
  }

  /**
   * Who may sign in to the viewer app ({@code /app/}) and what their plans grant.
   *
   * @param usersFile the viewers file ({@code name:plan:bcrypt-hash} lines), or null for none
   * @param demo whether anyone may sign in as one of the demo viewers without a password
   * @param demoViewers how many demo viewers there are ({@code u00001}, {@code u00002}, ...: the simulator's ids)
   * @param rentalPeriod how long a TVOD rental lasts once started
   */
  public record Viewers(Path usersFile, boolean demo, int demoViewers, Duration rentalPeriod) {

    public static final Duration DEFAULT_RENTAL_PERIOD = Duration.ofHours(48);
    /** As many as the demo's simulated players, so each demo viewer has a viewing history. */
    public static final int DEFAULT_DEMO_VIEWERS = 40;

    /** Nobody signs in: no users file, no demo. */
    public static Viewers none() {
      return new Viewers(null, false, DEFAULT_DEMO_VIEWERS, DEFAULT_RENTAL_PERIOD);
    }

    public Viewers withUsersFile(Path file) {
      return new Viewers(file, demo, demoViewers, rentalPeriod);
    }

    public Viewers withDemo(int viewers) {
      return new Viewers(usersFile, true, viewers, rentalPeriod);
    }

    public Viewers withRentalPeriod(Duration period) {
      return new Viewers(usersFile, demo, demoViewers, period);
    }
  }

  /** The store folder: given, or {@code <root>/edge/<serverId>/vod}. */
  public String storeOrDefault() {
    return store != null ? store : root.replaceAll("/+$", "") + "/edge/" + serverId + "/vod";
  }
}
