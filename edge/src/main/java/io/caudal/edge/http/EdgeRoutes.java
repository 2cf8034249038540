package io.caudal.edge.http;

import io.caudal.edge.collect.Cmcd;
import io.caudal.edge.collect.KafkaPublisher;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.PathSpecGroup;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edge's routes on Jetty's core handler API (no servlets: less between the socket and the answer):
 * each path maps to the endpoint of a route handler, under the label its requests are counted by.
 *
 * <p>What every route shares is here, once: the CORS header and preflight, the methods a route
 * takes, error answers, the request metrics, and the thread a request is answered on. Every route
 * declares itself non-blocking, so Jetty may run it on the thread that read the request: an
 * in-place route (steering, answered from memory) is answered right there; every other route, which
 * may wait on Kafka or the file system, is handed to the blocking executor. An upload route (one
 * that takes a request body) reads the body without holding a thread and is answered on
 * {@link Uploads}' own pool, so slow or many uploads cannot take the threads that serve media.
 *
 * <p>A path that is not in its one canonical spelling (an empty segment, {@code .} or {@code ..})
 * is refused with 400 before routing: otherwise {@code /vod/t//master.m3u8} would be a second name
 * for a file, one the manifest rewriting and the cache do not know.
 *
 * <p>Paths are {@link ServletPathSpec}s only: Jetty then finds a route by a hash lookup or its
 * longest prefix, without trying patterns in turn.
 */
public final class EdgeRoutes extends PathMappingsHandler {

  /** The route of requests no route answers. */
  public static final String OTHER = "other";

  private static final Logger LOG = LoggerFactory.getLogger(EdgeRoutes.class);
  private static final String RETRY_AFTER_SECONDS = "5";
  private static final String ALLOWED_HEADERS = "Range, Content-Type, If-None-Match, Authorization, "
      + String.join(", ", Cmcd.HEADERS);

  /** CMCD v2 event reports are application/cmcd: like JSON, not a type a form can send without a preflight. */
  private static final Pattern JSON_TYPE =
      Pattern.compile("application/(json|cmcd)\\s*(;.*)?", Pattern.CASE_INSENSITIVE);

  private final EdgeMetrics metrics;
  private final Executor blocking;
  private final Uploads uploads;
  private volatile Set<String> allowedOrigins = Set.of();
  private volatile TokenSigner credentials;
  /** Routes of {@code /t/<token><after>} by {@code <after>}: the token is their credential. */
  private final Map<String, Route> signedRoutes = new HashMap<>();

  /**
   * Answers one route's requests; throwing is answered for it (see {@link EdgeRoutes}). An endpoint
   * mapped at {@code /x/*} is handed the paths under {@code /x/} only, as sent.
   */
  @FunctionalInterface
  public interface Endpoint {
    void answer(Exchange exchange) throws IOException;
  }

  /**
   * The credential a request carries in its path, checked before its body is read. When there is
   * none that verifies, it answers the refusal itself and returns empty.
   */
  @FunctionalInterface
  public interface PathCredential {
    Optional<PlaybackToken> grant(Exchange exchange);
  }

  /** The methods a route takes; any other is answered 405 with {@code Allow}. */
  public enum Methods {
    READ(Set.of("GET", "HEAD"), "GET, HEAD"),
    POST(Set.of("POST"), "POST"),
    READ_OR_POST(Set.of("GET", "HEAD", "POST"), "GET, POST"),
    ANY(null, null);

    private final Set<String> allowed;
    private final String allowHeader;

    Methods(Set<String> allowed, String allowHeader) {
      this.allowed = allowed;
      this.allowHeader = allowHeader;
    }

    boolean allow(String method) {
      return allowed == null || allowed.contains(method);
    }
  }

  /**
   * @param blocking runs the routes that may wait
   * @param uploads reads request bodies and runs the upload routes
   */
  public EdgeRoutes(EdgeMetrics metrics, Executor blocking, Uploads uploads) {
    // Not dynamic: the routes are fixed before the server starts, so Jetty sees that none of them blocks.
    super(false);
    this.metrics = metrics;
    this.blocking = blocking;
    this.uploads = uploads;
  }

  /**
   * The web origins ({@code scheme://host[:port]}) whose pages may call this server: their requests
   * get {@code Access-Control-Allow-Origin}; an upload from any other origin is refused with 403,
   * since a browser sends a simple cross-origin POST before it asks anyone. Requests without an
   * {@code Origin} (players that are not web pages, tools) are not affected.
   */
  public EdgeRoutes allowOrigins(Set<String> origins) {
    this.allowedOrigins = Set.copyOf(origins);
    return this;
  }

  /**
   * Upload routes then take only requests that carry a valid playback token ({@link Credentials}),
   * checked before the body is read: a client without one is answered 401 at once and costs no
   * upload slot, and the endpoint finds the grant in {@link Exchange#grant()}.
   */
  public EdgeRoutes uploadsNeedCredentials(TokenSigner signer) {
    this.credentials = signer;
    return this;
  }

  /** Maps a path to an endpoint that never waits: answered on the thread that read the request. */
  public EdgeRoutes inPlace(String servletPathSpec, String route, Methods methods, Endpoint endpoint) {
    return add(servletPathSpec, route, methods, endpoint, null, false);
  }

  /** Maps a path to an endpoint that may wait: answered on the blocking executor. */
  public EdgeRoutes blocking(String servletPathSpec, String route, Methods methods, Endpoint endpoint) {
    return add(servletPathSpec, route, methods, endpoint, blocking, false);
  }

  /**
   * Maps a path to an endpoint that takes a request body: a POST's body is read first, without
   * holding a thread, and {@link Exchange#body()} has it; answered on the uploads' pool.
   */
  public EdgeRoutes upload(String servletPathSpec, String route, Methods methods, Endpoint endpoint) {
    return add(servletPathSpec, route, methods, endpoint, null, true, true);
  }

  /**
   * An upload route whose endpoint checks a credential of its own instead of a playback token: the
   * viewer app's sign-in session (cookie and CSRF header). Everything else is as {@link #upload}.
   */
  public EdgeRoutes uploadWithOwnCredential(String servletPathSpec, String route, Methods methods, Endpoint endpoint) {
    return add(servletPathSpec, route, methods, endpoint, null, true, false);
  }

  /**
   * Maps {@code /t/<token><afterToken>} to an endpoint that takes a request body, as {@link #upload}
   * does, whose credential is the playback token in its path: {@code credential} checks it before the
   * body is read (and answers the refusal), and the endpoint finds the grant in {@link Exchange#grant()}.
   * A player sends such a request as it finds it in a manifest, with no {@code Content-Type} or a JSON one.
   * These paths are found by one hash lookup of what follows the token, before the other routes.
   */
  public EdgeRoutes signedUpload(String afterToken, String route, Methods methods, PathCredential credential,
      Endpoint endpoint) {
    if (!afterToken.startsWith("/") || afterToken.endsWith("/")) {
      throw new IllegalArgumentException("a path after the token starts with / and names a file: " + afterToken);
    }
    Route signed = new Route(route, null, methods, endpoint, null, true, false, credential);
    addBean(signed);
    signedRoutes.put(afterToken, signed);
    return this;
  }

  private EdgeRoutes add(String servletPathSpec, String route, Methods methods, Endpoint endpoint, Executor executor,
      boolean upload) {
    return add(servletPathSpec, route, methods, endpoint, executor, upload, upload);
  }

  private EdgeRoutes add(String servletPathSpec, String route, Methods methods, Endpoint endpoint, Executor executor,
      boolean upload, boolean playbackToken) {
    ServletPathSpec spec = new ServletPathSpec(servletPathSpec);
    String under = spec.getGroup() == PathSpecGroup.PREFIX_GLOB ? spec.getPrefix() + "/" : null;
    addMapping(spec, new Route(route, under, methods, endpoint, executor, upload, playbackToken, null));
    return this;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Route signed = signedRoute(request.getHttpURI().getPath());
    return signed != null ? signed.handle(request, response, callback) : super.handle(request, response, callback);
  }

  /** The signed route of {@code /t/<token><after>}, if one is mapped at {@code <after>}. */
  private Route signedRoute(String path) {
    if (signedRoutes.isEmpty() || path == null || !path.startsWith("/t/")) {
      return null;
    }
    int slash = path.indexOf('/', 3);
    return slash > 3 ? signedRoutes.get(path.substring(slash)) : null;
  }

  /**
   * A path fit for a log line: the playback token of {@code /t/<token>/...} is a credential, so only
   * its first characters are kept (enough to tell two apart), and the path is cut to a bounded
   * length with control characters escaped, so a request cannot forge a log line.
   */
  public static String redacted(String rawPath) {
    String path = rawPath == null ? "" : rawPath;
    if (path.startsWith("/t/")) {
      int end = path.indexOf('/', 3);
      String token = end < 0 ? path.substring(3) : path.substring(3, end);
      path = "/t/" + token.substring(0, Math.min(6, token.length())) + "..." + (end < 0 ? "" : path.substring(end));
    }
    StringBuilder safe = new StringBuilder();
    for (int i = 0; i < path.length() && safe.length() < 200; i++) {
      char c = path.charAt(i);
      safe.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return safe.toString();
  }

  /** Whether a raw path is in its canonical spelling: no empty, {@code .} or {@code ..} segment. */
  static boolean canonical(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return false;
    }
    // A trailing slash (an empty last segment) names a folder, as in /v1/titles/; an empty segment
    // anywhere else is a second spelling of a path.
    String[] segments = rawPath.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if ((segment.isEmpty() && !last) || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** The answer for a path no route maps. */
  public static void notFound(Exchange x) {
    x.error(404, "no such resource: " + x.path());
  }

  /** The request as it came: routes read their own paths, so Jetty need not wrap every request. */
  @Override
  protected Request newPathSpecRequest(Request request, PathSpec pathSpec) {
    return request;
  }

  /** One mapped path. */
  private final class Route extends Handler.Abstract.NonBlocking {

    private final String route;
    /**
     * {@code /x/} for a route mapped at {@code /x/*}, else null: the route answers only the paths that start
     * with it as sent. Jetty would also hand it {@code /x}, and paths that reach {@code /x/} only once decoded.
     */
    private final String under;
    private final Methods methods;
    private final Endpoint endpoint;
    /** Null for a route answered in place or an upload route. */
    private final Executor executor;
    private final boolean upload;
    /** Whether the upload needs a playback token; the viewer app's routes check their own credential. */
    private final boolean playbackToken;
    /** The credential in the path, for a signed route; else null. */
    private final PathCredential pathCredential;

    Route(String route, String under, Methods methods, Endpoint endpoint, Executor executor, boolean upload,
        boolean playbackToken, PathCredential pathCredential) {
      this.route = route;
      this.under = under;
      this.methods = methods;
      this.endpoint = endpoint;
      this.executor = executor;
      this.upload = upload;
      this.playbackToken = playbackToken;
      this.pathCredential = pathCredential;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Exchange x = new Exchange(request, response, callback, route);
      String origin = request.getHeaders().get(HttpHeader.ORIGIN);
      response.getHeaders().put(HttpHeader.VARY, "Origin");
      boolean allowedOrigin = origin != null && allowedOrigins.contains(origin);
      if (allowedOrigin) {
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      }
      if (!canonical(x.path())) {
        x.route = OTHER;
        x.error(400, "paths are refused unless canonical: no empty, '.' or '..' segments");
        counted(x);
      } else if (upload && origin != null && !allowedOrigin && !x.method().equals("OPTIONS")) {
        x.error(403, "requests from the web origin " + origin + " are not allowed here");
        counted(x);
      } else if (upload && withoutCredential(x)) {
        counted(x);
      } else if (upload) {
        if (x.method().equals("POST") && request.getLength() != 0 && !json(request) && !untypedSigned(request)) {
          // A form or text/plain POST needs no preflight; a JSON one does, so only the allowed origins can send it.
          x.header(HttpHeader.CONNECTION.asString(), "close");
          x.error(415, "request bodies are JSON (or CMCD v2 reports): send Content-Type: application/json");
          counted(x);
        } else if (x.method().equals("POST")) {
          readThenAnswer(request, x);
        } else {
          answerUpload(x);
        }
      } else if (executor == null) {
        answer(x);
      } else {
        executor.execute(() -> answer(x));
      }
      return true;
    }

    /** Whether an upload needs a credential and lacks a valid one (then its refusal is sent); else the grant is kept. */
    private boolean withoutCredential(Exchange x) {
      if (x.method().equals("OPTIONS") || !methods.allow(x.method())) {
        return false;
      }
      if (pathCredential != null) {
        x.grant = pathCredential.grant(x).orElse(null);
        return x.grant == null;
      }
      TokenSigner signer = credentials;
      if (signer == null || !playbackToken) {
        return false;
      }
      x.grant = Credentials.grant(x, signer).orElse(null);
      return x.grant == null;
    }

    /** Reads the body without a thread, then answers on the uploads' pool; limits refused with 429 or 503. */
    private void readThenAnswer(Request request, Exchange x) {
      String client = Request.getRemoteAddr(request);
      Optional<Uploads.Refused> refused = uploads.admit(client);
      if (refused.isPresent()) {
        x.header(HttpHeader.RETRY_AFTER.asString(), Uploads.RETRY_AFTER_SECONDS);
        refuse(x, refused.get());
        return;
      }
      Request.addCompletionListener(request, failure -> uploads.release(client));
      uploads.read(request).whenComplete((body, failure) -> {
        if (failure == null) {
          x.body = body;
          answerUpload(x);
        } else if (failure instanceof Uploads.Refused r) {
          refuse(x, r);
        } else {
          LOG.error("failed to read a body for {} {}", x.method(), redacted(x.path()), failure);
          x.error(500, "internal error");
          counted(x);
        }
      });
    }

    private void answerUpload(Exchange x) {
      try {
        uploads.answer(() -> answer(x));
      } catch (RejectedExecutionException e) {
        x.header(HttpHeader.RETRY_AFTER.asString(), Uploads.RETRY_AFTER_SECONDS);
        refuse(x, new Uploads.Refused(503, "too many uploads waiting, retry later"));
      }
    }

    /** A body not taken, or not read whole: the rest is not read, so the connection closes after the answer. */
    private void refuse(Exchange x, Uploads.Refused refused) {
      x.header(HttpHeader.CONNECTION.asString(), "close");
      x.error(refused.status(), refused.getMessage());
      counted(x);
    }

    /** EME licence requests from hls.js carry no Content-Type; only a signed route's credential makes them safe. */
    private boolean untypedSigned(Request request) {
      return pathCredential != null && request.getHeaders().get(HttpHeader.CONTENT_TYPE) == null;
    }

    private void counted(Exchange x) {
      metrics.request(x.route, x.status, System.nanoTime() - x.startNanos, x.bytes);
    }

    private void answer(Exchange x) {
      try {
        if (x.method().equals("OPTIONS")) {
          preflight(x);
        } else if (under != null && !x.path().startsWith(under)) {
          x.route = OTHER;
          notFound(x);
        } else if (!methods.allow(x.method())) {
          x.header("Allow", methods.allowHeader);
          x.error(405, "method " + x.method() + " not allowed here; use " + methods.allowHeader);
        } else {
          endpoint.answer(x);
        }
      } catch (IllegalArgumentException e) {
        x.error(400, e.getMessage());
      } catch (KafkaPublisher.Unavailable e) {
        x.header(HttpHeader.RETRY_AFTER.asString(), RETRY_AFTER_SECONDS);
        x.error(503, "event store unavailable, retry later: " + e.getMessage());
      } catch (RuntimeException | IOException e) {
        LOG.error("failed to answer {} {}", x.method(), redacted(x.path()), e);
        // The reason stays in the log: an exception's text may name files, hosts or a bug's details.
        x.error(500, "internal error");
      } finally {
        counted(x);
      }
    }
  }

  private static boolean json(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    return type != null && JSON_TYPE.matcher(type).matches();
  }

  /** Players on other origins ask before sending Range, CMCD or JSON. */
  private static void preflight(Exchange x) {
    x.route = "preflight";
    x.header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
    x.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    x.header("Access-Control-Max-Age", "86400");
    x.sendEmpty(204);
  }
}
