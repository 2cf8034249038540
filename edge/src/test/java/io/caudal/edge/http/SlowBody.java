package io.caudal.edge.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A client that sends a POST's headers, then its body as slowly as it likes: the hostile client of the tests. */
public final class SlowBody implements AutoCloseable {

  private final Socket socket;

  private SlowBody(Socket socket) {
    this.socket = socket;
  }

  /** Connects and sends the headers of a JSON POST announcing {@code contentLength} bytes, and none of them. */
  public static SlowBody open(String baseUrl, String path, int contentLength) throws IOException {
    return open(baseUrl, path, contentLength, null);
  }

  /** The same with {@code Authorization: Bearer <token>}, unless the token is null. */
  public static SlowBody open(String baseUrl, String path, int contentLength, String token) throws IOException {
    URI uri = URI.create(baseUrl);
    Socket socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(30_000);
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return new SlowBody(socket);
  }

  public void send(String bytes) throws IOException {
    socket.getOutputStream().write(bytes.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** Everything the server sends until it closes the connection or sends a complete answer with a body. */
  public String answer() throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[4096];
    int n;
    while ((n = in.read(buffer)) > 0) {
      text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      int end = text.indexOf("\r\n\r\n");
      int length = end < 0 ? -1 : contentLength(text.substring(0, end));
      if (length >= 0 && text.length() >= end + 4 + length) {
        break;
      }
    }
    return text.toString();
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
