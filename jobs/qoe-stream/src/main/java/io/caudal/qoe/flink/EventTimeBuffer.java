package io.caudal.qoe.flink;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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

  /**
   * Removes and returns what the buffer held up to {@code upTo}: its times ascending, each with
   * its events in the order they were added. One pass over the key's entries (a state lookup is
   * the costly part of keyed state on the heap, so not one per time held).
   */
  static <T> List<Map.Entry<Long, List<T>>> takeDue(MapState<Long, List<T>> pending, long upTo) throws Exception {
    List<Map.Entry<Long, List<T>>> due = new ArrayList<>(2);
    Iterator<Map.Entry<Long, List<T>>> entries = pending.iterator();
    while (entries.hasNext()) {
      Map.Entry<Long, List<T>> entry = entries.next();
      if (entry.getKey() <= upTo) {
        due.add(Map.entry(entry.getKey(), entry.getValue()));
        entries.remove();
      }
    }
    if (due.size() > 1) {
      due.sort(Map.Entry.comparingByKey());
    }
    return due;
  }
}
