package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.SteeringDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class SteeringStateTest {

  private static SteeringDecision decision(String region, long time, String first) {
    return SteeringDecision.newBuilder().setRegion(region).setEventTime(time).setTtlSeconds(10)
        .setPathwayPriority(List.of(first)).setExcluded(List.of()).setReplications(List.of()).build();
  }

  @Test
  void keepsTheNewestDecisionOfEachRegionWhateverTheOrder() {
    SteeringState state = new SteeringState();
    state.apply(decision("b", 20, "new"));
    state.apply(decision("a", 5, "only"));
    state.apply(decision("b", 10, "old"));

    assertThat(state.latest()).extracting(SteeringDecision::getRegion).containsExactly("a", "b");
    assertThat(state.latest().get(1).getPathwayPriority()).containsExactly("new");
  }

  @Test
  void keepsTheHighestVersionAndDropsARepeatedOrOlderOne() {
    SteeringState state = new SteeringState();
    SteeringDecision second = decision("a", 10, "second");
    second.setVersion(10_001);
    SteeringDecision first = decision("a", 10, "first");
    first.setVersion(10_000);
    state.apply(second);
    state.apply(first);
    SteeringDecision again = decision("a", 10, "second, again");
    again.setVersion(10_001);
    state.apply(again);

    assertThat(state.latest()).singleElement()
        .satisfies(kept -> assertThat(kept.getPathwayPriority()).containsExactly("second"));
  }
}
