package io.caudal.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.SteeringDecision;
import io.caudal.schemas.Table;
import io.caudal.schemas.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP side: the login, the pages and the JSON API, on Javalin (Jetty). Every path
 * but the login page refuses a request without a live session: the API with 401 and a JSON
 * reason, pages with a redirect to the login.
 */
public final class DashboardServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  static final String SESSION_COOKIE = "caudal_session";
  /** The login form's CSRF token, also in this cookie (double submit: another site can set neither). */
  static final String LOGIN_COOKIE = "caudal_login";
  /** The form field, and the header, that carry a CSRF token. */
  static final String CSRF_FIELD = "_csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the server needs; built by {@link DashboardMain} or by a test.
   *
   * @param sqlByteLimit the most bytes of one SQL answer (JSON)
   * @param csvByteLimit the most bytes of one CSV download
   * @param behindTls served to browsers over https by a TLS-terminating proxy: cookies get
   *     {@code Secure} and pages send HSTS
   * @param trustedProxy the address of a proxy whose {@code X-Forwarded-For} names the client (for
   *     the login throttle and the logs); without it, the connection's address is the client's
   */
  public record Settings(String host, int port, int sqlRowLimit, int csvRowLimit, long sqlByteLimit,
      long csvByteLimit, long sessionIdleMs, boolean behindTls, Optional<String> trustedProxy) {

    /** The same, served over https through a TLS-terminating proxy. */
    public Settings withBehindTls() {
      return new Settings(host, port, sqlRowLimit, csvRowLimit, sqlByteLimit, csvByteLimit, sessionIdleMs, true,
          trustedProxy);
    }

    /** The same, trusting {@code X-Forwarded-For} from the proxy at {@code address}. */
    public Settings withTrustedProxy(String address) {
      return new Settings(host, port, sqlRowLimit, csvRowLimit, sqlByteLimit, csvByteLimit, sessionIdleMs, behindTls,
          Optional.of(address));
    }
  }

  private final Settings settings;
  private final QoeTables tables;
  private final QoeQueries queries;
  private final ReadOnlySql sql;
  private final Users users;
  private final LoginSessions sessions;
  private final LoginThrottle throttle;
  /** How many passwords were checked with bcrypt (a throttled attempt is not); for tests. */
  final AtomicLong passwordChecks = new AtomicLong();
  private final Optional<SteeringFeed> steering;
  private final Optional<AlertFeed> alertFeed;
  private final AlertQueries alerts;
  private final AlertRuleStore rules;
  private final Optional<SessionTimeline> timeline;
  private final Map<String, byte[]> assets;
  private final String loginPage;
  private Javalin app;

  /**
   * What the dashboard reads from Kafka besides the tables, and where the alert rules live.
   *
   * @param steering the follower of qoe.steering; empty: the panel says it is not connected
   * @param alerts the follower of qoe.alerts; empty: alerts come from the table only
   * @param timeline the reader of one session's events; empty: the timeline says it is not connected
   * @param rules the threshold rules under the root
   */
  public record Feeds(Optional<SteeringFeed> steering, Optional<AlertFeed> alerts,
      Optional<SessionTimeline> timeline, AlertRuleStore rules) {}

  public DashboardServer(
      Settings settings, QoeTables tables, ReadOnlySql sql, Users users, Optional<SteeringFeed> steering) {
    this(settings, tables, sql, users, new Feeds(steering, Optional.empty(), Optional.empty(),
        new AlertRuleStore(tables.tablesDir().getParent())), Clock.systemUTC(), LoginThrottle.Policy.DEFAULT);
  }

  public DashboardServer(Settings settings, QoeTables tables, ReadOnlySql sql, Users users, Feeds feeds) {
    this(settings, tables, sql, users, feeds, Clock.systemUTC(), LoginThrottle.Policy.DEFAULT);
  }

  /** With a clock and a login throttle policy of the caller's (tests move the clock). */
  DashboardServer(Settings settings, QoeTables tables, ReadOnlySql sql, Users users,
      Optional<SteeringFeed> steering, Clock clock, LoginThrottle.Policy throttlePolicy) {
    this(settings, tables, sql, users, new Feeds(steering, Optional.empty(), Optional.empty(),
        new AlertRuleStore(tables.tablesDir().getParent())), clock, throttlePolicy);
  }

  DashboardServer(Settings settings, QoeTables tables, ReadOnlySql sql, Users users,
      Feeds feeds, Clock clock, LoginThrottle.Policy throttlePolicy) {
    Optional<SteeringFeed> steering = feeds.steering();
    this.alertFeed = feeds.alerts();
    this.alerts = new AlertQueries(tables, feeds.alerts());
    this.rules = feeds.rules();
    this.timeline = feeds.timeline();
    this.settings = settings;
    this.tables = tables;
    this.queries = new QoeQueries(tables);
    this.sql = sql;
    this.users = users;
    this.sessions = new LoginSessions(clock, settings.sessionIdleMs());
    this.throttle = new LoginThrottle(throttlePolicy, clock);
    this.steering = steering;
    this.assets =
        Map.of(
            "index.html", resource("index.html"),
            "app.js", resource("app.js"),
            "style.css", resource("style.css"),
            "uplot.css", resource("uplot.css"),
            "login.css", resource("login.css"));
    this.loginPage = new String(resource("login.html"), StandardCharsets.UTF_8);
  }

  /** Starts listening; returns the port (useful when 0 asked for a free one). */
  public int start() {
    app = Javalin.create(
        config -> {
          config.startup.showJavalinBanner = false;
          config.http.maxRequestSize = 1_000_000L;
          config.contextResolver.ip = this::clientAddress;
          config.routes.before(this::securityHeaders);
          config.routes.before(this::requireLogin);
          config.routes.get("/login", ctx -> loginPage(ctx, HttpStatus.OK, ""));
          config.routes.get("/login.css", ctx -> asset(ctx, "login.css", "text/css"));
          config.routes.post("/login", this::login);
          config.routes.post("/logout", this::logout);
          config.routes.get("/", ctx -> asset(ctx, "index.html", "text/html; charset=utf-8"));
          config.routes.get("/assets/app.js", ctx -> asset(ctx, "app.js", "text/javascript"));
          config.routes.get("/assets/style.css", ctx -> asset(ctx, "style.css", "text/css"));
          config.routes.get("/assets/uplot.css", ctx -> asset(ctx, "uplot.css", "text/css"));
          config.routes.get("/api/me", ctx -> ctx.json(Map.of("user", ctx.attribute("user"),
              "csrfToken", ctx.attribute("csrf"))));
          config.routes.get("/api/status", this::status);
          config.routes.get("/api/overview", this::overview);
          config.routes.get("/api/breakdown", this::breakdown);
          config.routes.get("/api/sessions", this::sessionSearch);
          config.routes.get("/api/steering", this::steering);
          config.routes.get("/api/alerts", this::alertList);
          config.routes.get("/api/alert-chart", this::alertChart);
          config.routes.get("/api/alert-rules", ctx -> ctx.json(Map.of("folder", rules.folder().toString(),
              "rules", rules.list(), "metrics", io.caudal.schemas.alert.AlertRules.METRICS,
              "dimensions", io.caudal.schemas.alert.AlertRules.DIMENSIONS)));
          config.routes.post("/api/alert-rules", this::addRule);
          config.routes.put("/api/alert-rules/{ruleId}", this::replaceRule);
          config.routes.delete("/api/alert-rules/{ruleId}", this::removeRule);
          config.routes.get("/api/timeline", this::sessionTimeline);
          config.routes.post("/api/sql", this::runSql);
          config.routes.post("/api/sql.csv", this::runSqlCsv);
          config.routes.exception(NotLoggedIn.class, this::notLoggedIn);
          config.routes.exception(CsrfRefused.class, (e, ctx) -> error(ctx, HttpStatus.FORBIDDEN,
              "refused: this request did not carry the page's CSRF token; reload the page and try again"));
          config.routes.exception(IllegalArgumentException.class,
              (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
          config.routes.exception(java.nio.file.NoSuchFileException.class,
              (e, ctx) -> error(ctx, HttpStatus.NOT_FOUND, e.getMessage()));
          config.routes.exception(org.apache.kafka.common.KafkaException.class, (e, ctx) -> {
            LOG.warn("Kafka read failed on {}: {}", LogText.quoted(ctx.path()), LogText.quoted(e.getMessage()));
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "cannot read the events from Kafka: " + firstLine(e.getMessage()));
          });
          config.routes.exception(SqlRefusedException.class,
              (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
          config.routes.exception(SQLException.class, (e, ctx) -> {
            LOG.warn("query failed on {}: {}", LogText.quoted(ctx.path()), LogText.quoted(e.getMessage()));
            error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "query failed: " + firstLine(e.getMessage()));
          });
          config.routes.exception(Exception.class, (e, ctx) -> {
            // One escaped line, no stack trace per request: a message may quote what the client sent.
            LOG.error("{} {} failed: {}: {}", ctx.method(), LogText.quoted(ctx.path()), e.getClass().getName(),
                LogText.quoted(e.getMessage()));
            LOG.debug("stack trace", e);
            error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error; the dashboard's log says more");
          });
          config.routes.error(404, ctx -> {
            if (ctx.path().startsWith("/api/")) {
              error(ctx, HttpStatus.NOT_FOUND, "no such API: " + ctx.method() + " " + ctx.path());
            }
          });
        });
    app.start(settings.host(), settings.port());
    return app.port();
  }

  /**
   * The client's address, as ctx.ip() gives it: the connection's, unless the connection comes from
   * the trusted proxy, then the last {@code X-Forwarded-For} entry (the one that proxy added; the
   * ones before it the client could have written). An entry that is not an IP address is ignored.
   */
  private String clientAddress(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    if (settings.trustedProxy().isEmpty() || !settings.trustedProxy().get().equals(peer)) {
      return peer;
    }
    List<String> forwarded = Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
    if (forwarded.isEmpty()) {
      return peer;
    }
    String last = forwarded.get(forwarded.size() - 1);
    String client = last.substring(last.lastIndexOf(',') + 1).strip();
    return IP_ADDRESS.matcher(client).matches() ? client : peer;
  }

  private static final Pattern IP_ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    if (settings.behindTls()) {
      ctx.header("Strict-Transport-Security", "max-age=31536000");
    }
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; form-action 'self'");
  }

  /**
   * Lets the login page through; anything else needs a live session, and a state-changing request
   * (anything but GET and HEAD) also the session's CSRF token, in the {@value #CSRF_HEADER} header or
   * the {@value #CSRF_FIELD} form field.
   */
  private void requireLogin(Context ctx) {
    String path = ctx.path();
    if (path.equals("/login") || path.equals("/login.css")) {
      return;
    }
    LoginSessions.Session session = sessions.session(ctx.cookie(SESSION_COOKIE)).orElseThrow(NotLoggedIn::new);
    if (changesState(ctx) && !sameToken(session.csrfToken(), csrfTokenSent(ctx))) {
      LOG.info("refused {} {} for {} from {}: no or wrong CSRF token", ctx.method(), LogText.quoted(path),
          LogText.quoted(session.user()), LogText.quoted(ctx.ip()));
      throw new CsrfRefused();
    }
    ctx.attribute("user", session.user());
    ctx.attribute("csrf", session.csrfToken());
  }

  private static boolean changesState(Context ctx) {
    String method = ctx.method().name();
    return !method.equals("GET") && !method.equals("HEAD");
  }

  /** The token from the header, or else from a form body's field. */
  private static String csrfTokenSent(Context ctx) {
    String header = ctx.header(CSRF_HEADER);
    if (header != null) {
      return header;
    }
    String type = Optional.ofNullable(ctx.contentType()).orElse("");
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
      return ctx.formParam(CSRF_FIELD);
    }
    return null;
  }

  /** Compares in time independent of where they differ. */
  private static boolean sameToken(String expected, String sent) {
    return expected != null && sent != null
        && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
  }

  private void notLoggedIn(NotLoggedIn e, Context ctx) {
    if (ctx.path().startsWith("/api/")) {
      error(ctx, HttpStatus.UNAUTHORIZED, "not logged in: log in at /login first");
    } else {
      ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }
  }

  private void login(Context ctx) {
    if (!sameToken(ctx.cookie(LOGIN_COOKIE), ctx.formParam(CSRF_FIELD))) {
      // A login form posted from another site (login CSRF), or one older than its cookie.
      loginPage(ctx, HttpStatus.FORBIDDEN, "The login form had expired: log in again.");
      return;
    }
    String user = ctx.formParam("user");
    String password = ctx.formParam("password");
    String address = ctx.ip();
    long waitMs = throttle.tryAttempt(user, address);
    if (waitMs > 0) {
      // Refused before bcrypt: a throttled attempt costs no password check.
      long seconds = (waitMs + 999) / 1000;
      ctx.header("Retry-After", Long.toString(seconds));
      loginPage(ctx, HttpStatus.TOO_MANY_REQUESTS, "Too many failed logins: try again in " + seconds + " s.");
      return;
    }
    if (user == null || password == null || !checkPassword(user, password)) {
      LOG.info("failed login for {} from {}", LogText.quoted(user), LogText.quoted(address));
      loginPage(ctx, HttpStatus.UNAUTHORIZED, "Wrong user name or password.");
      return;
    }
    throttle.succeeded(user, address);
    Cookie cookie = new Cookie(SESSION_COOKIE, sessions.start(user));
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setSecure(secureCookies(ctx));
    ctx.cookie(cookie);
    ctx.removeCookie(LOGIN_COOKIE, "/login");
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  private boolean checkPassword(String user, String password) {
    passwordChecks.incrementAndGet();
    return users.verify(user, password.toCharArray());
  }

  private void logout(Context ctx) {
    sessions.end(ctx.cookie(SESSION_COOKIE));
    ctx.removeCookie(SESSION_COOKIE, "/");
    ctx.redirect("/login", HttpStatus.SEE_OTHER);
  }

  /** The login form, with a fresh CSRF token in a hidden field and in a cookie only /login sees. */
  private void loginPage(Context ctx, HttpStatus status, String message) {
    String token = sessions.randomToken();
    Cookie cookie = new Cookie(LOGIN_COOKIE, token);
    cookie.setPath("/login");
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setSecure(secureCookies(ctx));
    ctx.cookie(cookie);
    ctx.status(status).contentType("text/html; charset=utf-8")
        .result(loginPage.replace("{{message}}", escapeHtml(message)).replace("{{csrf}}", token));
  }

  /** Cookies are {@code Secure} when told the dashboard sits behind TLS, or when the request came over https. */
  private boolean secureCookies(Context ctx) {
    return settings.behindTls() || "https".equals(ctx.scheme());
  }

  private void asset(Context ctx, String name, String type) {
    ctx.contentType(type).result(assets.get(name));
  }

  private void status(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tablesDir", tables.tablesDir().toString());
    body.put("tables", tables.status());
    body.put("steeringConnected", steering.isPresent());
    body.put("sqlTimeLimitMs", sql.timeLimitMs());
    body.put("sqlRowLimit", settings.sqlRowLimit());
    body.put("sqlByteLimit", settings.sqlByteLimit());
    ctx.json(body);
  }

  private void overview(Context ctx) throws SQLException {
    TimeRange range = TimeRange.parse(ctx.queryParam("from"), ctx.queryParam("to"), System.currentTimeMillis());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", range.fromMs());
    body.put("to", range.toMs());
    if (!tables.hasData(Tables.QOE_MINUTE)) {
      body.put("status", "no_data");
      body.put("message", noDataYet(Tables.QOE_MINUTE));
      ctx.json(body);
      return;
    }
    QoeQueries.Overview overview = queries.overview(range);
    body.put("status", overview.totals() == null ? "no_data_in_range" : "ok");
    if (overview.totals() == null) {
      body.put("message", "No QoE data in this time range.");
    }
    body.put("bucketMs", overview.bucketMs());
    body.put("totals", overview.totals());
    body.put("series", overview.series());
    ctx.json(body);
  }

  /** What a page says while one of qoe-stream's tables has no files yet. */
  private String noDataYet(Table<?> table) {
    return "No data yet: the table " + table.name() + " has no files under "
        + tables.tablesDir().resolve(table.name()) + " (qoe-stream writes it).";
  }

  private void breakdown(Context ctx) throws SQLException {
    TimeRange range = TimeRange.parse(ctx.queryParam("from"), ctx.queryParam("to"), System.currentTimeMillis());
    String dimension = Optional.ofNullable(ctx.queryParam("dimension")).orElse("region");
    String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("rebufferingRatio");
    int limit = intParam(ctx, "limit", 50, 1, 1000);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dimension", dimension);
    body.put("sort", sort);
    if (!tables.hasData(Tables.QOE_MINUTE)) {
      QoeQueries.breakdownSql(sort); // still refuse a bad sort with 400
      body.put("status", "no_data");
      body.put("message", noDataYet(Tables.QOE_MINUTE));
      body.put("rows", List.of());
      ctx.json(body);
      return;
    }
    List<Map<String, Object>> rows = queries.breakdown(dimension, sort, range, limit);
    body.put("status", rows.isEmpty() ? "no_data_in_range" : "ok");
    body.put("rows", rows);
    ctx.json(body);
  }

  private void sessionSearch(Context ctx) throws SQLException {
    String q = ctx.queryParam("q");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("q", q);
    if (!tables.hasData(Tables.QOE_SESSIONS)) {
      if (q == null || q.isBlank()) {
        throw new IllegalArgumentException("session search: give a sessionId or userId in 'q'");
      }
      body.put("status", "no_data");
      body.put("message", noDataYet(Tables.QOE_SESSIONS));
      body.put("rows", List.of());
      ctx.json(body);
      return;
    }
    List<Map<String, Object>> rows = queries.sessions(q, 50);
    body.put("status", rows.isEmpty() ? "not_found" : "ok");
    if (rows.isEmpty()) {
      body.put("message", "No session or user with id '" + q.strip() + "'.");
    }
    body.put("rows", rows);
    ctx.json(body);
  }

  private void steering(Context ctx) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    if (steering.isEmpty()) {
      body.put("status", "not_connected");
      body.put("message", "Steering is not connected: start the dashboard with --bootstrap-servers.");
      body.put("regions", List.of());
      ctx.json(body);
      return;
    }
    SteeringFeed feed = steering.get();
    List<SteeringDecision> latest = feed.state().latest();
    List<JsonNode> regions = new java.util.ArrayList<>();
    for (SteeringDecision decision : latest) {
      regions.add(JSON.readTree(JsonAvroCodec.toJson(decision)));
    }
    body.put("status", latest.isEmpty() ? "no_data" : "ok");
    if (latest.isEmpty()) {
      body.put("message", "No steering decision received yet.");
    }
    body.put("feed", feed.health());
    body.put("regions", regions);
    ctx.json(body);
  }

  private void alertList(Context ctx) throws SQLException, IOException {
    TimeRange range = TimeRange.parse(ctx.queryParam("from"), ctx.queryParam("to"), System.currentTimeMillis());
    List<io.caudal.schemas.Alert> found = alerts.alerts(range);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", found.isEmpty() ? "no_alerts" : "ok");
    if (found.isEmpty()) {
      body.put("message", "No alerts: none open, and none changed in this time range.");
    }
    body.put("tableHasData", tables.hasData(Tables.ALERTS));
    body.put("feed", alertFeed.map(AlertFeed::health).orElse(null));
    List<JsonNode> rows = new java.util.ArrayList<>();
    for (io.caudal.schemas.Alert alert : found) {
      rows.add(JSON.readTree(JsonAvroCodec.toJson(alert)));
    }
    body.put("alerts", rows);
    ctx.json(body);
  }

  private void alertChart(Context ctx) throws SQLException {
    String alertId = Optional.ofNullable(ctx.queryParam("alertId")).filter(id -> !id.isBlank())
        .orElseThrow(() -> new IllegalArgumentException("alertId: give the alert's id"));
    TimeRange range = TimeRange.parse(ctx.queryParam("from"), ctx.queryParam("to"), System.currentTimeMillis());
    io.caudal.schemas.Alert alert = alerts.alert(alertId, range).orElse(null);
    if (alert == null) {
      error(ctx, HttpStatus.NOT_FOUND, "no alert " + alertId + " open or changed in this time range");
      return;
    }
    ctx.json(alerts.chart(alert));
  }

  private void addRule(Context ctx) throws IOException {
    io.caudal.schemas.AlertRule rule = rules.add(ctx.body());
    LOG.info("{} added alert rule {}", LogText.quoted(ctx.attribute("user")), LogText.quoted(rule.getRuleId()));
    ctx.status(HttpStatus.CREATED).json(Map.of("rule", JSON.readTree(JsonAvroCodec.toJson(rule))));
  }

  private void replaceRule(Context ctx) throws IOException {
    io.caudal.schemas.AlertRule rule = rules.replace(ctx.pathParam("ruleId"), ctx.body());
    LOG.info("{} changed alert rule {}", LogText.quoted(ctx.attribute("user")), LogText.quoted(rule.getRuleId()));
    ctx.json(Map.of("rule", JSON.readTree(JsonAvroCodec.toJson(rule))));
  }

  private void removeRule(Context ctx) throws IOException {
    String ruleId = ctx.pathParam("ruleId");
    rules.remove(ruleId);
    LOG.info("{} removed alert rule {}", LogText.quoted(ctx.attribute("user")), LogText.quoted(ruleId));
    ctx.json(Map.of("removed", ruleId));
  }

  /**
   * One session's events on one time axis. The range is the session's own (from qoe_sessions, less
   * and plus a minute) unless {@code from} and {@code to} are given, as they must be for a session
   * that has not ended (qoe_sessions gets its row at the end).
   */
  private void sessionTimeline(Context ctx) throws SQLException, IOException {
    String sessionId = Optional.ofNullable(ctx.queryParam("session")).map(String::strip).filter(id -> !id.isEmpty())
        .orElseThrow(() -> new IllegalArgumentException("session: give a session id"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("session", sessionId);
    Optional<Map<String, Object>> row = tables.hasData(Tables.QOE_SESSIONS)
        ? queries.sessions(sessionId, 50).stream().filter(r -> sessionId.equals(r.get("sessionId"))).findFirst()
        : Optional.empty();
    body.put("sessionRow", row.orElse(null));
    if (timeline.isEmpty()) {
      body.put("status", "not_connected");
      body.put("message", "The timeline reads the events from Kafka: start the dashboard with --bootstrap-servers.");
      ctx.json(body);
      return;
    }
    boolean rangeGiven = ctx.queryParam("from") != null || ctx.queryParam("to") != null;
    TimeRange range;
    if (rangeGiven) {
      range = TimeRange.parse(ctx.queryParam("from"), ctx.queryParam("to"), System.currentTimeMillis());
    } else if (row.isPresent()) {
      long start = ((Number) row.get().get("startTime")).longValue();
      long end = ((Number) row.get().get("endTime")).longValue();
      range = new TimeRange(start - 60_000, Math.max(end, start) + 60_000);
    } else {
      body.put("status", "no_session_row");
      body.put("message", "Session " + sessionId + " is not in qoe_sessions (it may still be playing): "
          + "give a time range to look for its events in.");
      ctx.json(body);
      return;
    }
    Optional<String> region = row.map(r -> (String) r.get("region"));
    SessionTimeline.Events events = timeline.get().read(sessionId, range.fromMs(), range.toMs() - 1, region);
    body.put("from", range.fromMs());
    body.put("to", range.toMs());
    body.put("status", events.heartbeats().isEmpty() && events.caps().isEmpty() ? "no_events" : "ok");
    if (events.heartbeats().isEmpty() && events.caps().isEmpty()) {
      body.put("message", "No events of session " + sessionId + " in Kafka between "
          + java.time.Instant.ofEpochMilli(range.fromMs()) + " and " + java.time.Instant.ofEpochMilli(range.toMs())
          + " (the topics keep them for their retention only).");
    }
    body.put("heartbeats", jsonList(events.heartbeats()));
    body.put("caps", jsonList(events.caps()));
    body.put("steering", jsonList(events.steering()));
    body.put("truncated", events.truncated());
    body.put("scannedRecords", events.scanned());
    body.put("undecodableRecords", events.undecodable());
    ctx.json(body);
  }

  private static List<JsonNode> jsonList(List<? extends org.apache.avro.generic.IndexedRecord> records)
      throws IOException {
    List<JsonNode> out = new java.util.ArrayList<>(records.size());
    for (org.apache.avro.generic.IndexedRecord record : records) {
      out.add(JSON.readTree(JsonAvroCodec.toJson(record)));
    }
    return out;
  }

  private void runSql(Context ctx) throws SqlRefusedException, IOException {
    int rowLimit = intParam(ctx, "limit", settings.sqlRowLimit(), 1, settings.sqlRowLimit());
    SqlAnswers.json(ctx, sql, sqlText(ctx), rowLimit, settings.sqlByteLimit());
  }

  private void runSqlCsv(Context ctx) throws SqlRefusedException, IOException {
    SqlAnswers.csv(ctx, sql, sqlText(ctx), settings.csvRowLimit(), settings.csvByteLimit());
  }

  /** The statement from a JSON body {@code {"sql": ...}} or a form field {@code sql}. */
  private static String sqlText(Context ctx) {
    String type = Optional.ofNullable(ctx.contentType()).orElse("");
    if (type.startsWith("application/json")) {
      JsonNode body;
      try {
        body = JSON.readTree(ctx.body());
      } catch (IOException e) {
        throw new IllegalArgumentException("body: not JSON (" + e.getMessage() + ")");
      }
      JsonNode text = body == null ? null : body.get("sql");
      if (text == null || !text.isTextual()) {
        throw new IllegalArgumentException("body: expected {\"sql\": \"SELECT ...\"}");
      }
      return text.asText();
    }
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
      String text = ctx.formParam("sql");
      if (text == null) {
        throw new IllegalArgumentException("form: expected a field 'sql'");
      }
      return text;
    }
    throw new IllegalArgumentException(
        "send the query as JSON {\"sql\": ...} or as a form field 'sql', not '" + type + "'");
  }

  private static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException(name + ": must be between " + min + " and " + max + ", got " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not a whole number: '" + value + "'");
    }
  }

  private static void error(Context ctx, HttpStatus status, String message) {
    ctx.status(status).json(Map.of("error", message == null ? status.getMessage() : message));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline);
  }

  private static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardServer.class.getResourceAsStream("/public/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing web resource public/" + name + " (the Maven build bundles it; run mvn install)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
  }

  /** A state-changing request without the session's CSRF token. */
  private static final class CsrfRefused extends RuntimeException {
    CsrfRefused() {
      super("no or wrong CSRF token", null, false, false);
    }
  }

  /** A request without a live session. */
  private static final class NotLoggedIn extends RuntimeException {
    NotLoggedIn() {
      super("not logged in", null, false, false);
    }
  }
}
