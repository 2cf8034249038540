package io.caudal.edge.fleet;

import io.caudal.schemas.ServerHealth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The fleet's servers as their server.health reports show them: a server registers by its first report. */
public final class ServerRegistry {

  private final ConcurrentMap<String, Entry> servers = new ConcurrentHashMap<>();

  public void report(ServerHealth health) {
    servers.merge(health.getServerId(), new Entry(health.getEventTime(), health),
        (old, fresh) -> new Entry(old.registeredAt(), fresh.latest()));
  }

  /** Every server, by id. */
  public List<Entry> all() {
    List<Entry> list = new ArrayList<>(servers.values());
    list.sort(Comparator.comparing(e -> e.latest().getServerId()));
    return list;
  }

  /**
   * @param registeredAt event time of the server's first report
   * @param latest its latest report
   */
  public record Entry(long registeredAt, ServerHealth latest) {}
}
