package io.caudal.schemas;

import java.util.List;
import java.util.Optional;

/** Every Parquet table of Caudal, under {@code <root>/tables/}. */
public final class Tables {

  /** One row per transcoded title, written by transcode. */
  public static final Table<CatalogEntry> CATALOG = new Table<>("catalog", CatalogEntry.class);

  /**
   * One row per finished playback session, written by qoe-stream; the viewing history.
   * Partitioned by the session's end in UTC: {@code qoe_sessions/date=YYYY-MM-DD/hour=HH/*.parquet}.
   */
  public static final Table<QoeSession> QOE_SESSIONS = new Table<>("qoe_sessions", QoeSession.class);

  /**
   * One row per minute and slice (server, region, isp, device, title), written by qoe-stream.
   * Partitioned by the minute in UTC: {@code qoe_minute/date=YYYY-MM-DD/hour=HH/*.parquet}.
   */
  public static final Table<QoeMinute> QOE_MINUTE = new Table<>("qoe_minute", QoeMinute.class);

  /** Top-N titles per user, written by recommend. */
  public static final Table<Recommendation> RECOMMENDATIONS =
      new Table<>("recommendations", Recommendation.class);

  /** 1–5 star ratings per user and title, kept by edge, read by recommend. */
  public static final Table<UserRating> RATINGS = new Table<>("ratings", UserRating.class);

  /**
   * Every state change of every alert, written by qoe-stream (the history behind topic qoe.alerts).
   * Partitioned by the minute decided on, in UTC: {@code alerts/date=YYYY-MM-DD/hour=HH/*.parquet}.
   */
  public static final Table<Alert> ALERTS = new Table<>("alerts", Alert.class);

  private static final List<Table<?>> ALL =
      List.of(CATALOG, QOE_SESSIONS, QOE_MINUTE, RECOMMENDATIONS, RATINGS, ALERTS);

  private Tables() {}

  /** All tables. */
  public static List<Table<?>> all() {
    return ALL;
  }

  /** The table with this name, if it is one of Caudal's. */
  public static Optional<Table<?>> byName(String name) {
    return ALL.stream().filter(table -> table.name().equals(name)).findFirst();
  }
}
