package io.caudal.sim.model;

import static io.caudal.schemas.HeartbeatType.BITRATE_CHANGE;
import static io.caudal.schemas.HeartbeatType.HEARTBEAT;
import static io.caudal.schemas.HeartbeatType.PLAY_REQUESTED;
import static io.caudal.schemas.HeartbeatType.STALL_END;
import static io.caudal.schemas.HeartbeatType.STALL_START;
import static io.caudal.schemas.HeartbeatType.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.HeartbeatType;
import io.caudal.schemas.PlayerHeartbeat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Buffer and stall dynamics of one player, fed network samples the test chooses. */
class PlayerTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long TICK = 1_000;
  private static final int UNCAPPED = Integer.MAX_VALUE;

  private final Random random = new Random(7);
  private final CollectingSink sink = new CollectingSink();
  private final MediaServer server = new MediaServer("eu-west-s1", "eu-west", 1000, ServerLoadModel.DEFAULT, 1);

  private Player player() {
    IspLink link = new IspLink("eu-west", "isp-a");
    return new Player("u1", "eu-west", "web", new PlayerPath(link, 1), Ladder.DEFAULT, AbrRule.DEFAULT,
        10_000, 5_000);
  }

  private static NetworkSample net(double kbps) {
    return new NetworkSample(kbps, 0.001, 5, 40);
  }

  /** Starts a steady session and returns the time STARTED was sent. */
  private long start(Player player, double kbps) {
    player.request(T0, "s1", "t001", 3_600_000, "eu-west-s1", SessionBehaviour.STEADY, random, sink);
    player.assign(server, T0, net(kbps), UNCAPPED);
    long now = T0;
    while (player.state() != Player.State.PLAYING) {
      player.tick(now, TICK, net(kbps), UNCAPPED, random, sink);
      now += TICK;
    }
    return sink.of("s1").stream().filter(h -> h.getType() == STARTED).findFirst().orElseThrow().getEventTime();
  }

  @Test
  void startupTakesLongerOnASlowerPath() {
    long fast = start(player(), 10_000) - T0;
    CollectingSink other = new CollectingSink();
    Player slow = player();
    slow.request(T0, "s2", "t001", 3_600_000, "eu-west-s1", SessionBehaviour.STEADY, random, other);
    // The first rung comes from the default 500 kbps estimate (365 kbps): a 4 s segment of it
    // takes 4 × 365 / 400 = 3.65 s at 400 kbps but 0.15 s at 10 Mbit/s.
    slow.assign(server, T0, net(400), UNCAPPED);
    long now = T0;
    while (slow.state() != Player.State.PLAYING) {
      slow.tick(now, TICK, net(400), UNCAPPED, random, other);
      now += TICK;
    }
    long slowStartup = other.of("s2").stream().filter(h -> h.getType() == STARTED).findFirst().orElseThrow()
        .getEventTime() - T0;
    assertThat(slowStartup).isGreaterThan(fast + 3_000);
    assertThat(other.typesOf("s2")).startsWith(PLAY_REQUESTED, STARTED);
  }

  @Test
  void stallsWhenTheBufferEmptiesAndResumesOnceRefilled() {
    Player player = player();
    long now = start(player, 600) + TICK;
    // 365 kbps playing on a path that gives 20 kbps: the 4 s buffer runs out within 5 s, and
    // even the lowest rung refills it too slowly to resume within the loop.
    for (int i = 0; i < 8; i++) {
      player.tick(now, TICK, net(20), UNCAPPED, random, sink);
      now += TICK;
    }
    assertThat(player.state()).isEqualTo(Player.State.STALLED);
    assertThat(player.bufferMs()).isLessThan(Player.RESUME_BUFFER_MS);
    for (int i = 0; i < 5 && player.state() == Player.State.STALLED; i++) {
      player.tick(now, TICK, net(5_000), UNCAPPED, random, sink);
      now += TICK;
    }
    assertThat(player.state()).isEqualTo(Player.State.PLAYING);
    List<HeartbeatType> types = sink.typesOf("s1");
    assertThat(types).containsSubsequence(STARTED, STALL_START, STALL_END);
    assertThat(types.stream().filter(t -> t == STALL_START).count()).isEqualTo(1);
  }

  @Test
  void stepsDownTheLadderWhenThroughputFalls() {
    Player player = player();
    long now = start(player, 20_000) + TICK;
    for (int i = 0; i < 60; i++) {
      player.tick(now, TICK, net(20_000), UNCAPPED, random, sink);
      now += TICK;
    }
    assertThat(player.bitrateKbps()).isEqualTo(6000);
    for (int i = 0; i < 60; i++) {
      player.tick(now, TICK, net(1_500), UNCAPPED, random, sink);
      now += TICK;
    }
    assertThat(player.bitrateKbps()).isLessThanOrEqualTo(1_200);
    assertThat(sink.typesOf("s1")).contains(BITRATE_CHANGE);
  }

  @Test
  void heartbeatsCarryPlayheadBitrateBufferAndTimeOrder() {
    Player player = player();
    long now = start(player, 8_000) + TICK;
    for (int i = 0; i < 40; i++) {
      player.tick(now, TICK, net(8_000), UNCAPPED, random, sink);
      now += TICK;
    }
    List<PlayerHeartbeat> beats = sink.of("s1").stream().filter(h -> h.getType() == HEARTBEAT).toList();
    assertThat(beats).hasSizeGreaterThanOrEqualTo(3);
    assertThat(beats).allSatisfy(h -> {
      assertThat(h.getBitrateKbps()).isPositive();
      assertThat(h.getBufferMs()).isBetween(0L, Player.MAX_BUFFER_MS);
      assertThat(h.getThroughputKbps()).isPositive();
      assertThat(h.getServerId()).isEqualTo("eu-west-s1");
    });
    assertThat(beats.get(beats.size() - 1).getPlayheadMs()).isGreaterThan(beats.get(0).getPlayheadMs());
    List<Long> times = sink.of("s1").stream().map(PlayerHeartbeat::getEventTime).toList();
    assertThat(times).isSorted();
    assertThat(sink.rtcp).isNotEmpty().allSatisfy(r -> {
      assertThat(r.getFractionLost()).isBetween(0, 255);
      assertThat(r.getClockRate()).isEqualTo(90_000);
      assertThat(r.getHighestSeq()).isBetween(0L, 0xFFFF_FFFFL);
    });
  }

  @Test
  void ntpMiddleBitsFollowRfc3550() {
    // 1970-01-01T00:00:00.500Z: NTP seconds 2208988800 (low 16 bits 0x8D00... & 0xFFFF), fraction 0x8000.
    long middle = Player.ntpMiddle32(500);
    assertThat(middle >>> 16).isEqualTo(2_208_988_800L & 0xFFFF);
    assertThat(middle & 0xFFFF).isEqualTo(0x8000);
  }
}
