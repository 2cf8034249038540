package io.caudal.edge.home;

import static io.caudal.edge.home.History.HOUR;
import static io.caudal.edge.home.History.NOW;
import static io.caudal.edge.home.History.pick;
import static io.caudal.edge.home.History.plays;
import static io.caudal.edge.home.History.rating;
import static io.caudal.edge.home.History.session;
import static io.caudal.edge.home.History.title;
import static io.caudal.edge.home.History.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.Recommendation;
import io.caudal.schemas.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Home pages built from generated history written as the platform's Parquet tables, and the index's swaps. */
class HomeTablesTest {

  @TempDir Path root;

  /** Drama, comedy, documentary and kids' titles, the later ones newer. */
  static List<CatalogEntry> catalog() {
    List<CatalogEntry> titles = new ArrayList<>();
    for (String category : List.of("drama", "comedy", "docs", "kids")) {
      for (int i = 1; i <= 6; i++) {
        titles.add(title(category + "-" + i, category, 200 - 10 * i));
      }
    }
    return titles;
  }

  /**
   * u1 in eu-west: drama-1 half-watched an hour ago, drama-2 a fifth in three days ago, comedy-1 and
   * drama-3 finished. Other viewers tie drama-3 to kids-1 (watched together). The last day's plays
   * are comedy-2 (9), docs-3 (5); kids-2 had 50 plays two days ago.
   */
  void writeHistory() throws Exception {
    write(root, Tables.CATALOG, "titles.parquet", catalog());
    List<QoeSession> sessions = new ArrayList<>(List.of(
        session("u1", "drama-1", "eu-west", 0.5, 1),
        session("u1", "drama-2", "eu-west", 0.2, 72),
        session("u1", "comedy-1", "eu-west", 0.99, 2),
        session("u1", "drama-3", "eu-west", 1.0, 30),
        session("u1", "docs-6", "eu-west", 0.02, 3)));
    for (int i = 0; i < 5; i++) {
      sessions.add(session("v" + i, "drama-3", "sa-east", 1.0, 40));
      sessions.add(session("v" + i, "kids-1", "sa-east", 0.8, 39));
    }
    sessions.add(session("w1", "docs-4", "eu-west", 0.3, 5));
    sessions.add(session("w2", "docs-4", "eu-west", 0.4, 6));
    write(root, Tables.QOE_SESSIONS, "date=2025-03-14/hour=19/part-0.parquet", sessions);
    write(root, Tables.QOE_MINUTE, "date=2025-03-14/hour=19/part-0.parquet",
        plays("comedy-2", 4, 1), plays("comedy-2", 5, 12), plays("docs-3", 5, 2), plays("kids-2", 50, 48));
    write(root, Tables.RECOMMENDATIONS, "part-0.parquet",
        pick("u1", 1, "comedy-1", "m1"), pick("u1", 2, "drama-1", "m1"), pick("u1", 3, "docs-1", "m1"),
        pick("u1", 4, "docs-2", "m1"));
  }

  HomeTables tables;

  @BeforeEach
  void open() throws Exception {
    tables = new HomeTables(root.toUri().toString(), new Configuration(), () -> NOW);
  }

  static List<String> ids(HomeRow row) {
    return ids(row.titles());
  }

  static List<String> ids(List<TitleCard> cards) {
    return cards.stream().map(TitleCard::titleId).toList();
  }

