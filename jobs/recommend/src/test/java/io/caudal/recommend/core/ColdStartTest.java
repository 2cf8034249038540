package io.caudal.recommend.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.recommend.core.ColdStart.CatalogTitle;
import io.caudal.recommend.core.ColdStart.Segment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartTest {
  private static final Segment EU_TV = new Segment("eu", "tv");
  private static final Segment US_TV = new Segment("us", "tv");

  /** ann (eu) watched a and b, bob (us) c and a; d, e and f are in the catalog but nobody watched them. */
  private static final ColdStart COLD_START = new ColdStart(
      List.of(new Rating("ann", "a", 3, 1), new Rating("ann", "b", 1, 2), new Rating("bob", "c", 5, 3),
          new Rating("bob", "a", 1, 4)),
      Map.of("ann", EU_TV, "bob", US_TV),
      List.of(new CatalogTitle("a", "drama", 1), new CatalogTitle("b", "drama", 1), new CatalogTitle("c", "comedy", 1),
          new CatalogTitle("d", "drama", 5), new CatalogTitle("e", "drama", 9), new CatalogTitle("f", "comedy", 2)));

  @Test
  void aNewUserGetsTheirSegmentsFavouritesThenTheWholeServices() {
    assertThat(COLD_START.forNewUser(EU_TV, 3)).containsExactly("a", "b", "c");
    assertThat(COLD_START.forNewUser(null, 2)).containsExactly("c", "a");
  }

  @Test
  void theNewestUnwatchedTitleOfTheUsersFavouriteCategoryTakesTheLastSlot() {
    assertThat(COLD_START.newTitleFor(Map.of("a", 3.0, "b", 1.0), List.of())).isEqualTo("e");
    assertThat(COLD_START.newTitleFor(Map.of("a", 3.0, "b", 1.0), List.of("e"))).isEqualTo("d");
    assertThat(COLD_START.newTitleFor(Map.of("c", 5.0), List.of())).isEqualTo("f");
  }

  @Test
  void noNewTitleForAUserWhoseTitlesAreNotInTheCatalog() {
    assertThat(COLD_START.newTitleFor(Map.of("elsewhere", 2.0), List.of())).isNull();
  }
}
