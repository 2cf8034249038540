package io.caudal.edge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.caudal.edge.EdgeOptions;
import io.caudal.edge.catalog.Catalog;
import io.caudal.edge.catalog.RatingsWriter;
import io.caudal.edge.collect.Cmcd;
import io.caudal.edge.collect.CmcdHeartbeats;
import io.caudal.edge.collect.EventBatch;
import io.caudal.edge.collect.KafkaPublisher;
import io.caudal.edge.entitle.Entitlement;
import io.caudal.edge.fleet.ServerRegistry;
import io.caudal.edge.origin.ByteRange;
import io.caudal.edge.origin.ContentTypes;
import io.caudal.edge.origin.ManifestRewriter;
import io.caudal.edge.origin.TitleFiles;
import io.caudal.edge.steer.SteeringBook;
import io.caudal.edge.steer.SteeringManifest;
import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.InvalidRecordException;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.Topics;
import io.caudal.schemas.UserRating;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of edge, on Jetty's core handler API (no servlets: less between the socket and the answer).
 *
 * <p>The handler declares itself non-blocking so Jetty may run it on the thread that read the
 * request: steering manifests are answered right there from memory, and every other route, which
 * may wait on Kafka, the file system or a request body, is handed to the server's thread pool.
 */
public final class EdgeHandler extends Handler.Abstract.NonBlocking {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeHandler.class);
  private static final String RETRY_AFTER_SECONDS = "5";
  private static final List<String> CMCD_HEADERS = List.of("CMCD-Request", "CMCD-Object", "CMCD-Status", "CMCD-Session");
  private static final String ALLOWED_HEADERS = "Range, Content-Type, If-None-Match, " + String.join(", ", CMCD_HEADERS);

  private final Executor blocking;
  private final EdgeOptions options;
  /** Pathway id to base URL, this server first; fixed for the server's life. */
  private final Map<String, String> pathways;
  private final TitleFiles files;
  private final Entitlement entitlement;
  private final SteeringBook steering;
  private final KafkaPublisher kafka;
  private final Catalog catalog;
  private final RatingsWriter ratings;
  private final ServerRegistry servers;
  private final EdgeMetrics metrics;
  private final Cache<String, Boolean> sessions =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(60)).build();
  private final Map<String, byte[]> staticFiles = new ConcurrentHashMap<>();

  public EdgeHandler(EdgeOptions options, TitleFiles files, Entitlement entitlement, SteeringBook steering,
      KafkaPublisher kafka, Catalog catalog, RatingsWriter ratings, ServerRegistry servers, EdgeMetrics metrics,
      Executor blocking) {
    this.blocking = blocking;
    this.options = options;
    this.pathways = options.allPathways();
    this.files = files;
    this.entitlement = entitlement;
    this.steering = steering;
    this.kafka = kafka;
    this.catalog = catalog;
    this.ratings = ratings;
    this.servers = servers;
    this.metrics = metrics;
  }

  /** Sessions that sent CMCD data in the last minute. */
  public int activeSessions() {
    sessions.cleanUp();
    return (int) sessions.estimatedSize();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange x = new Exchange(request, response, callback);
    response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    if (request.getHttpURI().getPath().startsWith("/steering/")) {
      answer(x);
    } else {
      blocking.execute(() -> answer(x));
    }
    return true;
  }

  private void answer(Exchange x) {
    Request request = x.request;
    try {
      route(x, request.getHttpURI().getPath(), request.getMethod());
    } catch (IllegalArgumentException e) {
      x.error(400, e.getMessage());
    } catch (KafkaPublisher.Unavailable e) {
      x.header(HttpHeader.RETRY_AFTER.asString(), RETRY_AFTER_SECONDS);
      x.error(503, "event store unavailable, retry later: " + e.getMessage());
    } catch (RuntimeException | IOException e) {
      LOG.error("failed to answer {} {}", request.getMethod(), request.getHttpURI(), e);
      x.error(500, "internal error: " + e);
    } finally {
      metrics.request(x.route, x.status, System.nanoTime() - x.startNanos, x.bytes);
    }
  }

  private void route(Exchange x, String path, String method) throws IOException {
    if (method.equals("OPTIONS")) {
      x.route = "preflight";
      x.header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
      x.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      x.header("Access-Control-Max-Age", "86400");
      x.sendEmpty(204);
      return;
    }
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (path.startsWith("/t/")) {
      x.route = "origin";
      if (requireMethod(x, read, "GET, HEAD")) {
        origin(x, path.substring(3));
      }
    } else if (path.startsWith("/steering/hls/") || path.startsWith("/steering/dash/")) {
      boolean hls = path.startsWith("/steering/hls/");
      x.route = hls ? "steering_hls" : "steering_dash";
      if (requireMethod(x, read, "GET, HEAD")) {
        steering(x, path.substring(hls ? "/steering/hls/".length() : "/steering/dash/".length()), hls);
      }
    } else if (path.equals("/v1/events")) {
      x.route = "events";
      if (requireMethod(x, method.equals("POST"), "POST")) {
        events(x);
      }
    } else if (path.equals("/v1/cmcd")) {
      x.route = "cmcd";
      if (requireMethod(x, read || method.equals("POST"), "GET, POST")) {
        cmcd(x, method.equals("POST"));
      }
    } else if (path.equals("/v1/titles") || path.startsWith("/v1/titles/")) {
      x.route = "titles";
      if (requireMethod(x, read, "GET, HEAD")) {
        titles(x, path.length() > "/v1/titles/".length() ? path.substring("/v1/titles/".length()) : null);
      }
    } else if (path.equals("/v1/ratings")) {
      x.route = "ratings";
      if (requireMethod(x, method.equals("POST"), "POST")) {
        rate(x);
      }
    } else if (path.equals("/v1/servers")) {
      x.route = "servers";
      if (requireMethod(x, read, "GET, HEAD")) {
        servers(x);
      }
    } else if (path.equals("/metrics")) {
      x.route = "metrics";
      if (requireMethod(x, read, "GET, HEAD")) {
        x.send(200, metrics.contentType(), metrics.scrape());
      }
    } else if (path.startsWith("/play/")) {
      x.route = "player";
      if (requireMethod(x, read, "GET, HEAD")) {
        staticFile(x, "player.html", "text/html; charset=utf-8");
      }
    } else if (path.equals("/static/player.js")) {
      x.route = "static";
      if (requireMethod(x, read, "GET, HEAD")) {
        staticFile(x, "player.js", "text/javascript; charset=utf-8");
      }
    } else if (path.equals("/favicon.ico")) {
      x.route = "static";
      x.sendEmpty(204);
    } else if (path.startsWith("/vod/")) {
      x.route = "origin";
      x.error(403, "unsigned request: playback URLs carry a token, /t/<token>/vod/<title>/...;"
          + " get one with bin/caudal edge --sign USER TITLE");
    } else {
      x.error(404, "no such resource: " + path);
    }
  }

  private static boolean requireMethod(Exchange x, boolean allowed, String allow) {
    if (!allowed) {
      x.header("Allow", allow);
      x.error(405, "method " + x.request.getMethod() + " not allowed here; use " + allow);
    }
    return allowed;
  }

  // ---- origin -----------------------------------------------------------------------------------

  private void origin(Exchange x, String tokenAndPath) throws IOException {
    Entitlement.Granted granted;
    try {
      granted = entitlement.check(tokenAndPath, System.currentTimeMillis() / 1000);
    } catch (Entitlement.Refused e) {
      x.error(403, e.getMessage());
      return;
    }
    collectAlongside(x, granted.token().userId(), granted.token().titleId());
    String titlePath = granted.titlePath();
    Optional<TitleFiles.Lookup> lookup = files.read(titlePath);
    if (lookup.isEmpty()) {
      x.error(404, "no such file: vod/" + titlePath);
      return;
    }
    metrics.cache(lookup.get().cacheHit());
    TitleFiles.FileBytes file = lookup.get().file();
    String title = granted.token().titleId();
    String fileName = titlePath.substring(title.length() + 1);
    String type = ContentTypes.of(fileName);
    if (fileName.equals("master.m3u8") || fileName.equals("manifest.mpd")) {
      x.header("Cache-Control", "no-cache");
      Map<String, String> bases = new LinkedHashMap<>();
      String token = tokenAndPath.substring(0, tokenAndPath.indexOf('/'));
      pathways.forEach((id, url) -> bases.put(id, url + "/t/" + token + "/vod/" + title + "/"));
      String text = new String(file.bytes(), StandardCharsets.UTF_8);
      String rewritten = fileName.endsWith(".m3u8")
          ? ManifestRewriter.hlsMaster(text, bases, options.publicUrl() + "/steering/hls/" + options.region())
          : ManifestRewriter.dashMpd(text, bases, options.publicUrl() + "/steering/dash/" + options.region());
      x.send(200, type, rewritten.getBytes(StandardCharsets.UTF_8));
      return;
    }
    x.header("ETag", file.etag());
    x.header("Accept-Ranges", "bytes");
    x.header("Access-Control-Expose-Headers", "Content-Length, Content-Range, ETag");
    // Segments never change once published; playlists may be republished, so they revalidate.
    x.header("Cache-Control", ContentTypes.isManifest(fileName) ? "no-cache" : "private, max-age=31536000, immutable");
    String ifNoneMatch = x.request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (ifNoneMatch != null && (ifNoneMatch.equals(file.etag()) || ifNoneMatch.equals("*"))) {
      x.sendEmpty(304);
      return;
    }
    byte[] bytes = file.bytes();
    if (fileName.endsWith(".m4s")) {
      metrics.segmentServed();
    }
    Optional<ByteRange> range;
    try {
      range = ByteRange.parse(x.request.getHeaders().get(HttpHeader.RANGE), bytes.length);
    } catch (ByteRange.Unsatisfiable e) {
      x.header("Content-Range", "bytes */" + bytes.length);
      x.error(416, "range not satisfiable for a file of " + bytes.length + " bytes");
      return;
    }
    if (range.isPresent()) {
      ByteRange r = range.get();
      x.header("Content-Range", r.contentRange(bytes.length));
      x.send(206, type, ByteBuffer.wrap(bytes, (int) r.first(), (int) r.length()), r.length());
    } else {
      x.send(200, type, ByteBuffer.wrap(bytes), bytes.length);
    }
  }

  /** CMCD data riding on a media request goes to player.heartbeat without holding up the media. */
  private void collectAlongside(Exchange x, String userId, String titleId) {
    Map<String, Object> cmcd;
    try {
      cmcd = cmcdOf(x.request);
      if (cmcd.isEmpty()) {
        return;
      }
      PlayerHeartbeat heartbeat = CmcdHeartbeats.toHeartbeat(cmcd, userId, titleId, options.serverId(),
          options.region(), System.currentTimeMillis());
      sessions.put(heartbeat.getSessionId(), Boolean.TRUE);
      kafka.send(Topics.HEARTBEAT, heartbeat);
      metrics.accepted("cmcd_media", 1);
    } catch (IllegalArgumentException e) {
      metrics.badRecord("cmcd");
      LOG.debug("ignored CMCD on a media request: {}", e.getMessage());
    }
  }

  private static Map<String, Object> cmcdOf(Request request) {
    Map<String, Object> cmcd = new LinkedHashMap<>();
    String query = Request.extractQueryParameters(request).getValue("CMCD");
    if (query != null) {
      cmcd.putAll(Cmcd.parse(query));
    }
    for (String header : CMCD_HEADERS) {
      String value = request.getHeaders().get(header);
      if (value != null) {
        cmcd.putAll(Cmcd.parse(value));
      }
    }
    return cmcd;
  }

  // ---- steering ---------------------------------------------------------------------------------

  private void steering(Exchange x, String region, boolean hls) {
    if (region.isEmpty() || region.indexOf('/') >= 0) {
      x.error(404, "steering URIs are /steering/" + (hls ? "hls" : "dash") + "/<region>");
      return;
    }
    Fields query = Request.extractQueryParameters(x.request);
    String prefix = hls ? "_HLS_" : "_DASH_";
    List<String> reported = SteeringManifest.reportedPathways(query.getValue(prefix + "pathway"));
    try {
      for (long bitsPerSecond : SteeringManifest.reportedThroughputs(query.getValue(prefix + "throughput"))) {
        if (bitsPerSecond >= 0) {
          metrics.reportedThroughput(bitsPerSecond);
        }
      }
    } catch (IllegalArgumentException e) {
      x.error(400, prefix + "throughput: " + e.getMessage());
      return;
    }
    String reload = options.publicUrl() + "/steering/" + (hls ? "hls/" : "dash/") + region;
    String json = SteeringManifest.json(steering.latest(region).orElse(null), pathways.keySet(),
        reported, reload);
    x.header("Cache-Control", "no-store");
    x.json(200, json);
  }

  // ---- collector --------------------------------------------------------------------------------

  private void events(Exchange x) throws IOException {
    List<PlayerHeartbeat> batch = EventBatch.parse(body(x));
    kafka.sendAndWait(Topics.HEARTBEAT, batch);
    metrics.accepted("json", batch.size());
    x.json(202, "{\"accepted\":" + batch.size() + "}");
  }

  private void cmcd(Exchange x, boolean post) throws IOException {
    List<Map<String, Object>> reports = new ArrayList<>();
    Map<String, Object> onRequest = cmcdOf(x.request);
    if (!onRequest.isEmpty()) {
      reports.add(onRequest);
    }
    if (post) {
      String body = body(x);
      if (!body.isBlank()) {
        reports.addAll(cmcdJson(body));
      }
    }
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("no CMCD data: send the CMCD query argument, CMCD-* headers or a JSON body");
    }
    if (reports.size() > EventBatch.MAX_EVENTS) {
      throw new IllegalArgumentException("a batch holds at most " + EventBatch.MAX_EVENTS + " reports, got " + reports.size());
    }
    long now = System.currentTimeMillis();
    List<PlayerHeartbeat> heartbeats = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      try {
        heartbeats.add(CmcdHeartbeats.toHeartbeat(reports.get(i), null, null, options.serverId(), options.region(), now));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(reports.size() == 1 ? e.getMessage() : "reports[" + i + "]: " + e.getMessage());
      }
    }
    heartbeats.forEach(h -> sessions.put(h.getSessionId(), Boolean.TRUE));
    kafka.sendAndWait(Topics.HEARTBEAT, heartbeats);
    metrics.accepted("cmcd", heartbeats.size());
    x.json(202, "{\"accepted\":" + heartbeats.size() + "}");
  }

  /** CMCD in JSON (CTA-5004's JSON object mode): an object of CMCD keys, or an array of them. */
  private static List<Map<String, Object>> cmcdJson(String body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
    }
    List<JsonNode> nodes = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(nodes::add);
    } else if (root.isObject()) {
      nodes.add(root);
    } else {
      throw new IllegalArgumentException("CMCD JSON must be an object or an array of objects");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode node : nodes) {
      if (!node.isObject()) {
        throw new IllegalArgumentException("CMCD JSON must be an object or an array of objects");
      }
      Map<String, Object> keys = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode v = field.getValue();
        Object value;
        if (v.isTextual()) {
          value = v.asText();
        } else if (v.isIntegralNumber()) {
          value = v.asLong();
        } else if (v.isNumber()) {
          value = v.asDouble();
        } else if (v.isBoolean()) {
          value = v.asBoolean();
        } else {
          throw new IllegalArgumentException("CMCD: " + field.getKey() + " must be a string, number or boolean");
        }
        keys.put(field.getKey(), value);
      }
      out.add(keys);
    }
    return out;
  }

  // ---- catalog ----------------------------------------------------------------------------------

  private void titles(Exchange x, String id) throws IOException {
    if (id != null) {
      Optional<CatalogEntry> entry = catalog.byId(id);
      if (entry.isEmpty()) {
        x.error(404, "no title " + id);
      } else {
        x.json(200, JsonAvroCodec.toJson(entry.get()));
      }
      return;
    }
    Fields query = Request.extractQueryParameters(x.request);
    for (String name : query.getNames()) {
      if (!name.equals("name") && !name.equals("category")) {
        throw new IllegalArgumentException("unknown query parameter " + name + "; use name and category");
      }
    }
    List<CatalogEntry> found = catalog.search(blankToNull(query.getValue("name")), blankToNull(query.getValue("category")));
    StringBuilder json = new StringBuilder("{\"titles\":[");
    for (int i = 0; i < found.size(); i++) {
      json.append(i == 0 ? "" : ",").append(JsonAvroCodec.toJson(found.get(i)));
    }
    x.json(200, json.append("]}").toString());
  }

  private void rate(Exchange x) throws IOException {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body(x));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a rating object {userId, titleId, stars}");
    }
    if (!node.has("ratedAt")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("ratedAt", System.currentTimeMillis());
    }
    UserRating rating;
    try {
      rating = JsonAvroCodec.fromJson(node.toString(), UserRating.class);
    } catch (InvalidRecordException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    if (rating.getStars() < 1 || rating.getStars() > 5) {
      throw new IllegalArgumentException("stars must be a whole number from 1 to 5, got " + rating.getStars());
    }
    if (rating.getUserId().isBlank()) {
      throw new IllegalArgumentException("userId must not be blank");
    }
    if (catalog.byId(rating.getTitleId()).isEmpty()) {
      x.error(404, "no title " + rating.getTitleId() + " in the catalog");
      return;
    }
    try {
      ratings.add(rating).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not store the rating", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    x.json(202, JsonAvroCodec.toJson(rating));
  }

  private void servers(Exchange x) {
    StringBuilder json = new StringBuilder("{\"servers\":[");
    List<ServerRegistry.Entry> all = servers.all();
    for (int i = 0; i < all.size(); i++) {
      ServerRegistry.Entry e = all.get(i);
      ServerHealth h = e.latest();
      json.append(i == 0 ? "" : ",").append("{\"serverId\":").append(Json.quote(h.getServerId()))
          .append(",\"registeredAt\":").append(e.registeredAt())
          .append(",\"url\":").append(Optional.ofNullable(pathways.get(h.getServerId()))
              .map(Json::quote).orElse("null"))
          .append(",\"latest\":").append(JsonAvroCodec.toJson(h)).append('}');
    }
    x.json(200, json.append("]}").toString());
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private String body(Exchange x) throws IOException {
    long declared = x.request.getLength();
    // The rest of a refused body is not read, so the connection cannot carry another request.
    x.header("Connection", "close");
    if (declared > options.maxBodyBytes()) {
      throw new IllegalArgumentException("body too large: " + declared + " bytes, at most " + options.maxBodyBytes());
    }
    try (InputStream in = Content.Source.asInputStream(x.request)) {
      byte[] bytes = in.readNBytes(options.maxBodyBytes() + 1);
      if (bytes.length > options.maxBodyBytes()) {
        throw new IllegalArgumentException("body too large: more than " + options.maxBodyBytes() + " bytes");
      }
      x.response.getHeaders().remove("Connection");
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private void staticFile(Exchange x, String name, String type) throws IOException {
    byte[] bytes = staticFiles.get(name);
    if (bytes == null) {
      try (InputStream in = EdgeHandler.class.getResourceAsStream("/static/" + name)) {
        if (in == null) {
          x.error(404, "the player is not bundled in this build (static/" + name + ")");
          return;
        }
        bytes = in.readAllBytes();
      }
      staticFiles.put(name, bytes);
    }
    x.header("Cache-Control", "no-cache");
    x.send(200, type, bytes);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