  static HomeRow row(HomePage page, String id) {
    return page.rows().stream().filter(r -> r.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + id + " in " + page));
  }

  @Test
  void halfWatchedTitleLeadsContinueWatchingAndFinishedOnesNeverAppear() throws Exception {
    writeHistory();
    tables.refresh();
    HomePage page = tables.current().home("u1");

    assertThat(page.rows()).extracting(HomeRow::id)
        .containsExactly("continue", "top-picks", "because-you-watched", "trending", "new");
    HomeRow resume = page.rows().get(0);
    assertThat(ids(resume)).containsExactly("drama-1", "drama-2");
    assertThat(resume.titles().get(0).progress()).isEqualTo(0.5);
    assertThat(resume.title()).isEqualTo("Continue watching");
    assertThat(page.rows()).allSatisfy(r -> assertThat(ids(r)).doesNotContain("comedy-1", "drama-3"));
    assertThat(page.rows()).filteredOn(r -> !r.id().equals("continue"))
        .allSatisfy(r -> assertThat(r.titles()).allSatisfy(t -> assertThat(t.progress()).isNull()));
    assertThat(page.version()).startsWith("m1/");
  }

  @Test
  void noTitleTwiceOnAPage() throws Exception {
    writeHistory();
    tables.refresh();
    for (String user : List.of("u1", "v0", "w1", "nobody")) {
      List<String> all = tables.current().home(user).rows().stream().flatMap(r -> ids(r).stream()).toList();
      assertThat(all).doesNotHaveDuplicates().isNotEmpty();
    }
    // drama-1 is u1's second pick, but it is in continue watching already.
    assertThat(ids(row(tables.current().home("u1"), "top-picks"))).containsExactly("docs-1", "docs-2");
  }

  @Test
  void becauseYouWatchedNamesTheTitleAndOffersWhatItsViewersWatched() throws Exception {
    writeHistory();
    tables.refresh();
    HomeRow because = row(tables.current().home("u1"), "because-you-watched");
    assertThat(because.title()).isEqualTo("Because you watched Name of drama-3");
    assertThat(ids(because)).first().isEqualTo("kids-1");
    assertThat(ids(tables.current().similar("drama-3").orElseThrow().titles())).first().isEqualTo("kids-1");
    // A title nobody watched with another: the most watched of its category, then the newest.
    assertThat(ids(tables.current().similar("comedy-5").orElseThrow().titles()))
        .startsWith("comedy-1").doesNotContain("comedy-5").hasSize(5);
    assertThat(tables.current().similar("no-such-title")).isEmpty();
  }

  @Test
  void trendingFollowsTheLastDaysPlays() throws Exception {
    writeHistory();
    tables.refresh();
    HomeRow everywhere = row(tables.current().home("nobody"), "trending");
    assertThat(everywhere.title()).isEqualTo("Trending now");
    assertThat(ids(everywhere)).containsExactly("comedy-2", "docs-3");

    // u1 is in eu-west: that region's plays of the last day come first (docs-4, twice), then everywhere's.
    HomeRow regional = row(tables.current().home("u1"), "trending");
    assertThat(regional.title()).isEqualTo("Trending in eu-west");
    assertThat(ids(regional)).startsWith("docs-4").contains("comedy-2", "docs-3").doesNotContain("kids-2");

    // Plays arrive for kids-2 now: it leads at the next reload.
    write(root, Tables.QOE_MINUTE, "date=2025-03-14/hour=20/part-0.parquet", plays("kids-2", 30, 0.1));
    assertThat(tables.refresh()).isTrue();
    assertThat(ids(row(tables.current().home("nobody"), "trending"))).containsExactly("kids-2", "comedy-2", "docs-3");
  }

  @Test
  void newViewerGetsTrendingAndNewTitles() throws Exception {
    writeHistory();
    tables.refresh();
    HomePage page = tables.current().home("someone-new");
    assertThat(page.userId()).isEqualTo("someone-new");
    assertThat(page.rows()).extracting(HomeRow::id).containsExactly("trending", "new");
    HomeRow fresh = page.rows().get(1);
    assertThat(fresh.title()).isEqualTo("New on Caudal");
    // Newest first (the four sixth titles were published together), without the titles trending shows.
    assertThat(ids(fresh)).startsWith("comedy-6", "docs-6", "drama-6", "kids-6").doesNotContain("comedy-2", "docs-3")
        .hasSize(HomeIndex.ROW_SIZE);
  }

  @Test
  void newRowDrawsFromTheCategoriesTheViewerWatches() throws Exception {
    writeHistory();
    tables.refresh();
    HomeRow fresh = row(tables.current().home("v0"), "new");
    assertThat(fresh.title()).isEqualTo("New in drama and kids");
    assertThat(fresh.titles()).extracting(TitleCard::category).containsOnly("drama", "kids");
    assertThat(ids(fresh)).doesNotContain("drama-3");
  }

  @Test
  void emptyRootGivesAPageOfNothingRatherThanAnError() throws Exception {
    tables.refresh();
    assertThat(tables.current().home("u1").rows()).isEmpty();
    Files.createDirectories(root.resolve("tables/recommendations"));
    assertThat(tables.current().similar("drama-1")).isEmpty();
  }

  @Test
  void ratingsAreCountedOncePerViewerWithTheirLatestStars() throws Exception {
    writeHistory();
    tables.refresh();
    assertThat(tables.current().rating("drama-1")).isEqualTo(RatingSummary.NONE);
    write(root, Tables.RATINGS, "ratings-1.parquet", rating("u1", "drama-1", 2, NOW - 3 * HOUR),
        rating("u2", "drama-1", 5, NOW - 2 * HOUR));
    assertThat(tables.refresh()).isTrue();
    assertThat(tables.current().rating("drama-1")).isEqualTo(new RatingSummary(2, 3.5));
    // u1 changes their mind; an older rating arriving late does not undo it.
    write(root, Tables.RATINGS, "ratings-2.parquet", rating("u1", "drama-1", 4, NOW - HOUR),
        rating("u2", "drama-1", 1, NOW - 5 * HOUR));
    tables.refresh();
    assertThat(tables.current().rating("drama-1")).isEqualTo(new RatingSummary(2, 4.5));
    TitleCard card = row(tables.current().home("u1"), "continue").titles().get(0);
    assertThat(card.ratingCount()).isEqualTo(2);
    assertThat(card.ratingAverage()).isEqualTo(4.5);
    CatalogEntry rated = tables.current().rated(catalog().get(0));
    assertThat(rated.getRatingCount()).isEqualTo(2);
    assertThat(rated.getRatingAverage()).isEqualTo(4.5);
    assertThat(tables.refresh()).as("nothing changed").isFalse();
  }

  /**
   * Two model versions, each recommending its own titles to 300 viewers, published in turn while
   * readers take pages: every page's picks are all of the version it names.
   */
  @Test
  void swapIsAtomicUnderConcurrentRequests() throws Exception {
    write(root, Tables.CATALOG, "titles.parquet", catalog());
    Set<String> dramas = Set.of("drama-1", "drama-2", "drama-3");
    Set<String> docs = Set.of("docs-1", "docs-2", "docs-3");
    publish("m-drama", dramas);
    tables.refresh();

    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
    AtomicLong pages = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      int seed = r;
      Thread reader = new Thread(() -> {
        int i = seed;
        while (!done.get()) {
          try {
            HomeIndex index = tables.current();
            HomePage page = index.home("u" + (i++ % 300));
            String model = page.version().substring(0, page.version().indexOf('/'));
            versionsSeen.add(model);
            Set<String> expected = model.equals("m-drama") ? dramas : docs;
            assertThat(new HashSet<>(ids(row(page, "top-picks")))).as(page.version()).isEqualTo(expected);
            pages.incrementAndGet();
          } catch (Throwable e) {
            failures.add(e);
            return;
          }
        }
      }, "reader-" + r);
      reader.start();
      readers.add(reader);
    }
    for (int swap = 0; swap < 10; swap++) {
      boolean toDocs = swap % 2 == 0;
      publish(toDocs ? "m-docs" : "m-drama", toDocs ? docs : dramas);
      assertThat(tables.refresh()).isTrue();
      assertThat(tables.current().version()).startsWith(toDocs ? "m-docs/" : "m-drama/");
    }
    done.set(true);
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(failures).isEmpty();
    assertThat(versionsSeen).containsExactlyInAnyOrder("m-drama", "m-docs");
    assertThat(pages.get()).isPositive();
  }

  /** Publishes a recommendations table as recommend does: written whole aside, then swapped in by renames. */
  void publish(String model, Set<String> titles) throws Exception {
    List<Recommendation> rows = new ArrayList<>();
    for (int u = 0; u < 300; u++) {
      int rank = 1;
      for (String title : titles.stream().sorted().toList()) {
        rows.add(pick("u" + u, rank++, title, model));
      }
    }
    Path staging = root.resolve("staging");
    write(staging, Tables.RECOMMENDATIONS, "part-" + model + ".parquet", rows);
    Path table = root.resolve(Tables.RECOMMENDATIONS.path());
    Path retired = root.resolve("tables/.retired");
    if (Files.exists(table)) {
      Files.move(table, retired);
    }
    Files.move(staging.resolve(Tables.RECOMMENDATIONS.path()), table);
    if (Files.exists(retired)) {
      try (var files = Files.list(retired)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(retired);
    }
  }
}
