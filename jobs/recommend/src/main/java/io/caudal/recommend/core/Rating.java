package io.caudal.recommend.core;

import java.io.Serializable;
import java.util.Objects;

/** One user–title interaction: an explicit 1–5 rating or an implicit weight. */
public record Rating(String userId, String itemId, double value, long timestamp) implements Serializable {
  public Rating {
    // Ids key every index and map downstream; a null would surface far from its source.
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(itemId, "itemId");
  }
}
