package io.caudal.dashboard;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in operators, by an unguessable token kept in a cookie. Sessions live in memory (a restart
 * logs everyone out) and end after {@code idleMs} without a request.
 */
public final class LoginSessions {

  private record Entry(String user, long lastSeenMs) {}

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
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    byToken.put(token, new Entry(user, clock.millis()));
    return token;
  }

  /** The user of a live session, refreshing its idle timer; empty when unknown or expired. */
  public Optional<String> user(String token) {
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
    byToken.put(token, new Entry(entry.user(), now));
    return Optional.of(entry.user());
  }

  /** Ends a session (logout). */
  public void end(String token) {
    if (token != null) {
      byToken.remove(token);
    }
  }
}
