package io.caudal.edge.home;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.Recommendation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything a viewer's home page and a title's similar titles are made from, built once from the
 * tables' rows and then only read: immutable, so any number of requests read it at once while the
 * next one is built. {@link HomeTables} holds the current one.
 *
 * <p>The rows, in page order; a title appears once per page, and never when the viewer has finished it
 * (their latest session of it went past {@value #FINISHED}):
 * <ul>
 *   <li>continue watching: titles whose latest session stopped between {@value #STARTED} and
 *       {@value #FINISHED} of the title, ranked by {@code (0.5 + progress) × 0.5^(hours since / 72)}:
 *       the most recent and the furthest in lead, and a title left a week ago has to be far in to beat
 *       one left yesterday;
 *   <li>top picks: the recommendations table's list for the viewer, by rank;
 *   <li>because you watched X: X is the viewer's most recently watched title that has neighbours not yet
 *       on the page; its neighbours are the titles most watched by the same viewers (cosine of the
 *       viewer sets);
 *   <li>trending: plays that started in the last 24 hours in the viewer's region (from the sessions; the
 *       region of their latest session), then everywhere (qoe_minute's {@code title} dimension);
 *   <li>new: the newest titles of the categories the viewer watches most, or of the whole catalog.
 * </ul>
 * A viewer without history (or unknown: a new account) gets trending and new.
 */
public final class HomeIndex {

  /** Below this much of a title, the viewer only looked at it. */
  public static final double STARTED = 0.05;
  /** Past this much of a title, the viewer has finished it (the credits are left). */
  public static final double FINISHED = 0.95;
  public static final int ROW_SIZE = 20;
  static final long DAY_MILLIS = 24L * 3600 * 1000;
  /** A title left this long ago weighs half as much in continue watching as one left now. */
  static final double RESUME_HALF_LIFE_HOURS = 72;
  /** Categories the new row draws from. */
  static final int NEW_CATEGORIES = 2;
  /** The most recent titles of a viewer counted in co-occurrence; bounds the pairs one heavy viewer adds. */
  static final int COOCCURRENCE_TITLES_PER_USER = 100;

  private final Map<String, CatalogEntry> catalog;
  private final Map<String, RatingSummary> ratings;
  private final Map<String, Viewer> viewers;
  private final Map<String, String[]> picks;
  private final Map<String, List<String>> neighbours;
  private final Map<String, List<String>> trendingByRegion;
  private final List<String> trendingEverywhere;
  private final List<String> newest;
  private final Map<String, Long> popularity;
  private final String version;

  private HomeIndex(Map<String, CatalogEntry> catalog, Map<String, RatingSummary> ratings, Map<String, Viewer> viewers,
      Map<String, String[]> picks, Map<String, List<String>> neighbours, Map<String, List<String>> trendingByRegion,
      List<String> trendingEverywhere, List<String> newest, Map<String, Long> popularity, String version) {
    this.catalog = catalog;
    this.ratings = ratings;
    this.viewers = viewers;
    this.picks = picks;
    this.neighbours = neighbours;
    this.trendingByRegion = trendingByRegion;
    this.trendingEverywhere = trendingEverywhere;
    this.newest = newest;
    this.popularity = popularity;
    this.version = version;
  }

  /** What one viewer's history says: where they are, what they left part-way, finished and watched. */
  private record Viewer(String region, List<Resume> resume, Set<String> finished, List<String> recent,
      List<String> topCategories) {}

  private record Resume(String titleId, double progress, double score) {}

  /** Builds the index; the lists are only read. */
  public static HomeIndex build(HomeData data) {
    Map<String, CatalogEntry> catalog = new HashMap<>();
    for (CatalogEntry entry : data.catalog()) {
      catalog.put(entry.getTitleId(), entry);
    }
    long now = data.nowMillis();

    // Each viewer's latest session of each title says where they stand with it.
    Map<String, Map<String, QoeSession>> latest = new HashMap<>();
    for (QoeSession s : data.sessions()) {
      if (!catalog.containsKey(s.getTitleId())) {
        continue;
      }
      latest.computeIfAbsent(s.getUserId(), u -> new HashMap<>())
          .merge(s.getTitleId(), s, (a, b) -> b.getEndTime() > a.getEndTime() ? b : a);
    }
    Map<String, Viewer> viewers = new HashMap<>();
    Map<String, Set<String>> watchedBy = new HashMap<>();
    for (Map.Entry<String, Map<String, QoeSession>> user : latest.entrySet()) {
      List<QoeSession> byRecency = new ArrayList<>(user.getValue().values());
      byRecency.sort(Comparator.comparingLong(QoeSession::getEndTime).reversed()
          .thenComparing(QoeSession::getTitleId));
      List<Resume> resume = new ArrayList<>();
      Set<String> finished = new HashSet<>();
      List<String> recent = new ArrayList<>();
      Map<String, Integer> categories = new HashMap<>();
      for (QoeSession s : byRecency) {
        double progress = s.getCompletion();
        if (progress > FINISHED) {
          finished.add(s.getTitleId());
        } else if (progress >= STARTED) {
          double hours = Math.max(0, now - s.getEndTime()) / 3_600_000.0;
          resume.add(new Resume(s.getTitleId(), progress,
              (0.5 + progress) * Math.pow(0.5, hours / RESUME_HALF_LIFE_HOURS)));
        }
        if (progress >= STARTED) {
          recent.add(s.getTitleId());
          categories.merge(catalog.get(s.getTitleId()).getCategory(), 1, Integer::sum);
          if (recent.size() <= COOCCURRENCE_TITLES_PER_USER) {
            watchedBy.computeIfAbsent(s.getTitleId(), t -> new HashSet<>()).add(user.getKey());
          }
        }
      }
      resume.sort(Comparator.comparingDouble(Resume::score).reversed().thenComparing(Resume::titleId));
      List<String> topCategories = categories.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(NEW_CATEGORIES).map(Map.Entry::getKey).toList();
      viewers.put(user.getKey(), new Viewer(byRecency.get(0).getRegion(), List.copyOf(resume), Set.copyOf(finished),
          List.copyOf(recent), topCategories));
    }

    Map<String, String[]> picks = picks(data.recommendations(), catalog);
    Map<String, List<String>> neighbours = neighbours(watchedBy);
    Map<String, Long> popularity = new HashMap<>();
    watchedBy.forEach((title, users) -> popularity.put(title, (long) users.size()));

    // Trending: plays started in the last day, per region from the sessions, everywhere from qoe_minute.
    long since = now - DAY_MILLIS;
    Map<String, Map<String, Long>> regionPlays = new HashMap<>();
    Map<String, Long> sessionPlays = new HashMap<>();
    for (QoeSession s : data.sessions()) {
      if (s.getStartTime() >= since && s.getStartTime() <= now && s.getStartupTimeMs() != null
          && catalog.containsKey(s.getTitleId())) {
        regionPlays.computeIfAbsent(s.getRegion(), r -> new HashMap<>()).merge(s.getTitleId(), 1L, Long::sum);
        sessionPlays.merge(s.getTitleId(), 1L, Long::sum);
      }
    }
    Map<String, Long> minutePlays = new HashMap<>();
    for (QoeMinute m : data.minutes()) {
      if ("title".equals(m.getDimension()) && m.getMinute() >= since && m.getMinute() <= now && m.getPlays() > 0
          && catalog.containsKey(m.getKey())) {
        minutePlays.merge(m.getKey(), m.getPlays(), Long::sum);
      }
    }
    Map<String, Long> everywherePlays = minutePlays.isEmpty() ? sessionPlays : minutePlays;
    Map<String, List<String>> trendingByRegion = new HashMap<>();
    regionPlays.forEach((region, plays) -> trendingByRegion.put(region, mostFirst(plays)));

    List<String> newest = catalog.values().stream()
        .sorted(Comparator.comparingLong(CatalogEntry::getCreatedAt).reversed().thenComparing(CatalogEntry::getName)
            .thenComparing(CatalogEntry::getTitleId))
        .map(CatalogEntry::getTitleId).toList();

    String model = data.recommendations().stream().map(Recommendation::getModelVersion)
        .max(Comparator.naturalOrder()).orElse("none");
    return new HomeIndex(Map.copyOf(catalog), Map.copyOf(data.ratings()), viewers, picks, neighbours,
        trendingByRegion, mostFirst(everywherePlays), newest, popularity, model + "/" + data.dataVersion());
  }

  /** The same index with other ratings; everything else is shared, not copied. */
  public HomeIndex withRatings(Map<String, RatingSummary> newRatings) {
    return new HomeIndex(catalog, Map.copyOf(newRatings), viewers, picks, neighbours, trendingByRegion,
        trendingEverywhere, newest, popularity, version);
  }

  public String version() {
    return version;
  }

  public RatingSummary rating(String titleId) {
    return ratings.getOrDefault(titleId, RatingSummary.NONE);
  }

  /** The catalog row with this index's ratings filled in. */
  public CatalogEntry rated(CatalogEntry entry) {
    RatingSummary r = rating(entry.getTitleId());
    if (entry.getRatingCount() == r.count() && java.util.Objects.equals(entry.getRatingAverage(), r.average())) {
      return entry;
    }
    return CatalogEntry.newBuilder(entry).setRatingCount(r.count()).setRatingAverage(r.average()).build();
  }

  public boolean hasTitle(String titleId) {
    return catalog.containsKey(titleId);
  }

  /** The viewer's home page; an unknown viewer gets the page of a viewer without history. */
  public HomePage home(String userId) {
    Viewer viewer = viewers.get(userId);
    Set<String> onPage = new HashSet<>();
    Set<String> finished = viewer == null ? Set.of() : viewer.finished();
    List<HomeRow> rows = new ArrayList<>();

    if (viewer != null) {
      List<TitleCard> resume = new ArrayList<>();
      for (Resume r : viewer.resume()) {
        if (resume.size() < ROW_SIZE && onPage.add(r.titleId())) {
          resume.add(card(r.titleId(), r.progress()));
        }
      }
      add(rows, "continue", "Continue watching",
          "Left part-way: the most recent and the furthest in first", resume);
    }

    String[] top = picks.get(userId);
    if (top != null) {
      add(rows, "top-picks", "Top picks for you", "Recommended for you from your viewing and ratings",
          fill(List.of(top), onPage, finished));
    }

    if (viewer != null) {
      for (String anchor : viewer.recent()) {
        List<String> near = new ArrayList<>(neighbours.getOrDefault(anchor, List.of()));
        near.remove(anchor);
        List<TitleCard> cards = fill(near, onPage, finished);
        if (!cards.isEmpty()) {
          String name = catalog.get(anchor).getName();
          add(rows, "because-you-watched", "Because you watched " + name,
              "Watched by the viewers who watched " + name, cards);
          break;
        }
      }
    }

    String region = viewer == null ? null : viewer.region();
    List<String> regional = region == null ? List.of() : trendingByRegion.getOrDefault(region, List.of());
    List<String> trending = new ArrayList<>(regional);
    trending.addAll(trendingEverywhere);
    add(rows, "trending", regional.isEmpty() ? "Trending now" : "Trending in " + region,
        regional.isEmpty() ? "Most played in the last 24 hours"
            : "Most played in " + region + " in the last 24 hours, then everywhere",
        fill(new ArrayList<>(new LinkedHashSet<>(trending)), onPage, finished));

    List<String> categories = viewer == null ? List.of() : viewer.topCategories();
    List<String> fresh = categories.isEmpty() ? newest
        : newest.stream().filter(t -> categories.contains(catalog.get(t).getCategory())).toList();
    String heading = categories.isEmpty() ? "New on Caudal" : "New in " + String.join(" and ", categories);
    add(rows, "new", heading, categories.isEmpty() ? "The newest titles"
        : "The newest titles of the categories you watch most", fill(fresh, onPage, finished));
    return new HomePage(userId, version, List.copyOf(rows));
  }

  /**
   * Titles like {@code titleId}: the most watched by its viewers, then the most watched of its category;
   * empty when the title is not in the catalog.
   */
  public Optional<SimilarTitles> similar(String titleId) {
    CatalogEntry entry = catalog.get(titleId);
    if (entry == null) {
      return Optional.empty();
    }
    LinkedHashSet<String> near = new LinkedHashSet<>(neighbours.getOrDefault(titleId, List.of()));
    catalog.values().stream()
        .filter(e -> e.getCategory().equals(entry.getCategory()))
        .sorted(Comparator.<CatalogEntry>comparingLong(e -> -popularity.getOrDefault(e.getTitleId(), 0L))
            .thenComparing(Comparator.comparingLong(CatalogEntry::getCreatedAt).reversed())
            .thenComparing(CatalogEntry::getTitleId))
        .forEach(e -> near.add(e.getTitleId()));
    near.remove(titleId);
    return Optional.of(new SimilarTitles(titleId, near.stream().limit(ROW_SIZE).map(t -> card(t, null)).toList()));
  }

  private List<TitleCard> fill(Collection<String> candidates, Set<String> onPage, Set<String> finished) {
    List<TitleCard> cards = new ArrayList<>();
    for (String title : candidates) {
      if (cards.size() == ROW_SIZE) {
        break;
      }
      if (catalog.containsKey(title) && !finished.contains(title) && onPage.add(title)) {
        cards.add(card(title, null));
      }
    }
    return cards;
  }

  private static void add(List<HomeRow> rows, String id, String title, String reason, List<TitleCard> titles) {
    if (!titles.isEmpty()) {
      rows.add(new HomeRow(id, title, reason, List.copyOf(titles)));
    }
  }

  private TitleCard card(String titleId, Double progress) {
    CatalogEntry e = catalog.get(titleId);
    RatingSummary r = rating(titleId);
    return new TitleCard(titleId, e.getName(), e.getCategory(), e.getDurationMs(), r.count(), r.average(), progress);
  }

  private static Map<String, String[]> picks(List<Recommendation> rows, Map<String, CatalogEntry> catalog) {
    Map<String, TreeMap<Integer, String>> byUser = new HashMap<>();
    for (Recommendation r : rows) {
      if (catalog.containsKey(r.getTitleId())) {
        byUser.computeIfAbsent(r.getUserId(), u -> new TreeMap<>()).put(r.getRank(), r.getTitleId());
      }
    }
    Map<String, String[]> picks = new HashMap<>(byUser.size() * 2);
    byUser.forEach((user, ranked) -> picks.put(user, ranked.values().toArray(String[]::new)));
    return picks;
  }

  /** For each title, the titles its viewers watched most, by the cosine of the two titles' viewer sets. */
  private static Map<String, List<String>> neighbours(Map<String, Set<String>> watchedBy) {
    Map<String, List<String>> byUser = new HashMap<>();
    watchedBy.forEach((title, users) -> users.forEach(u -> byUser.computeIfAbsent(u, x -> new ArrayList<>()).add(title)));
    Map<String, Map<String, Integer>> together = new HashMap<>();
    for (List<String> titles : byUser.values()) {
      for (String a : titles) {
        Map<String, Integer> row = together.computeIfAbsent(a, x -> new HashMap<>());
        for (String b : titles) {
          if (!a.equals(b)) {
            row.merge(b, 1, Integer::sum);
          }
        }
      }
    }
    Map<String, List<String>> out = new HashMap<>();
    together.forEach((a, row) -> {
      double na = watchedBy.get(a).size();
      Map<String, Double> cosine = new LinkedHashMap<>();
      row.forEach((b, n) -> cosine.put(b, n / Math.sqrt(na * watchedBy.get(b).size())));
      out.put(a, cosine.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(ROW_SIZE).map(Map.Entry::getKey).collect(Collectors.toUnmodifiableList()));
    });
    return out;
  }

  private static List<String> mostFirst(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).toList();
  }
}
