package io.caudal.edge.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One request being answered: writes the response and remembers what to count in the metrics. */
public final class Exchange {

  private static final String JSON = "application/json";

  final Request request;
  final Response response;
  final Callback callback;
  final long startNanos = System.nanoTime();
  String route = "other";
  int status = 200;
  long bytes;

  Exchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
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

  public void json(int code, String json) {
    send(code, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  /** An error answer: {@code {"error": "<reason>"}}. */
  public void error(int code, String reason) {
    json(code, "{\"error\":" + Json.quote(reason) + "}");
  }
}
