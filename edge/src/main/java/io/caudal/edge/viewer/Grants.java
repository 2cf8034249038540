package io.caudal.edge.viewer;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a signed-in viewer may play a title, by plan, and signs the playback token when
 * so: a subscription (SVOD) covers the catalog, with a token that lasts {@link #SUBSCRIPTION_GRANT}
 * and is signed again at the next play; a rental (TVOD) covers the title until the rental ends,
 * which is then the token's expiry.
 */
public final class Grants {

  /** A subscriber's token lasts a day, as {@code bin/caudal edge --sign} does; playing again signs a new one. */
  public static final Duration SUBSCRIPTION_GRANT = Duration.ofDays(1);

  /** A grant: the signed token, what it grants, and the rental's end for TVOD. */
  public record Grant(String token, PlaybackToken granted, Optional<Instant> rentalEndsAt) {}

  /** A viewer without a grant for the title; the message says why. */
  public static final class NoGrant extends Exception {
    NoGrant(String reason) {
      super(reason);
    }
  }

  private final TokenSigner signer;
  private final Rentals rentals;

  public Grants(TokenSigner signer, Rentals rentals) {
    this.signer = signer;
    this.rentals = rentals;
  }

  /**
   * The viewer's grant to play a title that is in the catalog.
   *
   * @throws NoGrant naming why not: no rental of it, or the rental ended
   */
  public Grant play(Viewer viewer, String titleId, Instant now) throws NoGrant {
    long nowSeconds = now.getEpochSecond();
    switch (viewer.plan()) {
      case SVOD -> {
        PlaybackToken token = PlaybackToken.forTitle(viewer.userId(), titleId,
            nowSeconds + SUBSCRIPTION_GRANT.toSeconds());
        return new Grant(signer.sign(token), token, Optional.empty());
      }
      case TVOD -> {
        Optional<Instant> end = rentals.end(viewer.userId(), titleId);
        if (end.isEmpty()) {
          throw new NoGrant("plan tvod: " + titleId + " is not rented; rent it first");
        }
        if (!end.get().isAfter(now)) {
          throw new NoGrant("plan tvod: the rental of " + titleId + " ended at " + end.get());
        }
        PlaybackToken token = PlaybackToken.forTitle(viewer.userId(), titleId, end.get().getEpochSecond());
        return new Grant(signer.sign(token), token, end);
      }
      default -> throw new IllegalStateException("unknown plan " + viewer.plan());
    }
  }

  /**
   * Rents a title for a TVOD viewer (or keeps the running rental); returns when it ends.
   *
   * @throws NoGrant for a subscriber, whose plan covers the title already
   */
  public Instant rent(Viewer viewer, String titleId, Instant now) throws NoGrant {
    if (viewer.plan() != Plan.TVOD) {
      throw new NoGrant("plan " + viewer.plan().spelling() + " covers every title: nothing to rent");
    }
    return rentals.rent(viewer.userId(), titleId, now);
  }
}
