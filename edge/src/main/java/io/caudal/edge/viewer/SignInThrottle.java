package io.caudal.edge.viewer;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Limits password guessing at the viewer sign-in, per user name and per client address. Each key may fail a few times
 * for free; after that every failure doubles the wait before the next attempt, up to a lockout of
 * {@link Policy#maxDelayMs()}. An attempt made while a key waits is refused without checking the
 * password, so the bcrypt work an attacker can cause is bounded by this throttle, not by how fast
 * they send. Each attempt is counted as a failure before its password is checked (a success takes
 * it back), so parallel attempts cannot slip past the count. A key is forgotten once it has been
 * quiet for {@link Policy#forgetAfterMs()} after its wait ended.
 *
 * <p>Per user name, a guesser spread over many addresses still waits; per address, one client
 * trying many names waits too; a viewer on another address signing in as another viewer is not
 * held up by either.
 */
public final class SignInThrottle {

  /**
   * @param userFreeFailures failures of one user name before waits begin
   * @param addressFreeFailures failures from one address before waits begin (it may try several names)
   * @param firstDelayMs the first wait; each further failure doubles it
   * @param maxDelayMs the longest wait (the lockout)
   * @param forgetAfterMs how long after its wait a quiet key is forgotten
   */
  public record Policy(int userFreeFailures, int addressFreeFailures, long firstDelayMs, long maxDelayMs,
      long forgetAfterMs) {
    /** 5 free failures per user, 20 per address, then 1 s doubling to a 15-minute lockout. */
    public static final Policy DEFAULT = new Policy(5, 20, 1_000, 15 * 60_000, 60 * 60_000);
  }

  /** Keys kept before quiet ones are swept; bounds the memory a flood of names can take. */
  private static final int SWEEP_ABOVE = 10_000;

  private static final class Entry {
    int failures;
    long lastMs;
  }

  private final Policy policy;
  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();

  public SignInThrottle(Policy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  /**
   * Asks to check a password for this user from this address.
   *
   * @return 0 when the check may go ahead (it is counted as a failure until {@link #succeeded}),
   *     otherwise how many milliseconds to wait before trying again
   */
  public synchronized long tryAttempt(String user, String address) {
    long now = clock.millis();
    sweepIfLarge(now);
    String userKey = userKey(user);
    String addressKey = addressKey(address);
    long wait = Math.max(waitMs(userKey, policy.userFreeFailures(), now),
        waitMs(addressKey, policy.addressFreeFailures(), now));
    if (wait > 0) {
      return wait;
    }
    charge(userKey, now);
    charge(addressKey, now);
    return 0;
  }

  /** The password was right: the user's failures are cleared and the address gets its attempt back. */
  public synchronized void succeeded(String user, String address) {
    entries.remove(userKey(user));
    Entry entry = entries.get(addressKey(address));
    if (entry != null && --entry.failures <= 0) {
      entries.remove(addressKey(address));
    }
  }

  /** The wait after {@code failures} failures of a key with {@code free} free ones. */
  long delayMs(int failures, int free) {
    if (failures <= free) {
      return 0;
    }
    int doublings = Math.min(failures - free - 1, 40);
    return Math.min(policy.maxDelayMs(), policy.firstDelayMs() << doublings);
  }

  private long waitMs(String key, int free, long now) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return 0;
    }
    long until = entry.lastMs + delayMs(entry.failures, free);
    if (now >= until + policy.forgetAfterMs()) {
      entries.remove(key);
      return 0;
    }
    return Math.max(0, until - now);
  }

  private void charge(String key, long now) {
    Entry entry = entries.computeIfAbsent(key, k -> new Entry());
    entry.failures++;
    entry.lastMs = now;
  }

  private void sweepIfLarge(long now) {
    if (entries.size() > SWEEP_ABOVE) {
      long quiet = policy.maxDelayMs() + policy.forgetAfterMs();
      entries.values().removeIf(entry -> now - entry.lastMs > quiet);
    }
  }

  /** The number of keys held (for tests). */
  synchronized int size() {
    return entries.size();
  }

  private static String userKey(String user) {
    // Longer than any valid name (64): the same key, so a flood of long names costs no memory per byte.
    return "user:" + (user == null ? "" : user.length() > 80 ? user.substring(0, 80) : user);
  }

  private static String addressKey(String address) {
    return "address:" + address;
  }
}
