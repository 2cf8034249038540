package io.caudal.edge.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.ServerHealth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathwaysTest {

  private final ServerRegistry servers = new ServerRegistry();

  private static ServerHealth report(String serverId, String region, String publicUrl) {
    return ServerHealth.newBuilder().setServerId(serverId).setRegion(region).setEventTime(1_000)
        .setCpuUtil(0.1).setMemUtil(0.2).setDiskFreeBytes(1).setPendingBytes(0).setActiveSessions(0)
        .setEgressMbps(0).setCapacityMbps(100).setTitles(List.of()).setPublicUrl(publicUrl).build();
  }

  @Test
  void offersItselfFirstThenOverridesThenTheRegionsReportedServersById() {
    servers.report(report("edge-d", "eu-west", "https://d.example.net/"));
    servers.report(report("edge-c", "eu-west", "https://c.example.net"));
    Pathways pathways = new Pathways("edge-a", "https://a.example.net", "eu-west",
        Map.of("edge-b", "https://b.example.net"), servers);

    assertThat(pathways.current()).containsExactly(Map.entry("edge-a", "https://a.example.net"),
        Map.entry("edge-b", "https://b.example.net"), Map.entry("edge-c", "https://c.example.net"),
        Map.entry("edge-d", "https://d.example.net"));
  }

  @Test
  void anOverrideWinsOverTheReportedUrl() {
    servers.report(report("edge-b", "eu-west", "https://reported.example.net"));
    Pathways pathways = new Pathways("edge-a", "https://a.example.net", "eu-west",
        Map.of("edge-b", "https://override.example.net"), servers);

    assertThat(pathways.current()).containsEntry("edge-b", "https://override.example.net");
  }

  @Test
  void learnsAServerFromItsFirstReportThatCarriesAUrl() {
    Pathways pathways = new Pathways("edge-a", "https://a.example.net", "eu-west", Map.of(), servers);
    servers.report(report("edge-c", "eu-west", null));
    assertThat(pathways.current()).containsOnlyKeys("edge-a");

    servers.report(report("edge-c", "eu-west", "http://10.0.0.3:8080"));

    assertThat(pathways.current()).containsEntry("edge-c", "http://10.0.0.3:8080");
  }

  @Test
  void leavesOutOtherRegionsAndUrlsAPlayerCannotUse() {
    servers.report(report("edge-x", "us-east", "https://x.example.net"));
    servers.report(report("edge-y", "eu-west", "ftp://y.example.net"));
    servers.report(report("edge-z", "eu-west", "https://z.example.net/\"><bad"));
    servers.report(report("edge-a", "eu-west", "https://stale-self.example.net"));
    Pathways pathways = new Pathways("edge-a", "https://a.example.net", "eu-west", Map.of(), servers);

    assertThat(pathways.current()).containsExactly(Map.entry("edge-a", "https://a.example.net"));
  }
}
