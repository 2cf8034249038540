package io.caudal.dashboard;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in operators, by an unguessable token kept in a cookie. Sessions live in memory (a restart
 * logs everyone out) and end after {@code idleMs} without a request. Each session has a second
 * random token, for CSRF: the pages send it back with every state-changing request, and another
 * site cannot read it.
 */
public final class LoginSessions {

  /** A live session: who, and the token its state-changing requests must carry. */
  public record Session(String user, String csrfToken) {}

  private record Entry(Session session, long lastSeenMs) {}

  private final ConcurrentHashMap<String, Entry> byToken = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final long idleMs;

  public LoginSessions(Clock clock, long idleMs) {
    this.clock = clock;
    this.idleMs = idleMs;
  }

  /** Starts a session for a user who just proved their password; returns its token. */
  public String start(String user) {
    String token = randomToken();
    byToken.put(token, new Entry(new Session(user, randomToken()), clock.millis()));
    return token;
  }

  /** 256 random bits, URL-safe base64. */
  String randomToken() {
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
    byToken.put(token, new Entry(entry.session(), now));
    return Optional.of(entry.session());
  }

  /** Ends a session (logout). */
  public void end(String token) {
    if (token != null) {
      byToken.remove(token);
    }
  }
}
