package io.caudal.edge.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caudal.edge.collect.StrictJson;
import io.caudal.schemas.InvalidRecordException;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.UserRating;

/**
 * What makes a rating worth keeping: a user, a title and 1 to 5 whole stars. Whether the title is in
 * the catalog is the caller's question (a 404, not a 400).
 */
public final class RatingValidator {

  public static final int MIN_STARS = 1;
  public static final int MAX_STARS = 5;

  private RatingValidator() {}

  /**
   * Reads a rating posted as JSON, {@code {userId, titleId, stars}}; {@code ratedAt} is now unless given.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static UserRating fromJson(String body, long nowMillis) {
    JsonNode node = StrictJson.read(body);
    if (!(node instanceof ObjectNode rating)) {
      throw new IllegalArgumentException("expected a rating object {userId, titleId, stars}");
    }
    if (!rating.has("ratedAt")) {
      rating.put("ratedAt", nowMillis);
    }
    UserRating read;
    try {
      read = JsonAvroCodec.fromJson(rating.toString(), UserRating.class);
    } catch (InvalidRecordException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    validate(read);
    return read;
  }

  /** @throws IllegalArgumentException naming what is wrong with the rating */
  public static void validate(UserRating rating) {
    if (rating.getStars() < MIN_STARS || rating.getStars() > MAX_STARS) {
      throw new IllegalArgumentException("stars must be a whole number from " + MIN_STARS + " to " + MAX_STARS
          + ", got " + rating.getStars());
    }
    if (rating.getUserId().isBlank()) {
      throw new IllegalArgumentException("userId must not be blank");
    }
  }
}
