package io.caudal.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.ExcludedServer;
import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import io.caudal.schemas.ReplicationRequest;
import io.caudal.schemas.ServerHealth;
import io.caudal.schemas.SteeringDecision;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private static final long T0 = 1_700_000_000_000L;

  private static SimConfig config(int players, int servers, int regions, ServerChoice choice,
      SessionBehaviour behaviour, List<Fault> faults) {
    return new SimConfig(players, servers, regions, 20, 1.0, Ladder.DEFAULT, 1_000, 10_000, 5_000, 5_000, 5_000,
        10_000, 1_000, ServerLoadModel.DEFAULT, choice, behaviour, faults, T0, 11, List.of());
  }

  private static void run(Simulation sim, CollectingSink sink, int ticks) {
    for (int i = 0; i < ticks; i++) {
      sim.step(sink);
    }
  }

  private static SteeringDecision steering(String region, long at, List<String> priority, List<String> excluded) {
    return SteeringDecision.newBuilder().setRegion(region).setEventTime(at).setTtlSeconds(10)
        .setPathwayPriority(priority)
        .setExcluded(excluded.stream().map(id -> new ExcludedServer(id, "cpu_over_threshold")).toList())
        .setReplications(List.of()).build();
  }

  @Test
  void playersObeyABitrateCapAndClimbBackWhenItIsLifted() {
    Simulation sim = new Simulation(config(6, 1, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.STEADY, List.of()));
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 90);
    Player player = sim.players().stream().filter(p -> p.bitrateKbps() > 730).findFirst().orElseThrow();
    String session = player.sessionId();

    long cappedAt = sim.nowMs();
    sim.apply(new BitrateDecision(session, cappedAt, 730, "rebuffering", 0L));
    int before = sink.heartbeats.size();
    run(sim, sink, 60);
    List<PlayerHeartbeat> capped = sink.heartbeats.subList(before, sink.heartbeats.size()).stream()
        .filter(h -> h.getSessionId().equals(session)).toList();
    assertThat(capped).isNotEmpty().allSatisfy(h -> {
      assertThat(h.getBitrateKbps()).isLessThanOrEqualTo(730);
      assertThat(h.getTopBitrateKbps()).isEqualTo(730);
    });
    assertThat(capped.get(0).getType()).isEqualTo(HeartbeatType.BITRATE_CHANGE);

    sim.apply(new BitrateDecision(session, sim.nowMs(), 6000, "lifted", 0L));
    int lifted = sink.heartbeats.size();
    run(sim, sink, 90);
    List<PlayerHeartbeat> after = sink.heartbeats.subList(lifted, sink.heartbeats.size()).stream()
        .filter(h -> h.getSessionId().equals(session)).toList();
    assertThat(after).allSatisfy(h -> assertThat(h.getTopBitrateKbps()).isEqualTo(6000));
    assertThat(after).anySatisfy(h -> assertThat(h.getBitrateKbps()).isGreaterThan(730));
  }

  @Test
  void viewersWatchMostlyTheirFavouriteCategoriesWhenTitlesHaveCategories() {
    List<String> categories = List.of("drama", "comedy", "docs", "kids");
    List<String> ids = new java.util.ArrayList<>();
    for (int t = 0; t < 20; t++) {
      ids.add("title-" + t + ":" + categories.get(t % categories.size()));
    }
    Simulation sim = new Simulation(config(30, 1, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.REALISTIC,
        List.of()).withTitleIds(ids));
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 6 * 3600);

    assertThat(sim.titleIds()).first().isEqualTo("title-0");
    java.util.Map<String, String> categoryOf = new java.util.HashMap<>();
    for (int t = 0; t < 20; t++) {
      categoryOf.put("title-" + t, categories.get(t % categories.size()));
    }
    List<PlayerHeartbeat> requests = sink.heartbeats.stream()
        .filter(h -> h.getType() == HeartbeatType.PLAY_REQUESTED).toList();
    assertThat(requests).hasSizeGreaterThan(100);
    long favourite = requests.stream()
        .filter(h -> sim.tastesOf(h.getUserId()).contains(categoryOf.get(h.getTitleId()))).count();
    // 80 % by taste plus the popular picks that happen to fall in a favourite category.
    assertThat((double) favourite / requests.size()).isGreaterThan(0.7);
    Set<List<String>> tastes = sim.players().stream().map(p -> sim.tastesOf(p.userId())).collect(Collectors.toSet());
    assertThat(tastes).hasSizeGreaterThan(3).allSatisfy(t -> assertThat(t).hasSize(2).isSubsetOf(categories));
  }

  @Test
  void titlesMayComeWithTheirCategoryAndDuration() {
    assertThat(Simulation.playable("abc", 60_000)).isEqualTo(new Simulation.PlayableTitle("abc", 60_000, null));
    assertThat(Simulation.playable("abc:drama", 60_000)).isEqualTo(new Simulation.PlayableTitle("abc", 60_000, "drama"));
    assertThat(Simulation.playable("abc:drama:5.5", 60_000))
        .isEqualTo(new Simulation.PlayableTitle("abc", 5_500, "drama"));
    assertThatThrownBy(() -> Simulation.playable("abc:drama:soon", 60_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SECONDS must be a positive number");
    assertThatThrownBy(() -> Simulation.playable("abc::5", 60_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ID[:CATEGORY[:SECONDS]]");
  }

  @Test
  void generatedTitlesHaveNoCategoriesAndViewersNoTastes() {
    Simulation sim = new Simulation(config(5, 1, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.REALISTIC, List.of()));
    assertThat(sim.players()).allSatisfy(p -> assertThat(sim.tastesOf(p.userId())).isEmpty());
  }

  @Test
  void anOlderCapArrivingLateIsIgnored() {
    BitrateCaps caps = new BitrateCaps();
    caps.apply(new BitrateDecision("s1", 2_000L, 2000, "low_throughput", 0L));
    caps.apply(new BitrateDecision("s1", 1_000L, 365, "rebuffering", 0L));
    assertThat(caps.capOf("s1")).hasValue(2000);
    assertThatThrownBy(() -> caps.apply(new BitrateDecision("s1", 3_000L, 0, "x", 0L)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBitrateKbps must be positive");
  }

  @Test
  void playersFollowTheFirstUsableServerOfTheLatestSteeringDecision() {
    Simulation sim = new Simulation(config(8, 2, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.STEADY, List.of()));
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 20);
    // Without a decision every player takes the default pathway: the region's first server.
    assertThat(sim.players()).allSatisfy(p -> assertThat(p.serverId()).isEqualTo("eu-west-s1"));

    sim.apply(steering("eu-west", sim.nowMs(), List.of("eu-west-s2", "eu-west-s1"), List.of()));
    run(sim, sink, 1);
    assertThat(sim.players()).allSatisfy(p -> assertThat(p.serverId()).isEqualTo("eu-west-s2"));
    int moved = sink.heartbeats.size();
    run(sim, sink, 15);
    assertThat(sink.heartbeats.subList(moved, sink.heartbeats.size()))
        .isNotEmpty().allSatisfy(h -> assertThat(h.getServerId()).isEqualTo("eu-west-s2"));
    assertThat(sink.health.get(sink.health.size() - 1).getActiveSessions()).isEqualTo(8);

    // s2 first but excluded: players go to the next server that is not.
    sim.apply(steering("eu-west", sim.nowMs(), List.of("eu-west-s2", "eu-west-s1"), List.of("eu-west-s2")));
    run(sim, sink, 1);
    assertThat(sim.players()).allSatisfy(p -> assertThat(p.serverId()).isEqualTo("eu-west-s1"));
  }

  @Test
  void aSteeredOnlyPlayerWaitsForADecisionThatOffersAServer() {
    Simulation sim = new Simulation(config(5, 2, 1, ServerChoice.STEERED_ONLY, SessionBehaviour.STEADY, List.of()));
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 12);
    assertThat(sim.players()).allSatisfy(p -> assertThat(p.state()).isEqualTo(Player.State.WAITING_SERVER));
    assertThat(sink.heartbeats).allSatisfy(h -> {
      assertThat(h.getType()).isEqualTo(HeartbeatType.PLAY_REQUESTED);
      assertThat(h.getServerId()).isEqualTo(Player.UNASSIGNED);
    });

    sim.apply(steering("eu-west", sim.nowMs(), List.of("eu-west-s1", "eu-west-s2"),
        List.of("eu-west-s1", "eu-west-s2")));
    run(sim, sink, 5);
    assertThat(sim.assignments()).isEmpty(); // every server excluded: still waiting

    long decidedAt = sim.nowMs();
    sim.apply(steering("eu-west", decidedAt, List.of("eu-west-s2", "eu-west-s1"), List.of("eu-west-s1")));
    run(sim, sink, 1);
    assertThat(sim.assignments()).hasSize(5).allSatisfy(a -> {
      assertThat(a.assignedAtMs()).isEqualTo(decidedAt);
      assertThat(a.waitMs()).isGreaterThanOrEqualTo(decidedAt - T0 - 5_000);
    });
    assertThat(sim.players()).allSatisfy(p -> assertThat(p.serverId()).isEqualTo("eu-west-s2"));
  }

  @Test
  void anUnhealthyServerShowsInItsHealthAndStallsItsSessions() {
    Simulation sim = new Simulation(config(10, 2, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.STEADY,
        List.of(new Fault.ServerUnhealthy("eu-west-s1", 60_000))));
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 120);
    List<ServerHealth> s1 = sink.health.stream().filter(h -> h.getServerId().equals("eu-west-s1")).toList();
    assertThat(s1.stream().filter(h -> h.getEventTime() <= T0 + 60_000)).allSatisfy(h ->
        assertThat(h.getCpuUtil()).isLessThan(0.9));
    assertThat(s1.stream().filter(h -> h.getEventTime() > T0 + 60_000)).isNotEmpty().allSatisfy(h -> {
      assertThat(h.getCpuUtil()).isEqualTo(1.0);
      assertThat(h.getPendingBytes()).isPositive();
    });
    assertThat(sink.heartbeats).anySatisfy(h -> {
      assertThat(h.getType()).isEqualTo(HeartbeatType.STALL_START);
      assertThat(h.getServerId()).isEqualTo("eu-west-s1");
      assertThat(h.getEventTime()).isGreaterThan(T0 + 60_000);
    });
    assertThat(sim.injectedFaults()).containsExactly(new Fault.ServerUnhealthy("eu-west-s1", 60_000));
  }

  @Test
  void aServerRecoversWhenItsFaultEnds() {
    Fault hang = new Fault.ServerUnhealthy("eu-west-s1", 60_000);
    Simulation sim = new Simulation(config(10, 2, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.STEADY,
        List.of(hang, new Fault.Cleared(hang, 120_000))));
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 180);
    List<ServerHealth> s1 = sink.health.stream().filter(h -> h.getServerId().equals("eu-west-s1")).toList();
    assertThat(s1.stream().filter(h -> h.getEventTime() > T0 + 60_000 && h.getEventTime() <= T0 + 120_000))
        .isNotEmpty().allSatisfy(h -> assertThat(h.getCpuUtil()).isEqualTo(1.0));
    assertThat(s1.stream().filter(h -> h.getEventTime() > T0 + 125_000))
        .isNotEmpty().allSatisfy(h -> assertThat(h.getCpuUtil()).isLessThan(0.9));
    assertThat(sim.injectedFaults()).containsExactly(hang, new Fault.Cleared(hang, 120_000));
  }

  @Test
  void aDegradedIspLowersItsViewersThroughput() {
    Simulation sim = new Simulation(config(30, 1, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.STEADY,
        List.of(new Fault.IspDegrade("eu-west", "isp-a", 120_000))));
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 240);
    double before = meanThroughput(sink, "isp-a", T0 + 30_000, T0 + 120_000);
    double after = meanThroughput(sink, "isp-a", T0 + 150_000, T0 + 240_000);
    assertThat(after).isLessThan(before / 2);
    assertThat(meanThroughput(sink, "isp-b", T0 + 150_000, T0 + 240_000)).isGreaterThan(after * 2);
  }

  private static double meanThroughput(CollectingSink sink, String isp, long from, long to) {
    return sink.heartbeats.stream()
        .filter(h -> h.getIsp().equals(isp) && h.getType() == HeartbeatType.HEARTBEAT)
        .filter(h -> h.getEventTime() > from && h.getEventTime() <= to)
        .mapToInt(PlayerHeartbeat::getThroughputKbps).average().orElseThrow();
  }

  @Test
  void aHotTitleIsAskedForWhereNoServerHoldsItUntilACopyLands() {
    SimConfig config = new SimConfig(80, 4, 2, 20, 1.0, Ladder.DEFAULT, 1_000, 10_000, 5_000, 5_000, 5_000,
        10_000, 1_000, ServerLoadModel.DEFAULT, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.REALISTIC,
        List.of(new Fault.HotTitle("t020", "eu-west", 10_000)), T0, 3, List.of());
    Simulation sim = new Simulation(config);
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 11);
    assertThat(sim.serversOf("eu-west")).noneMatch(s -> s.holds("t020"));
    assertThat(sink.health.get(sink.health.size() - 1).getTitles()).isNotEmpty();
    run(sim, sink, 1_200);
    long asked = sink.heartbeats.stream().filter(h -> h.getType() == HeartbeatType.PLAY_REQUESTED)
        .filter(h -> h.getRegion().equals("eu-west") && h.getEventTime() > T0 + 10_000).count();
    long askedHot = sink.heartbeats.stream().filter(h -> h.getType() == HeartbeatType.PLAY_REQUESTED)
        .filter(h -> h.getRegion().equals("eu-west") && h.getEventTime() > T0 + 10_000)
        .filter(h -> h.getTitleId().equals("t020")).count();
    assertThat(askedHot).isGreaterThan(asked / 3);

    // The decision side asks for a copy; it lands after the replication delay.
    sim.apply(SteeringDecision.newBuilder().setRegion("eu-west").setEventTime(sim.nowMs()).setTtlSeconds(10)
        .setPathwayPriority(List.of("eu-west-s1", "eu-west-s2")).setExcluded(List.of())
        .setReplications(List.of(new ReplicationRequest("t020", "eu-west-s2", "no_eligible_holder"))).build());
    run(sim, sink, 5);
    assertThat(sim.server("eu-west-s2").orElseThrow().holds("t020")).isFalse();
    run(sim, sink, 10);
    assertThat(sim.server("eu-west-s2").orElseThrow().holds("t020")).isTrue();
    run(sim, sink, 6);
    ServerHealth latest = sink.health.stream().filter(h -> h.getServerId().equals("eu-west-s2"))
        .reduce((a, b) -> b).orElseThrow();
    assertThat(latest.getTitles()).contains("t020");
  }

  @Test
  void aFaultNamingSomethingUnknownIsRefusedByName() {
    SimConfig config = config(1, 2, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.STEADY,
        List.of(new Fault.ServerUnhealthy("mars-s1", 1_000)));
    assertThatThrownBy(() -> Simulation.validateFaults(config))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no server mars-s1");
  }

  @Test
  void realisticSessionsKeepTheirOrderAndReachEveryOutcome() {
    SimConfig config = new SimConfig(60, 4, 2, 50, 0.7, Ladder.DEFAULT, 1_000, 10_000, 5_000, 5_000, 10_000,
        20_000, 1_000, ServerLoadModel.DEFAULT, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.REALISTIC,
        List.of(new Fault.IspDegrade("us-east", "isp-b", 300_000)), T0, 5, List.of());
    Simulation sim = new Simulation(config);
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 1_800);
    assertThat(SessionOrder.problems(sink.heartbeats)).isEmpty();
    Set<HeartbeatType> seen = sink.heartbeats.stream().map(PlayerHeartbeat::getType).collect(Collectors.toSet());
    assertThat(seen).contains(HeartbeatType.PLAY_REQUESTED, HeartbeatType.STARTED, HeartbeatType.HEARTBEAT,
        HeartbeatType.STALL_START, HeartbeatType.STALL_END, HeartbeatType.BITRATE_CHANGE, HeartbeatType.SEEK,
        HeartbeatType.PAUSE, HeartbeatType.RESUME, HeartbeatType.ERROR, HeartbeatType.ENDED, HeartbeatType.EXIT);
    assertThat(sink.heartbeats).allSatisfy(h -> {
      assertThat(h.getPlayheadMs()).isNotNegative();
      if (h.getBufferMs() != null) {
        assertThat(h.getBufferMs()).isBetween(0L, Player.MAX_BUFFER_MS);
      }
    });
    assertThat(sink.heartbeats.stream().map(PlayerHeartbeat::getEventId).distinct().count())
        .isEqualTo(sink.heartbeats.size());
  }

  @Test
  void theSameSeedGivesTheSameEvents() {
    SimConfig config = config(10, 2, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.REALISTIC, List.of());
    CollectingSink first = new CollectingSink();
    CollectingSink second = new CollectingSink();
    run(new Simulation(config), first, 200);
    run(new Simulation(config), second, 200);
    assertThat(first.heartbeats).isNotEmpty().isEqualTo(second.heartbeats);
    assertThat(first.rtcp).isEqualTo(second.rtcp);
    assertThat(first.health).isEqualTo(second.health);
    assertThat(first.ratings).isEqualTo(second.ratings);
  }

  @Test
  void viewersRateSomeOfWhatTheyWatchedAndTheirFavouriteCategoriesHigher() {
    List<String> categories = List.of("drama", "comedy", "docs", "kids");
    List<String> ids = new java.util.ArrayList<>();
    for (int t = 0; t < 20; t++) {
      ids.add("title-" + t + ":" + categories.get(t % categories.size()) + ":600");
    }
    Simulation sim = new Simulation(config(30, 1, 1, ServerChoice.DEFAULT_PATHWAY, SessionBehaviour.REALISTIC,
        List.of()).withTitleIds(ids));
    CollectingSink sink = new CollectingSink();
    run(sim, sink, 6 * 3600);

    // Every rating follows a session of that viewer on that title that had been on screen.
    java.util.Map<String, Long> firstPlayEnd = new java.util.HashMap<>();
    java.util.Set<String> started = sink.heartbeats.stream().filter(h -> h.getType() == HeartbeatType.STARTED)
        .map(PlayerHeartbeat::getSessionId).collect(Collectors.toSet());
    long onScreen = 0;
    for (PlayerHeartbeat h : sink.heartbeats) {
      if (started.contains(h.getSessionId())
          && (h.getType() == HeartbeatType.ENDED || h.getType() == HeartbeatType.EXIT)) {
        firstPlayEnd.merge(h.getUserId() + "/" + h.getTitleId(), h.getEventTime(), Math::min);
        onScreen++;
      }
    }
    assertThat(sink.ratings).hasSizeGreaterThan(50).allSatisfy(r -> {
      assertThat(r.getStars()).isBetween(1, 5);
      assertThat(firstPlayEnd.get(r.getUserId() + "/" + r.getTitleId())).isNotNull()
          .isLessThanOrEqualTo(r.getRatedAt());
    });
    assertThat((double) sink.ratings.size() / onScreen).isBetween(0.3, 0.5);
    java.util.Map<Boolean, Double> meanByTaste = sink.ratings.stream().collect(Collectors.partitioningBy(
        r -> sim.tastesOf(r.getUserId()).contains(categories.get(Integer.parseInt(r.getTitleId().substring(6)) % 4)),
        Collectors.averagingInt(r -> r.getStars())));
    assertThat(meanByTaste.get(true) - meanByTaste.get(false)).isGreaterThan(1.0);
  }

  @Test
  void starsFollowTasteAndHowMuchWasWatched() {
    java.util.Random random = new java.util.Random(3);
    double favourite = 0;
    double other = 0;
    double leftAtOnce = 0;
    for (int i = 0; i < 2_000; i++) {
      favourite += Simulation.stars(true, 1.0, random);
      other += Simulation.stars(false, 1.0, random);
      leftAtOnce += Simulation.stars(true, 0.0, random);
    }
    assertThat(favourite / 2_000).isBetween(4.0, 4.8);
    assertThat(other / 2_000).isBetween(2.6, 3.4);
    assertThat(leftAtOnce / 2_000).isBetween(3.1, 3.9);
    assertThat(Simulation.stars(null, 0.5, new java.util.Random(1))).isBetween(1, 5);
  }
}
