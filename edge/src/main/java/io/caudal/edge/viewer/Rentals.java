package io.caudal.edge.viewer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TVOD rentals: renting a title starts a grant that ends after the rental period. Renting a title
 * already rented and not yet ended keeps the running rental (it does not extend it). Held in this
 * server's memory.
 */
public final class Rentals {

  private record Key(String userId, String titleId) {}

  private final Map<Key, Instant> endsAt = new ConcurrentHashMap<>();
  private final Duration period;

  public Rentals(Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("the rental period must be positive, got " + period);
    }
    this.period = period;
  }

  /** Rents a title from {@code now}, or keeps the running rental; returns when it ends. */
  public Instant rent(String userId, String titleId, Instant now) {
    return endsAt.compute(new Key(userId, titleId),
        (key, end) -> end != null && end.isAfter(now) ? end : now.plus(period));
  }

  /** When the viewer's rental of a title ends (or ended); empty when never rented. */
  public Optional<Instant> end(String userId, String titleId) {
    return Optional.ofNullable(endsAt.get(new Key(userId, titleId)));
  }

  /** The viewer's rentals still running at {@code now}: title id to end, by title id. */
  public Map<String, Instant> running(String userId, Instant now) {
    Map<String, Instant> running = new TreeMap<>();
    endsAt.forEach((key, end) -> {
      if (key.userId().equals(userId) && end.isAfter(now)) {
        running.put(key.titleId(), end);
      }
    });
    return running;
  }
}
