package io.caudal.edge.http;

import io.caudal.edge.fleet.ServerRegistry;
import io.caudal.schemas.ServerHealth;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The fleet: {@code /v1/servers} lists every server that has reported its health, with its latest report. */
public final class ServersHandler {

  private final ServerRegistry registry;
  private final Supplier<Map<String, String>> pathways;

  /** @param pathways pathway (server) id to base URL, for the servers this one offers as pathways now */
  public ServersHandler(ServerRegistry registry, Supplier<Map<String, String>> pathways) {
    this.registry = registry;
    this.pathways = pathways;
  }

  /** {@code GET /v1/servers} */
  public void list(Exchange x) {
    Map<String, String> urls = pathways.get();
    List<Server> servers = registry.all().stream()
        .map(e -> new Server(e.latest().getServerId(), e.registeredAt(), urls.get(e.latest().getServerId()), e.latest()))
        .toList();
    x.json(200, new Servers(servers));
  }

  /**
   * One server as listed.
   *
   * @param registeredAt event time of its first report
   * @param url its base URL when it is one of this server's pathways, else null
   * @param latest its latest report
   */
  record Server(String serverId, long registeredAt, String url, ServerHealth latest) {}

  record Servers(List<Server> servers) {}
}
