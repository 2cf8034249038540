package io.caudal.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock a test moves by hand, so waits and lockouts pass without sleeping. */
final class MovableClock extends Clock {
  private final AtomicLong millis;

  MovableClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  void advanceMs(long ms) {
    millis.addAndGet(ms);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock keeps UTC");
  }
}
