package io.caudal.edge.entitle;

import java.util.Locale;

/**
 * Decides whether a request path under {@code /t/<token>/} may be served: the token must verify,
 * be for the title the path names, and cover the path's prefix; paths that climb ({@code ..}) or
 * hide separators or dots behind percent-encoding are refused before any of that.
 */
public final class Entitlement {

  private final TokenSigner signer;

  public Entitlement(TokenSigner signer) {
    this.signer = signer;
  }

  /**
   * Checks a signed path.
   *
   * @param tokenAndPath the raw request path after {@code /t/}: {@code <token>/vod/<title>/<file>}
   * @return the granted request: token and the path below {@code vod/}
   * @throws Refused naming the reason, for a 403
   */
  public Granted check(String tokenAndPath, long nowSeconds) {
    refuseTraversal(tokenAndPath);
    int slash = tokenAndPath.indexOf('/');
    if (slash <= 0) {
      throw new Refused("missing playback token");
    }
    String path = tokenAndPath.substring(slash + 1);
    PlaybackToken token;
    try {
      token = signer.verify(tokenAndPath.substring(0, slash), nowSeconds);
    } catch (TokenSigner.TokenException e) {
      throw new Refused(e.getMessage());
    }
    if (!path.startsWith("vod/")) {
      throw new Refused("signed paths start with vod/");
    }
    String rest = path.substring("vod/".length());
    int titleEnd = rest.indexOf('/');
    String title = titleEnd < 0 ? rest : rest.substring(0, titleEnd);
    if (!title.equals(token.titleId())) {
      throw new Refused("playback token is for title " + token.titleId() + ", not " + title);
    }
    if (!path.startsWith(token.pathPrefix())) {
      throw new Refused("playback token does not cover " + path);
    }
    if (titleEnd < 0 || titleEnd == rest.length() - 1) {
      throw new Refused("no file named under title " + title);
    }
    return new Granted(token, rest);
  }

  /** Refuses {@code ..}, backslashes and percent-encoded dots, slashes and backslashes in a raw path. */
  public static void refuseTraversal(String rawPath) {
    String lower = rawPath.toLowerCase(Locale.ROOT);
    if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%25")
        || lower.contains("\\") || lower.contains("%00")) {
      throw new Refused("encoded path separators or dots are refused");
    }
    for (String segment : rawPath.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new Refused("path traversal is refused");
      }
    }
  }

  /**
   * A request the token grants.
   *
   * @param titlePath the path below {@code vod/}: {@code <title>/<file...>}
   */
  public record Granted(PlaybackToken token, String titlePath) {}

  /** A refused request; the message says why. */
  public static final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message);
    }
  }
}
