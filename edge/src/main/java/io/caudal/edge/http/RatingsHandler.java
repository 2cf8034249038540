package io.caudal.edge.http;

import io.caudal.edge.catalog.CatalogSearch;
import io.caudal.edge.catalog.RatingValidator;
import io.caudal.edge.catalog.RatingsWriter;
import io.caudal.schemas.UserRating;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ratings: {@code POST /v1/ratings} keeps a viewer's 1–5 stars for a title in the catalog. */
public final class RatingsHandler {

  /** How long a rating may wait for its Parquet file to be in place. */
  static final long STORE_TIMEOUT_SECONDS = 30;

  private final CatalogSearch catalog;
  private final RatingsWriter ratings;

  public RatingsHandler(CatalogSearch catalog, RatingsWriter ratings) {
    this.catalog = catalog;
    this.ratings = ratings;
  }

  /** {@code POST /v1/ratings}: {@code {userId, titleId, stars}}, answered 202 once written. */
  public void rate(Exchange x) throws IOException {
    UserRating rating = RatingValidator.fromJson(x.body(), System.currentTimeMillis());
    if (catalog.byId(rating.getTitleId()).isEmpty()) {
      x.error(404, "no title " + rating.getTitleId() + " in the catalog");
      return;
    }
    try {
      ratings.add(rating).get(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not store the rating", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    x.json(202, rating);
  }
}
