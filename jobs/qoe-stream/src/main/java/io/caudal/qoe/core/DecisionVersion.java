package io.caudal.qoe.core;

/**
 * The version of a decision (a session's bitrate cap, a region's steering): decisions are
 * published at-least-once, the moment they are made, so a consumer may see one twice or, after a
 * restart, an older one again; it keeps the highest version it has seen per key. A version is made
 * from what decided it, the decision's event time and its place among the key's decisions of the
 * same millisecond (in input order), never from a counter or a clock of the job, so a restart
 * from a checkpoint re-makes each decision with the version it had.
 */
public final class DecisionVersion {
  /** Decisions of one key in one millisecond, at most; more is a broken input, not a decision. */
  public static final int PER_MILLISECOND = 1000;

  private DecisionVersion() {}

  /**
   * @param eventTime the decision's event time, epoch ms
   * @param ordinal its place among the key's decisions of that millisecond, from 0
   */
  public static long of(long eventTime, int ordinal) {
    if (ordinal < 0 || ordinal >= PER_MILLISECOND) {
      throw new IllegalArgumentException("ordinal must be in [0, " + PER_MILLISECOND + "), got " + ordinal);
    }
    return eventTime * PER_MILLISECOND + ordinal;
  }
}
