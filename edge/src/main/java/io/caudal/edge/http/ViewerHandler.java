package io.caudal.edge.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.caudal.edge.catalog.CatalogSearch;
import io.caudal.edge.collect.StrictJson;
import io.caudal.edge.viewer.Grants;
import io.caudal.edge.viewer.Rentals;
import io.caudal.edge.viewer.SignInThrottle;
import io.caudal.edge.viewer.Viewer;
import io.caudal.edge.viewer.ViewerAccounts;
import io.caudal.edge.viewer.ViewerSessions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer app: its page ({@code /app/}, one esbuild bundle), sign-in and sign-out, and the grants
 * it asks for ({@code POST /v1/viewer/play/<title>}, {@code POST /v1/viewer/rent/<title>}).
 *
 * <p>A signed-in viewer holds a session cookie (HttpOnly, SameSite=Strict, Secure over TLS); each
 * state-changing request also carries the session's CSRF token in {@value #CSRF_HEADER}, which only
 * the app's own page can read. The sign-in itself is protected by a double-submitted token: a
 * cookie only {@code /v1/viewer/login} sees and the same value in the header. Password checks are
 * throttled per viewer and per address before bcrypt runs. There is no endpoint that signs a token
 * for whoever asks: a grant is decided from the signed-in viewer's plan and rentals.
 */
public final class ViewerHandler {

