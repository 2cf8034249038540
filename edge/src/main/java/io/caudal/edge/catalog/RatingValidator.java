package io.caudal.edge.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caudal.edge.collect.StrictJson;
import io.caudal.schemas.InvalidRecordException;
import io.caudal.schemas.JsonAvroCodec;
import io.caudal.schemas.UserRating;
import java.util.regex.Pattern;

/**
 * What makes a rating worth keeping: a signed-in viewer, a title and 1 to 5 whole stars. The user is
 * the one the request's playback grant names, never the body's; the time is the server's. Ids are
 * bounded in length and to the characters ids are made of, so no formula, markup or control
 * character reaches the table. Whether the title is in the catalog is the caller's question (a 404,
 * not a 400).
 */
public final class RatingValidator {

  public static final int MIN_STARS = 1;
  public static final int MAX_STARS = 5;
  /** Ids as Caudal makes them: letters, digits, and {@code . _ - @}, at most 128 characters. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

  private RatingValidator() {}

  /**
   * Reads a rating posted as JSON, {@code {titleId, stars}} (a {@code userId}, if given, must be the grant's).
   *
   * @param userId the user of the request's playback grant
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static UserRating fromJson(String body, long nowMillis, String userId) {
    JsonNode node = StrictJson.read(body);
    if (!(node instanceof ObjectNode rating)) {
      throw new IllegalArgumentException("expected a rating object {titleId, stars}");
    }
    JsonNode given = rating.get("userId");
    if (given != null && !given.asText().equals(userId)) {
      throw new IllegalArgumentException("userId: not_granted: the playback token is for user " + userId);
    }
    if (rating.has("ratedAt")) {
      throw new IllegalArgumentException("ratedAt: set by the server, not sent");
    }
    rating.put("userId", userId).put("ratedAt", nowMillis);
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
    id("userId", rating.getUserId());
    id("titleId", rating.getTitleId());
  }

  private static void id(String field, String value) {
    if (!ID.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be 1 to 128 letters, digits or . _ @ - (starting with a"
          + " letter or digit), got " + value.length() + " characters");
    }
  }
}
