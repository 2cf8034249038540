package io.caudal.sim.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.BitrateDecision;
import io.caudal.schemas.SteeringDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** qoe.bitrate and qoe.steering are at-least-once: the simulator obeys the highest version only. */
class DecisionVersionsTest {
  private static BitrateDecision cap(long time, long version, int kbps) {
    return BitrateDecision.newBuilder().setSessionId("s1").setEventTime(time).setMaxBitrateKbps(kbps)
        .setReason("low_buffer").setVersion(version).build();
  }

  private static SteeringDecision steering(long time, long version, String first) {
    return SteeringDecision.newBuilder().setRegion("eu-west").setEventTime(time).setTtlSeconds(10)
        .setPathwayPriority(List.of(first)).setExcluded(List.of()).setReplications(List.of()).setVersion(version)
        .build();
  }

  @Test
  void capsKeepTheHighestVersionAndDropRepeatsAndOlderOnes() {
    BitrateCaps caps = new BitrateCaps();
    assertThat(caps.apply(cap(10, 10_001, 730))).isTrue();
    assertThat(caps.apply(cap(10, 10_001, 730))).isFalse();
    assertThat(caps.apply(cap(10, 10_000, 365))).isFalse();
    assertThat(caps.capOf("s1")).hasValue(730);
    assertThat(caps.apply(cap(11, 11_000, 2000))).isTrue();
    assertThat(caps.capOf("s1")).hasValue(2000);
  }

  @Test
  void steeringKeepsTheHighestVersionAndDropsRepeatsAndOlderOnes() {
    SteeringView view = new SteeringView();
    assertThat(view.apply(steering(20, 20_000, "srv-b"))).isTrue();
    assertThat(view.apply(steering(20, 20_000, "srv-b"))).isFalse();
    assertThat(view.apply(steering(10, 10_000, "srv-a"))).isFalse();
    assertThat(view.latest("eu-west").orElseThrow().getPathwayPriority()).containsExactly("srv-b");
  }
}
