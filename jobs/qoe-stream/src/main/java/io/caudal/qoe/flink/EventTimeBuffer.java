package io.caudal.qoe.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.state.MapState;

/**
 * Keyed state that holds events by event time until the watermark passes them, so two inputs
 * are applied in event-time order whatever order they arrived in.
 */
final class EventTimeBuffer {
  private EventTimeBuffer() {}

  static <T> void add(MapState<Long, List<T>> pending, long t, T event) throws Exception {
    List<T> atTime = pending.get(t);
    List<T> updated = atTime == null ? new ArrayList<>() : new ArrayList<>(atTime);
    updated.add(event);
    pending.put(t, updated);
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
