package io.caudal.edge.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The player page: {@code /play/<title>} is the page and {@code /static/player.js} its bundle (hls.js
 * and dash.js), both read once from the jar's {@code static/} resources.
 */
public final class PlayerPageHandler {

  private final Map<String, byte[]> resources = new ConcurrentHashMap<>();

  /** {@code GET /play/<title>?token=&format=hls|dash}; the page reads its title and options itself. */
  public void page(Exchange x) throws IOException {
    send(x, "player.html", "text/html; charset=utf-8");
  }

  /** {@code GET /static/player.js} */
  public void script(Exchange x) throws IOException {
    send(x, "player.js", "text/javascript; charset=utf-8");
  }

  /** {@code /favicon.ico}: none, answered so browsers do not log a 404 next to the player. */
  public void favicon(Exchange x) {
    x.sendEmpty(204);
  }

  private void send(Exchange x, String name, String type) throws IOException {
    byte[] bytes = resources.get(name);
    if (bytes == null) {
      try (InputStream in = PlayerPageHandler.class.getResourceAsStream("/static/" + name)) {
        if (in == null) {
          x.error(404, "the player is not bundled in this build (static/" + name + ")");
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
