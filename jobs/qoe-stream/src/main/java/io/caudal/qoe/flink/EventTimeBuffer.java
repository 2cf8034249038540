package io.caudal.qoe.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.flink.api.common.state.MapState;

/**
 * Keyed state that holds events by event time until the watermark passes them, so two inputs
 * are applied in event-time order whatever order they arrived in.
 */
final class EventTimeBuffer {
  private EventTimeBuffer() {}

  /**
   * Adds the event unless one with the same identity is already held at the same time: a resend
   * carries its original's event id and time, so it is dropped here (one that comes after the
   * original was applied is behind the watermark, and so refused as late).
   *
   * @return whether it was added
   */
  static <T> boolean addNew(MapState<Long, List<T>> pending, long t, T event, Function<T, Object> identity)
      throws Exception {
    List<T> atTime = pending.get(t);
    Object id = identity.apply(event);
    if (atTime != null && atTime.stream().anyMatch(held -> identity.apply(held).equals(id))) {
      return false;
    }
    List<T> updated = atTime == null ? new ArrayList<>() : new ArrayList<>(atTime);
    updated.add(event);
    pending.put(t, updated);
    return true;
  }

  /** The event times held in any of the buffers up to {@code upTo}, ascending. */
  @SafeVarargs
  static List<Long> due(long upTo, MapState<Long, ? extends List<?>>... buffers) throws Exception {
    TreeSet<Long> times = new TreeSet<>();
    for (MapState<Long, ? extends List<?>> buffer : buffers) {
      buffer.keys().forEach(times::add);
    }
    return new ArrayList<>(times.headSet(upTo, true));
  }

  /** Removes and returns what the buffer held at {@code t}; empty when nothing. */
  static <T> List<T> take(MapState<Long, List<T>> pending, long t) throws Exception {
    List<T> atTime = pending.get(t);
    pending.remove(t);
    return atTime == null ? List.of() : atTime;
  }
}
