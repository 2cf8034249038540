package io.caudal.qoe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.caudal.qoe.core.SteeringPolicy.Config;
import io.caudal.qoe.core.SteeringPolicy.ServerQoe;
import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.ReplicationRequest;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.SteeringDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SteeringPolicyTest {
  /** A named instant: when the decision is taken. */
  private static final long NOW = 1_764_000_000_000L;
  /** Reports in the tests are this old unless a test says otherwise: well within freshness. */
  private static final long RECENT = NOW - 5_000;
  private static final String REGION = "eu-west";

  private final SteeringPolicy policy = new SteeringPolicy();

  private static ServerHealth server(String id, double cpu, double mem, String... titles) {
    return server(id, cpu, mem, 100, 1_000, RECENT, titles);
  }

  private static ServerHealth server(String id, double cpu, double mem, double egressMbps, double capacityMbps,
      long reportedAt, String... titles) {
    return ServerHealth.newBuilder()
        .setServerId(id).setRegion(REGION).setEventTime(reportedAt).setCpuUtil(cpu).setMemUtil(mem)
        .setDiskFreeBytes(1L << 40).setPendingBytes(0).setActiveSessions(10)
        .setEgressMbps(egressMbps).setCapacityMbps(capacityMbps).setTitles(List.of(titles)).build();
  }

  private static ServerQoe goodQoe() {
    return new ServerQoe(0.001, 800, 0.001, 200);
  }

  private SteeringDecision decide(List<ServerHealth> servers) {
    return policy.decide(REGION, servers, Map.of(), Map.of(), NOW);
  }

  private SteeringDecision decide(List<ServerHealth> servers, Map<String, ServerQoe> qoe) {
    return policy.decide(REGION, servers, qoe, Map.of(), NOW);
  }

  private static List<String> excludedIds(SteeringDecision d) {
    return d.getExcluded().stream().map(ExcludedServer::getServerId).toList();
  }

  @Test
  void stampsDecisionWithRegionTimeAndTtl() {
    SteeringDecision d = decide(List.of(server("a", 0.1, 0.1)));

    assertThat(d.getRegion()).isEqualTo(REGION);
    assertThat(d.getEventTime()).isEqualTo(NOW);
    assertThat(d.getTtlSeconds()).isEqualTo(SteeringPolicy.DEFAULT_TTL_SECONDS);
    assertThat(d.getPathwayPriority()).containsExactly("a");
    assertThat(d.getExcluded()).isEmpty();
    assertThat(d.getReplications()).isEmpty();
  }

  @Test
  void excludesServerOverCpuThresholdWithReasonAndListsItLast() {
    SteeringDecision d = decide(List.of(server("busy", 0.91, 0.2), server("calm", 0.5, 0.5)));

    assertThat(d.getPathwayPriority()).containsExactly("calm", "busy");
    assertThat(d.getExcluded()).extracting(ExcludedServer::getServerId, ExcludedServer::getReason)
        .containsExactly(tuple("busy", "cpu_over_threshold: cpu 0.91 over 0.75"));
  }

  @Test
  void excludesServerOverMemoryThresholdWithReason() {
    SteeringDecision d = decide(List.of(server("full", 0.2, 0.8), server("calm", 0.5, 0.5)));

    assertThat(d.getPathwayPriority()).containsExactly("calm", "full");
    assertThat(d.getExcluded()).extracting(ExcludedServer::getReason)
        .containsExactly("mem_over_threshold: memory 0.80 over 0.75");
  }

  @Test
  void givesBothReasonsWhenCpuAndMemoryAreOver() {
    SteeringDecision d = decide(List.of(server("both", 0.9, 0.95)));

    assertThat(d.getExcluded()).extracting(ExcludedServer::getReason)
        .containsExactly("cpu_over_threshold: cpu 0.90 over 0.75; mem_over_threshold: memory 0.95 over 0.75");
  }

  @Test
  void treatsUtilizationAtTheThresholdAsNotUnderIt() {
    SteeringDecision d = decide(List.of(server("edge", 0.75, 0.1), server("under", 0.7499, 0.1)));

    assertThat(excludedIds(d)).containsExactly("edge");
    assertThat(d.getExcluded().get(0).getReason()).isEqualTo("cpu_over_threshold: cpu 0.75 at 0.75");
  }

  @Test
  void excludesServerWhoseLastReportIsStaleAsUnhealthy() {
    SteeringDecision d = decide(List.of(
        server("silent", 0.1, 0.1, 100, 1_000, NOW - 45_000),
        server("fresh", 0.6, 0.6, 100, 1_000, NOW - 30_000)));

    assertThat(d.getPathwayPriority()).containsExactly("fresh", "silent");
    assertThat(d.getExcluded()).extracting(ExcludedServer::getServerId, ExcludedServer::getReason)
        .containsExactly(tuple("silent", "unhealthy: no health report for 45 s"));
  }

  @Test
  void reportsOnlyStalenessForStaleServerWhoseOldNumbersWereOver() {
    SteeringDecision d = decide(List.of(server("silent", 0.99, 0.99, 100, 1_000, NOW - 60_000)));

    assertThat(d.getExcluded()).extracting(ExcludedServer::getReason)
        .containsExactly("unhealthy: no health report for 60 s");
  }

  @Test
  void listsEligibleThenOverloadedByScoreThenUnhealthyById() {
    SteeringDecision d = decide(List.of(
        server("stale-b", 0.1, 0.1, 0, 1_000, NOW - 90_000),
        server("hot-worse", 0.95, 0.2),
        server("stale-a", 0.1, 0.1, 900, 1_000, NOW - 90_000),
        server("ok", 0.5, 0.5),
        server("hot-better", 0.8, 0.2)));

    assertThat(d.getPathwayPriority()).containsExactly("ok", "hot-better", "hot-worse", "stale-a", "stale-b");
    assertThat(excludedIds(d)).containsExactly("hot-better", "hot-worse", "stale-a", "stale-b");
  }

  @Test
  void ranksBetterQoeFirstWhenResourcesAreEqual() {
    SteeringDecision d = decide(
        List.of(server("stally", 0.3, 0.3), server("smooth", 0.3, 0.3), server("slow-start", 0.3, 0.3)),
        Map.of(
            "stally", new ServerQoe(0.04, 800, 0.001, 200),
            "smooth", goodQoe(),
            "slow-start", new ServerQoe(0.001, 3_000, 0.001, 200)));

    assertThat(d.getPathwayPriority()).containsExactly("smooth", "slow-start", "stally");
    assertThat(d.getExcluded()).isEmpty();
  }

  @Test
  void ranksHigherLossLowerWhenAllElseIsEqual() {
    SteeringDecision d = decide(
        List.of(server("lossy", 0.3, 0.3), server("clean", 0.3, 0.3)),
        Map.of("lossy", new ServerQoe(0.001, 800, 0.03, 200), "clean", goodQoe()));

    assertThat(d.getPathwayPriority()).containsExactly("clean", "lossy");
  }

  @Test
  void ranksMoreCpuAndMemoryHeadroomFirstWhenQoeIsEqual() {
    SteeringDecision d = decide(List.of(server("loaded", 0.2, 0.6), server("light", 0.3, 0.3)));

    assertThat(d.getPathwayPriority()).containsExactly("light", "loaded");
  }

  @Test
  void ranksMoreSpareEgressFirstWhenQoeAndCpuAreEqual() {
    SteeringDecision d = decide(List.of(
        server("saturated-link", 0.3, 0.3, 950, 1_000, RECENT),
        server("idle-link", 0.3, 0.3, 100, 1_000, RECENT)));

    assertThat(d.getPathwayPriority()).containsExactly("idle-link", "saturated-link");
  }

  @Test
  void ranksProvenGoodQoeAboveUnknownAndUnknownAboveProvenBad() {
    SteeringDecision d = decide(
        List.of(server("unknown", 0.3, 0.3), server("bad", 0.3, 0.3), server("good", 0.3, 0.3),
            server("too-few", 0.3, 0.3)),
        Map.of(
            "bad", new ServerQoe(0.045, 3_800, 0.04, 200),
            "good", goodQoe(),
            "too-few", new ServerQoe(0.001, 500, 0, 3)));

    assertThat(d.getPathwayPriority()).containsExactly("good", "too-few", "unknown", "bad");
  }

  @Test
  void leavesUnmeasuredQoeOutOfTheScore() {
    SteeringDecision d = decide(
        List.of(server("no-rtcp", 0.3, 0.3), server("measured-loss", 0.3, 0.3)),
        Map.of(
            "no-rtcp", new ServerQoe(0.001, 800, Double.NaN, 200),
            "measured-loss", new ServerQoe(0.001, 800, 0.02, 200)));

    assertThat(d.getPathwayPriority()).containsExactly("no-rtcp", "measured-loss");
  }

  @Test
  void breaksScoreTiesByServerIdWhateverTheInputOrder() {
    SteeringDecision one = decide(List.of(server("c", 0.3, 0.3), server("a", 0.3, 0.3), server("b", 0.3, 0.3)));
    SteeringDecision other = decide(List.of(server("b", 0.3, 0.3), server("c", 0.3, 0.3), server("a", 0.3, 0.3)));

    assertThat(one.getPathwayPriority()).containsExactly("a", "b", "c");
    assertThat(other).isEqualTo(one);
  }

  @Test
  void excludesServerWithPoorQoeWhenAnotherStaysEligible() {
    SteeringDecision d = decide(
        List.of(server("stally", 0.1, 0.1), server("smooth", 0.5, 0.5)),
        Map.of("stally", new ServerQoe(0.08, 900, 0.001, 120), "smooth", goodQoe()));

    assertThat(d.getPathwayPriority()).containsExactly("smooth", "stally");
    assertThat(d.getExcluded()).extracting(ExcludedServer::getServerId, ExcludedServer::getReason)
        .containsExactly(tuple("stally", "poor_qoe: rebuffering 0.080 over 0.050 in 120 sessions (120 started)"));
  }

  @Test
  void keepsPoorQoeServersEligibleWhenEveryServerIsPoor() {
    SteeringDecision d = decide(
        List.of(server("worse", 0.3, 0.3), server("bad", 0.3, 0.3)),
        Map.of("worse", new ServerQoe(0.2, 900, 0.001, 120), "bad", new ServerQoe(0.06, 900, 0.001, 120)));

    assertThat(d.getExcluded()).isEmpty();
    assertThat(d.getPathwayPriority()).containsExactly("bad", "worse");
  }

  @Test
  void ignoresPoorRebufferingFromTooFewSessions() {
    SteeringDecision d = decide(
        List.of(server("new", 0.3, 0.3), server("smooth", 0.3, 0.3)),
        Map.of("new", new ServerQoe(0.5, 900, 0.001, 19), "smooth", goodQoe()));

    assertThat(d.getExcluded()).isEmpty();
  }

  @Test
  void requestsReplicationOfDemandedTitleHeldByNoEligibleServer() {
    SteeringDecision d = policy.decide(REGION,
        List.of(server("holder", 0.5, 0.5, "t1"), server("roomy", 0.2, 0.2), server("hot", 0.9, 0.2, "t2")),
        Map.of(), Map.of("t1", 10L, "t2", 40L), NOW);

    assertThat(d.getReplications())
        .extracting(ReplicationRequest::getTitleId, ReplicationRequest::getServerId, ReplicationRequest::getReason)
        .containsExactly(tuple("t2", "roomy", "no_eligible_holder: 40 recent sessions, held only by excluded hot"));
  }

  @Test
  void requestsReplicationOfTitleNoServerHoldsToTheServerWithMostHeadroom() {
    SteeringDecision d = policy.decide(REGION,
        List.of(server("a", 0.6, 0.2, 100, 1_000, RECENT), server("b", 0.2, 0.2, 100, 1_000, RECENT),
            server("c", 0.2, 0.2, 900, 1_000, RECENT)),
        Map.of(), Map.of("new-title", 5L), NOW);

    assertThat(d.getReplications())
        .extracting(ReplicationRequest::getTitleId, ReplicationRequest::getServerId, ReplicationRequest::getReason)
        .containsExactly(tuple("new-title", "b", "no_eligible_holder: 5 recent sessions, held by no server"));
  }

  @Test
  void ordersReplicationsByDemandAndSkipsTitlesWithoutSessions() {
    SteeringDecision d = policy.decide(REGION, List.of(server("a", 0.2, 0.2)), Map.of(),
        Map.of("few", 2L, "many", 90L, "none", 0L, "also-few", 2L), NOW);

    assertThat(d.getReplications()).extracting(ReplicationRequest::getTitleId)
        .containsExactly("many", "also-few", "few");
  }

  @Test
  void requestsNoReplicationWhenAnEligibleServerHoldsTheTitle() {
    SteeringDecision d = policy.decide(REGION,
        List.of(server("holder", 0.5, 0.5, "t1"), server("hot", 0.9, 0.2, "t1")),
        Map.of(), Map.of("t1", 40L), NOW);

    assertThat(d.getReplications()).isEmpty();
  }

  @Test
  void requestsNoReplicationWhenNoServerIsEligible() {
    SteeringDecision d = policy.decide(REGION,
        List.of(server("hot", 0.9, 0.2), server("silent", 0.1, 0.1, 100, 1_000, NOW - 60_000)),
        Map.of(), Map.of("t1", 40L), NOW);

    assertThat(d.getPathwayPriority()).containsExactly("hot", "silent");
    assertThat(d.getReplications()).isEmpty();
  }

  @Test
  void decidesAnEmptyRegion() {
    SteeringDecision d = policy.decide(REGION, List.of(), Map.of(), Map.of("t1", 4L), NOW);

    assertThat(d.getPathwayPriority()).isEmpty();
    assertThat(d.getExcluded()).isEmpty();
    assertThat(d.getReplications()).isEmpty();
  }

  @Test
  void honoursConfiguredThresholdsAndTtl() {
    SteeringPolicy strict = new SteeringPolicy(new Config(0.5, 0.9, 10_000, 30, 0.05, 20));

    SteeringDecision d = strict.decide(REGION,
        List.of(server("a", 0.6, 0.1), server("b", 0.1, 0.1, 100, 1_000, NOW - 11_000), server("c", 0.1, 0.8)),
        Map.of(), Map.of(), NOW);

    assertThat(d.getTtlSeconds()).isEqualTo(30);
    assertThat(d.getPathwayPriority()).containsExactly("c", "a", "b");
    assertThat(d.getExcluded()).extracting(ExcludedServer::getReason)
        .containsExactly("cpu_over_threshold: cpu 0.60 over 0.50", "unhealthy: no health report for 11 s");
  }

  @Test
  void refusesReportOfAnotherRegion() {
    ServerHealth elsewhere = ServerHealth.newBuilder(server("x", 0.1, 0.1)).setRegion("us-east").build();

    assertThatThrownBy(() -> decide(List.of(elsewhere)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("server x reports region us-east, not eu-west");
  }

  @Test
  void refusesTwoReportsOfOneServer() {
    assertThatThrownBy(() -> decide(List.of(server("x", 0.1, 0.1), server("x", 0.2, 0.2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two health reports for server x; pass only its latest");
  }

  @Test
  void refusesThresholdOutsideZeroToOne() {
    assertThatThrownBy(() -> new Config(75, 0.75, 30_000, 10, 0.05, 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cpuThreshold must be in (0, 1], got 75.0");
  }

  @Test
  void triggersWhenCpuCrossesThresholdUpward() {
    assertThat(policy.crossesThreshold(server("a", 0.70, 0.2), server("a", 0.80, 0.2))).isTrue();
  }

  @Test
  void triggersWhenCpuCrossesThresholdDownward() {
    assertThat(policy.crossesThreshold(server("a", 0.80, 0.2), server("a", 0.70, 0.2))).isTrue();
  }

  @Test
  void triggersWhenMemoryCrossesThresholdEitherWay() {
    assertThat(policy.crossesThreshold(server("a", 0.2, 0.74), server("a", 0.2, 0.75))).isTrue();
    assertThat(policy.crossesThreshold(server("a", 0.2, 0.75), server("a", 0.2, 0.74))).isTrue();
  }

  @Test
  void doesNotTriggerWhenUtilizationMovesOnOneSideOfThreshold() {
    assertThat(policy.crossesThreshold(server("a", 0.2, 0.3), server("a", 0.7, 0.6))).isFalse();
    assertThat(policy.crossesThreshold(server("a", 0.8, 0.9), server("a", 0.95, 0.99))).isFalse();
  }

  @Test
  void triggersOnFirstReportOfAServer() {
    assertThat(policy.crossesThreshold(null, server("new", 0.2, 0.2))).isTrue();
  }

  @Test
  void triggersWhenServerReportsAgainAfterGoingStale() {
    ServerHealth before = server("a", 0.2, 0.2, 100, 1_000, NOW - 40_000);

    assertThat(policy.crossesThreshold(before, server("a", 0.2, 0.2, 100, 1_000, NOW))).isTrue();
    assertThat(policy.crossesThreshold(before, server("a", 0.2, 0.2, 100, 1_000, NOW - 10_000))).isFalse();
  }

  @Test
  void refusesToCompareReportsOfDifferentServers() {
    assertThatThrownBy(() -> policy.crossesThreshold(server("a", 0.2, 0.2), server("b", 0.2, 0.2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reports of different servers: a and b");
  }
}
