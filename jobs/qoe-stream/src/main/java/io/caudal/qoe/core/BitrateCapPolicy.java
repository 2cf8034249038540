package io.caudal.qoe.core;

import io.caudal.schemas.BitrateDecision;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The highest rung of a title's ladder one session should be held to, from what its player and
 * RTCP receiver reports say about its buffer, throughput and loss: quality adapted to network
 * conditions, the client's buffer and stalls.
 *
 * <p>Sustainable rung, the lowest of:
 * <ul>
 *   <li>throughput: the highest rung ≤ measured throughput × {@link Config#safetyFactor}, or the
 *       lowest rung when none fits (a cap cannot go below the ladder);</li>
 *   <li>buffer: one rung below that when the buffer is under {@link Config#lowBufferMs}, since
 *       the session is draining and needs margin to refill;</li>
 *   <li>loss: at most the second-lowest rung when the loss fraction is over
 *       {@link Config#heavyLoss}; unknown loss (no RTCP) does not limit anything, for lack of
 *       evidence.</li>
 * </ul>
 * Current cap: the previous decision's, or the top rung (no cap) when there is none; a previous
 * cap that is no longer a rung (the ladder changed) counts as the highest rung under it, or the
 * lowest rung.
 *
 * <p>Change: lower to the sustainable rung when it is below the current cap; raise to it —
 * straight there, since a cap is a ceiling the player's own adaptation still works under — only
 * when it is above the current cap and the buffer is at least {@link Config#healthyBufferMs};
 * between the two buffer levels the cap holds. Hysteresis: no change within
 * {@link Config#minChangeIntervalMs} of the previous decision, in either direction, so a cap does
 * not flap with every heartbeat; a first cap needs no wait.
 *
 * <p>Reasons are {@code code: detail}, the code one of {@code heavy_loss}, {@code low_buffer},
 * {@code low_throughput} (the rule that set a lowered cap, in that order of precedence) or
 * {@code lifted}.
 */
public final class BitrateCapPolicy implements Serializable {
  /** Spend at most 80 % of measured throughput: measurements are noisy and segments arrive in bursts. */
  public static final double DEFAULT_SAFETY_FACTOR = 0.8;
  /** Under 10 s of buffer a session is a couple of segments from stalling. */
  public static final long DEFAULT_LOW_BUFFER_MS = 10_000;
  /** 20 s of buffer rides out a throughput dip while a higher rung proves itself. */
  public static final long DEFAULT_HEALTHY_BUFFER_MS = 20_000;
  /** Over 5 % loss, retransmissions eat the throughput a higher rung would need. */
  public static final double DEFAULT_HEAVY_LOSS = 0.05;
  /** At most one change per 10 s (a few segments), so caps do not flap with each heartbeat. */
  public static final long DEFAULT_MIN_CHANGE_INTERVAL_MS = 10_000;

  /**
   * The thresholds of one policy.
   *
   * @param safetyFactor share of measured throughput a rung may use, (0, 1]
   * @param lowBufferMs buffer under which the cap drops one rung more
   * @param healthyBufferMs buffer from which a cap may be raised; at least {@code lowBufferMs}
   * @param heavyLoss loss fraction over which the cap is at most the second-lowest rung
   * @param minChangeIntervalMs least time between two changes of a session's cap
   */
  public record Config(double safetyFactor, long lowBufferMs, long healthyBufferMs, double heavyLoss,
      long minChangeIntervalMs) implements Serializable {
    public Config {
      if (!(safetyFactor > 0 && safetyFactor <= 1)) {
        throw new IllegalArgumentException("safetyFactor must be in (0, 1], got " + safetyFactor);
      }
      if (lowBufferMs < 0) {
        throw new IllegalArgumentException("lowBufferMs must not be negative, got " + lowBufferMs);
      }
      if (healthyBufferMs < lowBufferMs) {
        throw new IllegalArgumentException("healthyBufferMs (" + healthyBufferMs + ") must be at least lowBufferMs ("
            + lowBufferMs + "), or a cap could be raised while the buffer is low");
      }
      if (!(heavyLoss >= 0 && heavyLoss <= 1)) {
        throw new IllegalArgumentException("heavyLoss must be in [0, 1], got " + heavyLoss);
      }
      if (minChangeIntervalMs < 0) {
        throw new IllegalArgumentException("minChangeIntervalMs must not be negative, got " + minChangeIntervalMs);
      }
    }

    public static Config defaults() {
      return new Config(DEFAULT_SAFETY_FACTOR, DEFAULT_LOW_BUFFER_MS, DEFAULT_HEALTHY_BUFFER_MS, DEFAULT_HEAVY_LOSS,
          DEFAULT_MIN_CHANGE_INTERVAL_MS);
    }
  }

  /**
   * What one evaluation sees of a session.
   *
   * @param bufferMs buffer length the player reported, ms
   * @param throughputKbps throughput the player measured, kbit/s
   * @param lossFraction RTCP loss fraction, 0–1; empty when no report says
   * @param time event time of the observation, epoch ms
   */
  public record Observation(long bufferMs, double throughputKbps, OptionalDouble lossFraction, long time) {
    public Observation {
      if (bufferMs < 0) {
        throw new IllegalArgumentException("bufferMs must not be negative, got " + bufferMs);
      }
      if (!(throughputKbps >= 0)) {
        throw new IllegalArgumentException("throughputKbps must not be negative, got " + throughputKbps);
      }
      Objects.requireNonNull(lossFraction, "lossFraction (empty when unknown)");
      if (lossFraction.isPresent() && !(lossFraction.getAsDouble() >= 0 && lossFraction.getAsDouble() <= 1)) {
        throw new IllegalArgumentException("lossFraction must be in [0, 1], got " + lossFraction.getAsDouble());
      }
    }
  }

  /**
   * A session's cap as decided at {@code time}; kept per session as the previous decision.
   *
   * @param capKbps the rung the session is held to; the top rung means no cap
   * @param reason {@code code: detail}
   * @param time event time of the decision, epoch ms
   */
  public record Decision(int capKbps, String reason, long time) implements Serializable {
    public BitrateDecision toBitrateDecision(String sessionId) {
      return BitrateDecision.newBuilder()
          .setSessionId(Objects.requireNonNull(sessionId, "sessionId"))
          .setEventTime(time)
          .setMaxBitrateKbps(capKbps)
          .setReason(reason)
          .build();
    }
  }

  private final Config config;

  public BitrateCapPolicy(Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public BitrateCapPolicy() {
    this(Config.defaults());
  }

  public Config config() {
    return config;
  }

  /**
   * A new cap for the session, when it differs from the current one and the hysteresis allows it.
   *
   * @param ladderKbps the title's rungs, kbit/s, strictly ascending, at least one
   * @param seen what the session reports now
   * @param previous the session's last decision, or null when it has none (uncapped)
   * @throws IllegalArgumentException when the ladder is empty, not strictly ascending or not positive
   */
  public Optional<Decision> evaluate(int[] ladderKbps, Observation seen, Decision previous) {
    requireLadder(ladderKbps);
    Objects.requireNonNull(seen, "seen");
    int top = ladderKbps.length - 1;
    // A previous cap under the lowest rung (the ladder changed) counts as the lowest rung.
    int current = previous == null ? top : Math.max(0, rungAtOrBelow(ladderKbps, previous.capKbps()));

    double usable = seen.throughputKbps() * config.safetyFactor();
    int byThroughput = Math.max(0, rungAtOrBelow(ladderKbps, usable));
    boolean lowBuffer = seen.bufferMs() < config.lowBufferMs();
    int byBuffer = lowBuffer ? Math.max(0, byThroughput - 1) : byThroughput;
    boolean heavyLoss = seen.lossFraction().isPresent() && seen.lossFraction().getAsDouble() > config.heavyLoss();
    int sustainable = heavyLoss ? Math.min(byBuffer, Math.min(1, top)) : byBuffer;

    boolean lower = sustainable < current;
    boolean raise = sustainable > current && seen.bufferMs() >= config.healthyBufferMs();
    if (!lower && !raise) {
      return Optional.empty();
    }
    if (previous != null && seen.time() - previous.time() < config.minChangeIntervalMs()) {
      return Optional.empty();
    }
    int cap = ladderKbps[sustainable];
    String reason;
    if (raise) {
      reason = String.format(Locale.ROOT, "lifted: buffer %d ms, throughput %.0f kbps sustains %d kbps%s",
          seen.bufferMs(), seen.throughputKbps(), cap, sustainable == top ? " (top rung, no cap)" : "");
    } else if (heavyLoss && sustainable < byBuffer) {
      reason = String.format(Locale.ROOT, "heavy_loss: loss %.3f over %.3f holds the cap to %d kbps",
          seen.lossFraction().getAsDouble(), config.heavyLoss(), cap);
    } else if (lowBuffer && byBuffer < byThroughput) {
      reason = String.format(Locale.ROOT,
          "low_buffer: buffer %d ms under %d ms, one rung under the %d kbps throughput allows",
          seen.bufferMs(), config.lowBufferMs(), ladderKbps[byThroughput]);
    } else {
      reason = String.format(Locale.ROOT, "low_throughput: %.0f kbps × %.2f sustains %d kbps",
          seen.throughputKbps(), config.safetyFactor(), cap);
    }
    return Optional.of(new Decision(cap, reason, seen.time()));
  }

  /** Index of the highest rung ≤ {@code kbps}, or -1 when even the lowest is above it. */
  private static int rungAtOrBelow(int[] ladderKbps, double kbps) {
    int index = -1;
    for (int i = 0; i < ladderKbps.length && ladderKbps[i] <= kbps; i++) {
      index = i;
    }
    return index;
  }

  private static void requireLadder(int[] ladderKbps) {
    Objects.requireNonNull(ladderKbps, "ladderKbps");
    if (ladderKbps.length == 0) {
      throw new IllegalArgumentException("ladder is empty: a cap must be one of the title's rungs");
    }
    for (int i = 0; i < ladderKbps.length; i++) {
      if (ladderKbps[i] <= 0) {
        throw new IllegalArgumentException("ladder rung " + i + " is " + ladderKbps[i] + " kbps; rungs must be positive");
      }
      if (i > 0 && ladderKbps[i] <= ladderKbps[i - 1]) {
        throw new IllegalArgumentException("ladder must be strictly ascending, but rung " + i + " (" + ladderKbps[i]
            + " kbps) follows " + ladderKbps[i - 1] + " kbps");
      }
    }
  }
}
