package io.caudal.edge.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
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

  Exchange(Request request, Response response, Callback callback, String route) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.route = route;
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
   * The request body as text.
   *
   * @throws IllegalArgumentException when it is longer than {@code maxBytes}
   */
  public String body(int maxBytes) throws IOException {
    long declared = request.getLength();
    // The rest of a refused body is not read, so the connection cannot carry another request.
    header("Connection", "close");
    if (declared > maxBytes) {
      throw new IllegalArgumentException("body too large: " + declared + " bytes, at most " + maxBytes);
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] read = in.readNBytes(maxBytes + 1);
      if (read.length > maxBytes) {
        throw new IllegalArgumentException("body too large: more than " + maxBytes + " bytes");
      }
      response.getHeaders().remove("Connection");
      return new String(read, StandardCharsets.UTF_8);
    }
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
