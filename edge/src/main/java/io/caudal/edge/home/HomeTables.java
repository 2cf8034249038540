package io.caudal.edge.home;

import io.caudal.schemas.CatalogEntry;
import io.caudal.schemas.QoeMinute;
import io.caudal.schemas.QoeSession;
import io.caudal.schemas.Recommendation;
import io.caudal.schemas.TableReader;
import io.caudal.schemas.Tables;
import io.caudal.schemas.UserRating;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link HomeIndex}es from memory and keeps them current. A background thread looks at the
 * tables' listings every {@value #CHECK_MILLIS} ms: when the catalog, the sessions, qoe_minute or the
 * recommendations changed (recommend publishes a new version, the QoE tables grow), or the last build
 * is older than {@value #REBUILD_MILLIS} ms (the trending window moves), it reads them and builds a new
 * index; when only ratings arrived, it reads the new ratings files and makes a copy of the index with
 * the new averages. Either way the new index replaces the old one in one volatile write: a request
 * reads {@link #current()} once and sees the old index or the new one, never a mix.
 */
public final class HomeTables implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HomeTables.class);
  static final long CHECK_MILLIS = 2000;
  static final long REBUILD_MILLIS = 15 * 60_000;
  /**
   * recommend swaps its table in by two renames, so for a moment there is none: a table that vanished
   * is taken for gone only after this long, and until then the lists in force are kept.
   */
  static final long VANISHED_MILLIS = 30_000;

  private final TableReader<CatalogEntry> catalog;
  private final TableReader<QoeSession> sessions;
  private final TableReader<QoeMinute> minutes;
  private final TableReader<Recommendation> recommendations;
  private final TableReader<UserRating> ratings;
  private final LongSupplier clock;
  private final ScheduledExecutorService loader;

  private volatile HomeIndex current;
  // Touched by refresh() only, which is synchronized.
  private String listing = "";
  private long builtAt;
  private boolean hadRecommendations;
  private long recommendationsMissingSince = -1;
  private RatingsBook book = new RatingsBook();
  private final Set<String> ratingFilesRead = new HashSet<>();

  public HomeTables(String root, Configuration conf, LongSupplier clock) throws IOException {
    this.catalog = TableReader.of(Tables.CATALOG, root, conf);
    this.sessions = TableReader.of(Tables.QOE_SESSIONS, root, conf);
    this.minutes = TableReader.of(Tables.QOE_MINUTE, root, conf);
    this.recommendations = TableReader.of(Tables.RECOMMENDATIONS, root, conf);
    this.ratings = TableReader.of(Tables.RATINGS, root, conf);
    this.clock = clock;
    this.current = HomeIndex.build(new HomeData(List.of(), List.of(), List.of(), List.of(), Map.of(),
        clock.getAsLong(), "empty"));
    this.loader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edge-home-loader");
      t.setDaemon(true);
      return t;
    });
  }

  /** Reads the tables now, then keeps looking for changes in the background. */
  public HomeTables start() {
    refreshQuietly();
    loader.scheduleWithFixedDelay(this::refreshQuietly, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The index in force; read it once per request. */
  public HomeIndex current() {
    return current;
  }

  /** Ratings were just published: take them up without waiting for the next look. */
  public void ratingsArrived() {
    try {
      loader.execute(this::refreshQuietly);
    } catch (RejectedExecutionException e) {
      // Closing: the ratings are in their file, and the next start reads them.
    }
  }

  /**
   * Looks at the tables and swaps in a new index if they changed.
   *
   * @return whether a new index is in force
   */
  public synchronized boolean refresh() throws IOException {
    boolean newRatings = readNewRatings();
    long now = clock.getAsLong();
    boolean recommendationsPresent = !recommendations.dataFiles().isEmpty();
    if (hadRecommendations && !recommendationsPresent) {
      if (recommendationsMissingSince < 0) {
        recommendationsMissingSince = now;
      }
      if (now - recommendationsMissingSince < VANISHED_MILLIS) {
        return swapRatings(newRatings);
      }
    }
    recommendationsMissingSince = -1;
    String seen = fingerprint();
    if (!seen.equals(listing) || now - builtAt >= REBUILD_MILLIS) {
      HomeIndex built = HomeIndex.build(new HomeData(catalog.readAll(), sessions.readAll(), minutes.readAll(),
          recommendations.readAll(), book.summaries(), now, seen.substring(0, 12)));
      current = built;
      if (!seen.equals(listing)) {
        LOG.info("home index {} built from the tables", built.version());
      }
      listing = seen;
      builtAt = now;
      hadRecommendations = recommendationsPresent;
      return true;
    }
    return swapRatings(newRatings);
  }

  private boolean swapRatings(boolean newRatings) {
    if (newRatings) {
      current = current.withRatings(book.summaries());
    }
    return newRatings;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (IOException | RuntimeException e) {
      // Keep serving the index in force; the next look tries again.
      LOG.warn("could not reload the home index: {}", e.toString());
    }
  }

  /** Reads the ratings files not read yet; starts over when one read before is gone (the table was rewritten). */
  private boolean readNewRatings() throws IOException {
    List<FileStatus> files = ratings.dataFiles();
    Set<String> present = new HashSet<>();
    files.forEach(f -> present.add(f.getPath().toString()));
    boolean changed = false;
    if (!present.containsAll(ratingFilesRead)) {
      book = new RatingsBook();
      ratingFilesRead.clear();
      changed = true;
    }
    for (FileStatus file : files) {
      String path = file.getPath().toString();
      if (!ratingFilesRead.contains(path)) {
        ratings.read(file).forEach(book::add);
        ratingFilesRead.add(path);
        changed = true;
      }
    }
    return changed;
  }

  /** A digest of the four tables' listings (path, size, modification time): it changes when their content does. */
  private String fingerprint() throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (TableReader<?> table : List.of(catalog, sessions, minutes, recommendations)) {
      for (FileStatus file : table.dataFiles()) {
        digest.update((file.getPath() + "\t" + file.getLen() + "\t" + file.getModificationTime() + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public void close() {
    loader.shutdownNow();
  }
}
