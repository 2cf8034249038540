package io.caudal.edge.http;

import io.caudal.edge.home.HomeIndex;
import io.caudal.edge.home.HomeTables;
import io.caudal.edge.home.SimilarTitles;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A viewer's home rows, {@code GET /v1/users/<id>/home}, and a title's similar titles,
 * {@code GET /v1/titles/<id>/similar}: answered from the {@link HomeIndex} in force, read once per request.
 */
public final class HomeHandler {

  private static final String USERS_PREFIX = "/v1/users/";
  private static final String HOME_SUFFIX = "/home";
  private static final String TITLES_PREFIX = "/v1/titles/";
  private static final String SIMILAR_SUFFIX = "/similar";
  /** Ids as Caudal makes them (as the ratings take them): letters, digits, {@code . _ - @}, at most 128. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

  private final HomeTables home;

  public HomeHandler(HomeTables home) {
    this.home = home;
  }

  /**
   * {@code /v1/titles/<id>/similar} answered here, every other {@code /v1/titles/...} path by {@code catalog}:
   * Jetty's servlet path specs have no wildcard in the middle of a path.
   */
  public EdgeRoutes.Endpoint similarOr(EdgeRoutes.Endpoint catalog) {
    return x -> {
      if (x.path().startsWith(TITLES_PREFIX) && x.path().endsWith(SIMILAR_SUFFIX)) {
        similar(x);
      } else {
        catalog.answer(x);
      }
    };
  }

  /** {@code GET /v1/users/<id>/home}; an unknown user is a new one, and gets the page of a viewer without history. */
  public void home(Exchange x) {
    String path = x.path();
    if (!path.startsWith(USERS_PREFIX) || !path.endsWith(HOME_SUFFIX)
        || path.length() <= USERS_PREFIX.length() + HOME_SUFFIX.length()) {
      x.error(404, "no such resource " + EdgeRoutes.redacted(path) + "; a home page is /v1/users/<userId>/home");
      return;
    }
    String userId = id("userId", path.substring(USERS_PREFIX.length(), path.length() - HOME_SUFFIX.length()));
    x.json(200, home.current().home(userId));
  }

  /** {@code GET /v1/titles/<id>/similar}: 404 for a title not in the catalog. */
  public void similar(Exchange x) {
    String path = x.path();
    String titleId = id("titleId", path.substring(TITLES_PREFIX.length(), path.length() - SIMILAR_SUFFIX.length()));
    Optional<SimilarTitles> similar = home.current().similar(titleId);
    if (similar.isEmpty()) {
      x.error(404, "no title " + titleId + " in the catalog");
    } else {
      x.json(200, similar.get());
    }
  }

  private static String id(String field, String value) {
    if (!ID.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be 1 to 128 letters, digits or . _ @ - (starting with a"
          + " letter or digit), got " + (value.contains("/") ? "a path with /" : value.length() + " characters"));
    }
    return value;
  }
}
