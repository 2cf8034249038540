package io.caudal.edge.viewer;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in viewers, by an unguessable token kept in an HttpOnly cookie. Sessions live in memory (a
 * restart signs everyone out) and end after {@code idle} without a request. Each session has a
 * second random token for CSRF: the app sends it back in a header with every state-changing request,
 * and a page of another site can neither read it nor send the cookie (SameSite=Strict).
 */
public final class ViewerSessions {

  /** A live session: who, and the token its state-changing requests must carry. */
  public record Session(Viewer viewer, String csrfToken) {}

  private record Entry(Session session, long lastSeenMs) {}

  /** Sessions kept before idle ones are swept: demo mode lets anyone start one, so memory stays bounded. */
  static final int SWEEP_ABOVE = 100_000;

  private final ConcurrentHashMap<String, Entry> byToken = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final long idleMs;

  public ViewerSessions(Clock clock, Duration idle) {
    this.clock = clock;
    this.idleMs = idle.toMillis();
  }

  /** Starts a session for a viewer who just signed in; returns its token. */
  public String start(Viewer viewer) {
    long now = clock.millis();
    if (byToken.size() > SWEEP_ABOVE) {
      byToken.values().removeIf(entry -> now - entry.lastSeenMs() > idleMs);
    }
    String token = randomToken();
    byToken.put(token, new Entry(new Session(viewer, randomToken()), now));
    return token;
  }

  /** 256 random bits, URL-safe base64. */
  public String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The live session of a token, refreshing its idle timer; empty when unknown or expired. */
  public Optional<Session> session(String token) {
    if (token == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    Entry entry = byToken.get(token);
    if (entry == null) {
      return Optional.empty();
    }
    if (now - entry.lastSeenMs() > idleMs) {
      byToken.remove(token, entry);
      return Optional.empty();
    }
    byToken.replace(token, entry, new Entry(entry.session(), now));
    return Optional.of(entry.session());
  }

  /** Ends a session (sign-out). */
  public void end(String token) {
    if (token != null) {
      byToken.remove(token);
    }
  }
}
