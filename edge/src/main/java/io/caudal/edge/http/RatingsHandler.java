package io.caudal.edge.http;

import io.caudal.edge.catalog.CatalogSearch;
import io.caudal.edge.catalog.RatingValidator;
import io.caudal.edge.catalog.RatingsWriter;
import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import io.caudal.schemas.UserRating;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ratings: {@code POST /v1/ratings} keeps a signed-in viewer's 1–5 stars for a title in the catalog.
 * The viewer is the user of the playback token the request carries ({@link Credentials}), and the
 * title the one it grants: a viewer rates what they were given to watch.
 */
public final class RatingsHandler {

  /** How long a rating may wait for its Parquet file to be in place. */
  static final long STORE_TIMEOUT_SECONDS = 30;

  private final CatalogSearch catalog;
  private final RatingsWriter ratings;
  private final TokenSigner signer;

  public RatingsHandler(CatalogSearch catalog, RatingsWriter ratings, TokenSigner signer) {
    this.catalog = catalog;
    this.ratings = ratings;
    this.signer = signer;
  }

  /** {@code POST /v1/ratings}: {@code {titleId, stars}}, answered 202 once written. */
  public void rate(Exchange x) throws IOException {
    Optional<PlaybackToken> grant = Credentials.grant(x, signer);
    if (grant.isEmpty()) {
      return;
    }
    UserRating rating = RatingValidator.fromJson(x.body(), System.currentTimeMillis(), grant.get().userId());
    if (!rating.getTitleId().equals(grant.get().titleId())) {
      x.error(403, "the playback token grants title " + grant.get().titleId() + ", not " + rating.getTitleId());
      return;
    }
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
