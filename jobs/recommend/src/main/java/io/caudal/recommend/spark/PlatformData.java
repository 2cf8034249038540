package io.caudal.recommend.spark;

import io.caudal.recommend.core.ColdStart;
import io.caudal.recommend.core.Problems;
import io.caudal.recommend.core.Rating;
import io.caudal.recommend.core.ViewingWeight;
import io.caudal.schemas.Tables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The platform's own feedback: viewing sessions from {@code qoe_sessions} turned into weighted
 * interactions, star ratings from the {@code ratings} table, and the catalog. Rows that cannot be
 * used are counted in {@link #problems()}, never silently used.
 *
 * @param interactions one per session with a positive weight (value = weight), plus one per usable star rating
 * @param stars the usable star ratings, for explicit models
 * @param segments each user's most frequent region and device
 * @param coldUsers users whose sessions never started: they get cold-start lists
 */
public record PlatformData(List<Rating> interactions, List<Rating> stars, Map<String, ColdStart.Segment> segments,
    Set<String> coldUsers, List<ColdStart.CatalogTitle> catalog, Problems problems) {

  static final List<String> SESSION_COLUMNS =
      List.of("userId", "titleId", "startupTimeMs", "completion", "playingMs", "endTime", "region", "device");

  public static PlatformData load(SparkSession spark, String root, String ratingsUri) throws IOException {
    Problems problems = new Problems();
    List<ColdStart.CatalogTitle> catalog = readCatalog(spark, Tables.CATALOG.location(root));
    Set<String> known = new HashSet<>();
    catalog.forEach(t -> known.add(t.titleId()));

    String sessionsUri = Tables.QOE_SESSIONS.location(root);
    Dataset<Row> sessions = readTable(spark, sessionsUri, false);
    if (sessions == null) {
      throw new IllegalArgumentException("no table at " + sessionsUri
          + ": qoe-stream writes it; or evaluate on MovieLens with --movielens DIR");
    }
    requireColumns(sessions, sessionsUri, SESSION_COLUMNS);
    List<Rating> interactions = new ArrayList<>();
    Map<String, Map<ColdStart.Segment, Integer>> seenIn = new HashMap<>();
    Set<String> withHistory = new HashSet<>();
    Set<String> everyone = new HashSet<>();
    for (Row r : sessions.select(SESSION_COLUMNS.stream().map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new)).collectAsList()) {
      String user = r.getString(0);
      String title = r.getString(1);
      if (user == null || title == null) {
        problems.add("session without user or title", String.valueOf(r));
        continue;
      }
      if (!known.isEmpty() && !known.contains(title)) {
        problems.add("session of a title not in the catalog", user + "/" + title);
        continue;
      }
      everyone.add(user);
      seenIn.computeIfAbsent(user, u -> new HashMap<>())
          .merge(new ColdStart.Segment(r.getString(6), r.getString(7)), 1, Integer::sum);
      double weight = ViewingWeight.ofSession(!r.isNullAt(2), r.isNullAt(3) ? 0 : r.getDouble(3),
          r.isNullAt(4) ? 0 : r.getLong(4));
      if (weight > 0) {
        interactions.add(new Rating(user, title, weight, r.isNullAt(5) ? 0 : r.getLong(5)));
        withHistory.add(user);
      }
    }

    List<Rating> stars = new ArrayList<>();
    String ratingsLocation = ratingsUri != null ? ratingsUri : Tables.RATINGS.location(root);
    Dataset<Row> ratings = readTable(spark, ratingsLocation, ratingsUri != null);
    if (ratings != null) {
      requireColumns(ratings, ratingsLocation, List.of("userId", "titleId", "stars", "ratedAt"));
      for (Row r : ratings.select("userId", "titleId", "stars", "ratedAt").collectAsList()) {
        if (r.isNullAt(0) || r.isNullAt(1) || r.isNullAt(2)) {
          problems.add("rating without user, title or stars", String.valueOf(r));
        } else if (r.getInt(2) < 1 || r.getInt(2) > 5) {
          problems.add("rating outside 1-5", r.getString(0) + "/" + r.getString(1) + "=" + r.getInt(2));
        } else if (!known.isEmpty() && !known.contains(r.getString(1))) {
          problems.add("rating of a title not in the catalog", r.getString(0) + "/" + r.getString(1));
        } else {
          Rating rating = new Rating(r.getString(0), r.getString(1), r.getInt(2), r.isNullAt(3) ? 0 : r.getLong(3));
          stars.add(rating);
          everyone.add(rating.userId());
          double weight = ViewingWeight.ofStars(rating.value());
          if (weight > 0) {
            interactions.add(new Rating(rating.userId(), rating.itemId(), weight, rating.timestamp()));
            withHistory.add(rating.userId());
          }
        }
      }
    }
    if (interactions.isEmpty()) {
      throw new IllegalArgumentException("no usable viewing history in " + sessionsUri
          + (ratings == null ? "" : " or " + ratingsLocation) + (problems.total() > 0 ? ": " + problems.summary() : ""));
    }
    Map<String, ColdStart.Segment> segments = new HashMap<>();
    seenIn.forEach((user, counts) -> segments.put(user, counts.entrySet().stream()
        .max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
    Set<String> cold = new HashSet<>(everyone);
    cold.removeAll(withHistory);
    return new PlatformData(interactions, stars, segments, cold, catalog, problems);
  }

  private static List<ColdStart.CatalogTitle> readCatalog(SparkSession spark, String uri) throws IOException {
    Dataset<Row> catalog = readTable(spark, uri, false);
    List<ColdStart.CatalogTitle> titles = new ArrayList<>();
    if (catalog != null) {
      requireColumns(catalog, uri, List.of("titleId", "category", "createdAt"));
      for (Row r : catalog.select("titleId", "category", "createdAt").collectAsList()) {
        titles.add(new ColdStart.CatalogTitle(r.getString(0), r.getString(1), r.getLong(2)));
      }
    }
    return titles;
  }

  /**
   * The table at {@code uri}, or null when it is absent; a location the user named explicitly
   * ({@code named}) must exist.
   */
  static Dataset<Row> readTable(SparkSession spark, String uri, boolean named) throws IOException {
    Path path = new Path(uri);
    boolean exists = path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
    if (!exists) {
      if (named) {
        throw new IllegalArgumentException("no table at " + uri);
      }
      return null;
    }
    return spark.read().parquet(uri);
  }

  private static void requireColumns(Dataset<Row> table, String uri, List<String> columns) {
    Set<String> present = new HashSet<>(Arrays.asList(table.columns()));
    List<String> missing = columns.stream().filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(uri + " lacks column(s) " + missing);
    }
  }
}
