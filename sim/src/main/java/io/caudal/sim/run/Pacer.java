package io.caudal.sim.run;

/** Holds the simulated clock to the wall clock: at speed X, X simulated seconds per real second. */
public final class Pacer {
  private final double speed;
  private final long wallStartNanos;

  public Pacer(double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive, got " + speed);
    }
    this.speed = speed;
    this.wallStartNanos = System.nanoTime();
  }

  public double speed() {
    return speed;
  }

  /** Sleeps until {@code elapsedSimMs} of simulated time are due on the wall clock. */
  public void awaitSimulated(long elapsedSimMs) throws InterruptedException {
    long dueNanos = wallStartNanos + (long) (elapsedSimMs / speed * 1_000_000);
    long waitNanos = dueNanos - System.nanoTime();
    if (waitNanos > 0) {
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
  }

  /**
   * Where the simulated clock should start for a run of {@code durationMs} begun at
   * {@code wallNowMs}: now at speed 1; faster runs start back in time by the duration, so event
   * times never run ahead of the wall clock (consumers refuse events from the future).
   */
  public static long startEpochMs(long wallNowMs, long durationMs, double speed) {
    return speed <= 1 ? wallNowMs : wallNowMs - durationMs;
  }
}
