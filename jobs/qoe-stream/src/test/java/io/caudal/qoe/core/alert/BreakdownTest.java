package io.caudal.qoe.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caudal.qoe.core.MinuteContribution;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BreakdownTest {

  @Test
  void aSliceBrokenDownHoldsEachPairItIsPartOfByThePairsOtherPart() {
    Breakdown eu = new Minutes(0).add(3, 1, "eu", "isp-a", "s1", "web", "t1").add(2, 0, "eu", "isp-b", "s1", "tv", "t2")
        .breakdowns().get(0);

    Breakdown s1 = eu.within("server=s1");

    assertEquals(5, s1.total().attempts());
    Map<String, Long> attempts = new TreeMap<>();
    s1.slices().forEach((id, counts) -> attempts.put(id, counts.attempts()));
    assertEquals(Map.of("isp=isp-a", 3L, "isp=isp-b", 2L, "device=web", 3L, "device=tv", 2L, "title=t1", 3L,
        "title=t2", 2L), attempts);
    assertTrue(eu.within("server=s9").slices().isEmpty());
  }

  @Test
  void sessionsAddedAfterAQueryShowInTheNextOne() {
    Breakdown eu = new Minutes(0).add(1, 0, "eu", "isp-a", "s1", "web", "t1").breakdowns().get(0);
    assertEquals(1, eu.within("isp=isp-a").slices().get("server=s1").attempts());

    Minutes more = new Minutes(0).add(2, 0, "eu", "isp-a", "s2", "web", "t1");
    for (MinuteContribution c : more.contributions()) {
      eu.add(c);
    }

    Breakdown ispA = eu.within("isp=isp-a");
    assertEquals(2, ispA.slices().get("server=s2").attempts());
    assertEquals(3, ispA.slices().get("title=t1").attempts());
  }
}
