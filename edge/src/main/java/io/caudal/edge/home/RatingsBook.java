package io.caudal.edge.home;

import io.caudal.schemas.UserRating;
import java.util.HashMap;
import java.util.Map;

/**
 * Ratings per title as they arrive: a viewer's latest rating of a title replaces their earlier one
 * (rating again changes one's mind, it is not a second vote), so a title's count is the number of
 * viewers who rated it and its average the mean of their latest stars. Not thread-safe: one loader
 * feeds it and hands out {@link #summaries()} snapshots.
 */
public final class RatingsBook {

  private final Map<String, UserRating> latest = new HashMap<>();
  private final Map<String, long[]> countAndSum = new HashMap<>();

  public void add(UserRating rating) {
    String key = rating.getUserId() + '\u0000' + rating.getTitleId();
    UserRating before = latest.get(key);
    if (before != null && before.getRatedAt() > rating.getRatedAt()) {
      return;
    }
    latest.put(key, rating);
    long[] tally = countAndSum.computeIfAbsent(rating.getTitleId(), t -> new long[2]);
    if (before == null) {
      tally[0]++;
    } else {
      tally[1] -= before.getStars();
    }
    tally[1] += rating.getStars();
  }

  /** Every rated title's summary, as of now; later additions do not change it. */
  public Map<String, RatingSummary> summaries() {
    Map<String, RatingSummary> out = new HashMap<>(countAndSum.size() * 2);
    countAndSum.forEach((title, tally) -> out.put(title, new RatingSummary(tally[0], (double) tally[1] / tally[0])));
    return Map.copyOf(out);
  }
}
