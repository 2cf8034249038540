package io.caudal.edge.fleet;

import io.caudal.schemas.ServerHealth;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content-steering pathways this server offers players, as the fleet shows them now: this
 * server first, then the servers named with {@code --pathway} (an override: their URL wins, in the
 * order given), then every other server of the region whose latest health report carries a public
 * URL, by server id. A server of the region that starts reporting joins the manifests served after
 * its first report, with no option to change.
 */
public final class Pathways {

  private final String serverId;
  private final String publicUrl;
  private final String region;
  private final Map<String, String> overrides;
  private final ServerRegistry servers;

  /**
   * @param publicUrl this server's base URL
   * @param overrides pathway id to base URL, given on the command line
   * @param servers the health reports seen, where the other servers' URLs come from
   */
  public Pathways(String serverId, String publicUrl, String region, Map<String, String> overrides,
      ServerRegistry servers) {
    this.serverId = serverId;
    this.publicUrl = publicUrl;
    this.region = region;
    this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    this.servers = servers;
  }

  /** Pathway id to base URL (no trailing slash), this server first. */
  public Map<String, String> current() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(serverId, publicUrl);
    overrides.forEach(all::putIfAbsent);
    for (ServerRegistry.Entry entry : servers.all()) { // by server id
      ServerHealth latest = entry.latest();
      String url = usableUrl(latest.getPublicUrl());
      if (region.equals(latest.getRegion()) && url != null) {
        all.putIfAbsent(latest.getServerId(), url);
      }
    }
    return all;
  }

  /**
   * A reported URL a player can be sent to (http or https, a host, nothing that breaks a manifest
   * line or attribute), trailing slashes dropped; else null, and the server is not offered.
   */
  static String usableUrl(String reported) {
    if (reported == null || !reported.matches("https?://[^\\s\"'<>/]+(/[^\\s\"'<>]*)?")) {
      return null;
    }
    return reported.replaceAll("/+$", "");
  }
}
