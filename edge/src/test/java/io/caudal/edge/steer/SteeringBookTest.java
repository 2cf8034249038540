package io.caudal.edge.steer;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.SteeringDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** qoe.steering is at-least-once: the book keeps each region's highest version. */
class SteeringBookTest {
  private static SteeringDecision decision(long time, long version, String first) {
    return SteeringDecision.newBuilder().setRegion("eu-west").setEventTime(time).setTtlSeconds(10)
        .setPathwayPriority(List.of(first)).setExcluded(List.of()).setReplications(List.of()).setVersion(version)
        .build();
  }

  @Test
  void keepsTheHighestVersionAndRefusesARepeatOrAnOlderOne() {
    SteeringBook book = new SteeringBook();
    assertThat(book.put(decision(20, 20_001, "srv-b"))).isTrue();
    assertThat(book.put(decision(20, 20_001, "srv-b"))).isFalse();
    assertThat(book.put(decision(20, 20_000, "srv-a"))).isFalse();
    assertThat(book.latest("eu-west").orElseThrow().getPathwayPriority()).containsExactly("srv-b");
    assertThat(book.put(decision(30, 30_000, "srv-a"))).isTrue();
    assertThat(book.latest("eu-west").orElseThrow().getPathwayPriority()).containsExactly("srv-a");
  }
}
