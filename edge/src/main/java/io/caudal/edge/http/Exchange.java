package io.caudal.edge.http;

import io.caudal.edge.entitle.PlaybackToken;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One request being answered: reads the request, writes the response and remembers what to count in the metrics. */
public final class Exchange {

  private static final String JSON = "application/json";

  private final Request request;
  private final Response response;
  private final Callback callback;
  final long startNanos = System.nanoTime();
  /** The route label of the request's metrics. */
  String route;
  int status = 200;
  long bytes;
  /** The request body, once read; null on routes that take none. */
  byte[] body;
  /** The request's playback grant, once checked (see {@link EdgeRoutes#uploadsNeedCredentials}); else null. */
  PlaybackToken grant;

  Exchange(Request request, Response response, Callback callback, String route) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.route = route;
  }

  /** The playback grant the request's credential carries, when its route checked one; else null. */
  public PlaybackToken grant() {
    return grant;
  }

  public String method() {
    return request.getMethod();
  }

  /** The path as the client sent it, still percent-encoded. */
  public String path() {
    return request.getHttpURI().getPath();
  }

  public Fields query() {
    return Request.extractQueryParameters(request);
  }

  /** A request header's value, or null. */
  public String requestHeader(String name) {
    return request.getHeaders().get(name);
  }

  /** A request header's value, or null. */
  public String requestHeader(HttpHeader header) {
    return request.getHeaders().get(header);
  }

  /**
   * The request body as text: read whole before an upload route's endpoint runs (see {@link EdgeRoutes#upload}).
   *
   * @throws IllegalStateException on a route that does not take a body
   */
  public String body() {
    if (body == null) {
      if (method().equals("POST")) {
        throw new IllegalStateException("route " + route + " was not mapped as an upload route");
      }
      return "";
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The value of a request cookie, or null. */
  public String cookie(String name) {
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(name)) {
        return cookie.getValue();
      }
    }
    return null;
  }

  /** Adds a {@code Set-Cookie} to the response. */
  public void addCookie(HttpCookie cookie) {
    Response.addCookie(response, cookie);
  }

  /** Whether the request came over TLS. */
  public boolean secure() {
    return request.isSecure();
  }

  /** The client's address, as the connection has it. */
  public String clientAddress() {
    return Request.getRemoteAddr(request);
  }

  public void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  public void send(int code, String contentType, byte[] body) {
    send(code, contentType, ByteBuffer.wrap(body), body.length);
  }

  /** Sends {@code length} bytes of {@code body}; a HEAD request gets the headers only. */
  public void send(int code, String contentType, ByteBuffer body, long length) {
    status = code;
    response.setStatus(code);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    if ("HEAD".equals(request.getMethod())) {
      response.write(true, null, callback);
      return;
    }
    bytes = length;
    response.write(true, body, callback);
  }

  public void sendEmpty(int code) {
    status = code;
    response.setStatus(code);
    response.write(true, null, callback);
  }

  /** Sends {@code body} written as JSON by {@link Json}. */
  public void json(int code, Object body) {
    send(code, JSON, Json.bytes(body));
  }

  /** An error answer: {@code {"error": "<reason>"}}. */
  public void error(int code, String reason) {
    json(code, Map.of("error", reason));
  }
}
