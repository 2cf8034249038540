package io.caudal.edge.http;

import io.caudal.edge.entitle.PlaybackToken;
import io.caudal.edge.entitle.TokenSigner;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The credential of a request that reports or rates: the playback token edge signed for the
 * viewer, as {@code Authorization: Bearer <token>}. It fixes who speaks (the user) and about what
 * (the title); a request without a valid one is answered 401 and nothing it says is kept. There is
 * no anonymous path: a report without a credential could be any web page's forgery, and steering
 * and replication act on reports.
 */
final class Credentials {

  private static final String BEARER = "Bearer ";

  private Credentials() {}

  /** The grant the request carries (as its route checked it, or checked now), or empty once a 401 naming why is sent. */
  static Optional<PlaybackToken> grant(Exchange x, TokenSigner signer) {
    if (x.grant() != null) {
      return Optional.of(x.grant());
    }
    String authorization = x.requestHeader(HttpHeader.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return refuse(x, "send the playback token as Authorization: Bearer <token>");
    }
    try {
      return Optional.of(signer.verify(authorization.substring(BEARER.length()).trim(),
          System.currentTimeMillis() / 1000));
    } catch (TokenSigner.TokenException e) {
      return refuse(x, e.getMessage());
    }
  }

  private static Optional<PlaybackToken> refuse(Exchange x, String reason) {
    x.header(HttpHeader.WWW_AUTHENTICATE.asString(), "Bearer");
    // Refused before its body is read, the connection closes rather than read what nobody will keep.
    x.header(HttpHeader.CONNECTION.asString(), "close");
    x.error(401, reason);
    return Optional.empty();
  }
}