  static final String SESSION_COOKIE = "caudal_viewer";
  static final String LOGIN_COOKIE = "caudal_viewer_login";
  static final String LOGIN_PATH = "/v1/viewer/login";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  private static final String PLAY_PREFIX = "/v1/viewer/play/";
  private static final String RENT_PREFIX = "/v1/viewer/rent/";
  /** Title ids as ratings and events take them. */
  private static final Pattern TITLE_ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
  private static final int MAX_PASSWORD_CHARS = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ViewerHandler.class);

  private final ViewerAccounts accounts;
  private final ViewerSessions sessions;
  private final SignInThrottle throttle;
  private final Grants grants;
  private final Rentals rentals;
  private final CatalogSearch catalog;
  private final Clock clock;
  private final Map<String, byte[]> resources = new ConcurrentHashMap<>();

  public ViewerHandler(ViewerAccounts accounts, ViewerSessions sessions, SignInThrottle throttle, Grants grants,
      Rentals rentals, CatalogSearch catalog, Clock clock) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.throttle = throttle;
    this.grants = grants;
    this.rentals = rentals;
    this.catalog = catalog;
    this.clock = clock;
  }

  /** {@code GET /app}: the app lives under {@code /app/}, so its relative URLs resolve there. */
  public void redirectToApp(Exchange x) {
    x.header("Location", "/app/");
    x.sendEmpty(308);
  }

  /** {@code GET /app/...}: every path under the app is its one page, which routes by its fragment. */
  public void page(Exchange x) throws IOException {
    // Only this server's own script, styles inline, no framing by other sites.
    x.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
        + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    sendResource(x, "app.html", "text/html; charset=utf-8");
  }

  /** {@code GET /static/app.js} */
  public void script(Exchange x) throws IOException {
    sendResource(x, "app.js", "text/javascript; charset=utf-8");
  }

  /**
   * {@code GET /v1/viewer/session}: the signed-in viewer (id, plan, running rentals, the CSRF token),
   * or who may sign in (the demo viewers in demo mode) with a fresh sign-in token, also set as a
   * cookie only the sign-in sees.
   */
  public void session(Exchange x) {
    x.header("Cache-Control", "no-store");
    Optional<ViewerSessions.Session> session = sessions.session(x.cookie(SESSION_COOKIE));
    Map<String, Object> body = new LinkedHashMap<>();
    if (session.isPresent()) {
      Viewer viewer = session.get().viewer();
      body.put("signedIn", true);
      body.put("userId", viewer.userId());
      body.put("plan", viewer.plan().spelling());
      body.put("csrfToken", session.get().csrfToken());
      List<Map<String, Object>> running = new ArrayList<>();
      rentals.running(viewer.userId(), clock.instant())
          .forEach((title, end) -> running.add(Map.of("titleId", title, "endsAt", end.toString())));
      body.put("rentals", running);
    } else {
      String loginToken = sessions.randomToken();
      x.addCookie(cookie(x, LOGIN_COOKIE, loginToken, LOGIN_PATH));
      body.put("signedIn", false);
      body.put("loginToken", loginToken);
      body.put("signInOpen", accounts.anyone());
      List<Map<String, Object>> demo = new ArrayList<>();
      accounts.demoViewers().forEach(v -> demo.add(Map.of("userId", v.userId(), "plan", v.plan().spelling())));
      body.put("demoViewers", demo);
    }
    x.json(200, body);
  }

  /**
   * {@code POST /v1/viewer/login} {@code {"userId": .., "password": ..}} (a demo viewer needs no
   * password) with the sign-in token in {@value #CSRF_HEADER}: 200 and the session cookie; 401 for a
   * wrong name or password, 429 + {@code Retry-After} while throttled, 403 without the sign-in token.
   */
  public void login(Exchange x) {
    x.header("Cache-Control", "no-store");
    if (!sameToken(x.cookie(LOGIN_COOKIE), x.requestHeader(CSRF_HEADER))) {
      x.error(403, "refused: sign in from the app's page (no or wrong sign-in token; reload the page)");
      return;
    }
    JsonNode body = StrictJson.read(x.body());
    if (!body.isObject()) {
      throw new IllegalArgumentException("send {\"userId\": \"..\", \"password\": \"..\"}");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("userId") && !name.equals("password")) {
        throw new IllegalArgumentException("unknown field " + name + "; send userId and password");
      }
    }
    String userId = text(body, "userId");
    String password = text(body, "password");
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("userId is missing");
    }
    if (password != null && password.length() > MAX_PASSWORD_CHARS) {
      throw new IllegalArgumentException("password longer than " + MAX_PASSWORD_CHARS + " characters");
    }
    Optional<Viewer> viewer = accounts.demoViewer(userId);
    if (viewer.isEmpty()) {
      viewer = checkPassword(x, userId, password);
      if (viewer.isEmpty()) {
        return;
      }
    }
    String token = sessions.start(viewer.get());
    x.addCookie(cookie(x, SESSION_COOKIE, token, "/"));
    x.addCookie(expired(x, LOGIN_COOKIE, LOGIN_PATH));
    LOG.info("viewer {} signed in ({})", viewer.get().userId(), viewer.get().plan().spelling());
    x.json(200, Map.of("userId", viewer.get().userId(), "plan", viewer.get().plan().spelling()));
  }

  /** The viewer whose password this is; otherwise empty, once a 401 or 429 is sent. */
  private Optional<Viewer> checkPassword(Exchange x, String userId, String password) {
    String address = x.clientAddress();
    long waitMs = throttle.tryAttempt(userId, address);
    if (waitMs > 0) {
      // Refused before bcrypt: a throttled attempt costs no password check.
      long seconds = Math.max(1, (waitMs + 999) / 1000);
      x.header("Retry-After", Long.toString(seconds));
      x.error(429, "too many failed sign-ins: try again in " + seconds + " s");
      return Optional.empty();
    }
    Optional<Viewer> viewer = accounts.verify(userId, (password == null ? "" : password).toCharArray());
    if (viewer.isEmpty()) {
      LOG.info("failed sign-in for {} from {}", EdgeRoutes.redacted(userId), address);
      x.error(401, "wrong viewer id or password");
      return Optional.empty();
    }
    throttle.succeeded(userId, address);
    return viewer;
  }

  /** {@code POST /v1/viewer/logout}: ends the session. */
  public void logout(Exchange x) {
    String token = x.cookie(SESSION_COOKIE);
    if (signedIn(x).isEmpty()) {
      return;
    }
    sessions.end(token);
    x.addCookie(expired(x, SESSION_COOKIE, "/"));
    x.sendEmpty(204);
  }

  /**
   * {@code POST /v1/viewer/rent/<title>}: a TVOD viewer rents a title (or keeps the running
   * rental): 200 with when it ends; 403 for a subscriber, 404 for a title not in the catalog.
   */
  public void rent(Exchange x) throws IOException {
    Optional<Viewer> viewer = signedIn(x);
    if (viewer.isEmpty()) {
      return;
    }
    String titleId = titleIn(x, RENT_PREFIX);
    if (titleId == null) {
      return;
    }
    try {
      Instant end = grants.rent(viewer.get(), titleId, clock.instant());
      x.json(200, Map.of("titleId", titleId, "endsAt", end.toString()));
    } catch (Grants.NoGrant e) {
      x.error(403, e.getMessage());
    }
  }

  /**
   * {@code POST /v1/viewer/play/<title>}: the signed-in viewer's grant to play a title, by plan: the
   * token and the player and manifest URLs that carry it, and for a rental when it ends; 403 with the
   * reason without a grant, 404 for a title not in the catalog.
   */
  public void play(Exchange x) throws IOException {
    Optional<Viewer> viewer = signedIn(x);
    if (viewer.isEmpty()) {
      return;
    }
    String titleId = titleIn(x, PLAY_PREFIX);
    if (titleId == null) {
      return;
    }
    Grants.Grant grant;
    try {
      grant = grants.play(viewer.get(), titleId, clock.instant());
    } catch (Grants.NoGrant e) {
      x.error(403, e.getMessage());
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("userId", viewer.get().userId());
    body.put("titleId", titleId);
    body.put("plan", viewer.get().plan().spelling());
    body.put("token", grant.token());
    body.put("expiresAt", Instant.ofEpochSecond(grant.granted().expiresAtSeconds()).toString());
    body.put("rentalEndsAt", grant.rentalEndsAt().map(Instant::toString).orElse(null));
    body.put("player", "/play/" + titleId + "?format=hls&token=" + grant.token());
    body.put("hls", "/t/" + grant.token() + "/vod/" + titleId + "/master.m3u8");
    body.put("dash", "/t/" + grant.token() + "/vod/" + titleId + "/manifest.mpd");
    x.header("Cache-Control", "no-store");
    x.json(200, body);
  }

  /** The signed-in viewer of a state-changing request that carries its CSRF token; else empty, once 401 or 403 is sent. */
  private Optional<Viewer> signedIn(Exchange x) {
    Optional<ViewerSessions.Session> session = sessions.session(x.cookie(SESSION_COOKIE));
    if (session.isEmpty()) {
      x.error(401, "not signed in: sign in at /app/ first");
      return Optional.empty();
    }
    if (!sameToken(session.get().csrfToken(), x.requestHeader(CSRF_HEADER))) {
      LOG.info("refused {} {} for {}: no or wrong CSRF token", x.method(), EdgeRoutes.redacted(x.path()),
          session.get().viewer().userId());
      x.error(403, "refused: this request did not carry the app's CSRF token; reload the page and try again");
      return Optional.empty();
    }
    return Optional.of(session.get().viewer());
  }

  /** The title id after {@code prefix}, in the catalog; else null, once 400 or 404 is sent. */
  private String titleIn(Exchange x, String prefix) throws IOException {
    String titleId = x.path().substring(prefix.length());
    if (!TITLE_ID.matcher(titleId).matches()) {
      x.error(400, "title ids are 1-128 of A-Za-z0-9._@-");
      return null;
    }
    if (catalog.byId(titleId).isEmpty()) {
      x.error(404, "no title " + titleId + " in the catalog");
      return null;
    }
    return titleId;
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return node.asText();
  }

  /** Compares two tokens in constant time; a missing one never matches. */
  static boolean sameToken(String expected, String sent) {
    return expected != null && sent != null
        && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpCookie cookie(Exchange x, String name, String value, String path) {
    return HttpCookie.build(name, value).path(path).httpOnly(true).sameSite(HttpCookie.SameSite.STRICT)
        .secure(x.secure()).build();
  }

  private static HttpCookie expired(Exchange x, String name, String path) {
    return HttpCookie.build(name, "").path(path).httpOnly(true).sameSite(HttpCookie.SameSite.STRICT)
        .secure(x.secure()).maxAge(0).build();
  }

  private void sendResource(Exchange x, String name, String type) throws IOException {
    byte[] bytes = resources.get(name);
    if (bytes == null) {
      try (InputStream in = ViewerHandler.class.getResourceAsStream("/static/" + name)) {
        if (in == null) {
          x.error(404, "the viewer app is not bundled in this build (static/" + name + ")");
          return;
        }
        bytes = in.readAllBytes();
      }
      resources.put(name, bytes);
    }
    x.header("Cache-Control", "no-cache");
    x.send(200, type, bytes);
  }
}
