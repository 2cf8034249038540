package io.caudal.qoe.core.alert;

import io.caudal.qoe.core.MinuteContribution;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One minute of one scope (a region, or the fleet) broken down by every slice within it: each
 * dimension's keys and each pair of dimensions' keys, built from the same session contributions
 * as {@code qoe_minute}. The root-cause search needs the pairs, which qoe_minute does not have.
 *
 * <p>A slice is named by its id, {@code isp=isp-b} or {@code isp=isp-b&server=eu-west-s1}, its
 * dimensions in the order of {@link #DIMENSIONS}.
 */
public final class Breakdown {
  /** The dimensions slices are cut by, in the order slice ids name them; a region's own breakdown has no region. */
  public static final List<String> DIMENSIONS = List.of("region", "isp", "server", "device", "title");
  private static final List<String> WITHIN_REGION = DIMENSIONS.subList(1, DIMENSIONS.size());

  private final long minute;
  private final String dimension;
  private final String key;
  private final Counts total = new Counts();
  private final Map<String, Counts> slices = new TreeMap<>();
  // Each single slice's pairs by the pair's other part: built on the first within(), dropped on
  // any change. One pass for every slice's breakdown, where a scan per slice was quadratic.
  private Map<String, Map<String, Counts>> partners;

  /**
   * @param dimension {@code region} or {@code fleet}
   * @param key the region, or {@code all}
   */
  public Breakdown(long minute, String dimension, String key) {
    this.minute = minute;
    this.dimension = dimension;
    this.key = key;
  }

  /** An empty breakdown of one region's minute. */
  public static Breakdown ofRegion(long minute, String region) {
    return new Breakdown(minute, "region", region);
  }

  /** Counts one session's minute in the region's total, each of its slices and each pair of them. */
  public void add(MinuteContribution c) {
    partners = null;
    total.add(c.contribution());
    List<String> parts = new ArrayList<>(WITHIN_REGION.size());
    for (String d : WITHIN_REGION) {
      parts.add(d + "=" + c.keyOf(d));
    }
    for (int i = 0; i < parts.size(); i++) {
      slices.computeIfAbsent(parts.get(i), k -> new Counts()).add(c.contribution());
      for (int j = i + 1; j < parts.size(); j++) {
        slices.computeIfAbsent(parts.get(i) + "&" + parts.get(j), k -> new Counts()).add(c.contribution());
      }
    }
  }

  /** Adds another breakdown of the same scope and minute (partial panes). */
  public void merge(Breakdown other) {
    partners = null;
    total.merge(other.total);
    other.slices.forEach((id, counts) -> slices.computeIfAbsent(id, k -> new Counts()).merge(counts));
  }

  /**
   * The fleet's minute from its regions' breakdowns: each region becomes a slice, each of a
   * region's slices a pair with it, and the same slice of every region adds up.
   */
  public static Breakdown fleet(long minute, Collection<Breakdown> regions) {
    Breakdown fleet = new Breakdown(minute, "fleet", "all");
    for (Breakdown region : regions) {
      String r = "region=" + region.key;
      fleet.total.merge(region.total);
      fleet.slices.computeIfAbsent(r, k -> new Counts()).merge(region.total);
      region.slices.forEach((id, counts) -> {
        fleet.slices.computeIfAbsent(id, k -> new Counts()).merge(counts);
        if (isSingle(id)) {
          fleet.slices.computeIfAbsent(r + "&" + id, k -> new Counts()).merge(counts);
        }
      });
    }
    return fleet;
  }

  /**
   * One slice of this breakdown broken down by the pairs it is part of: the slice's counts as the
   * total, and each pair's other part as a slice (e.g. within {@code title=t003} of the fleet,
   * {@code region=eu-west} is the pair region=eu-west&title=t003). Empty when the slice is absent.
   */
  public Breakdown within(String sliceId) {
    int eq = sliceId.indexOf('=');
    Breakdown sub = new Breakdown(minute, sliceId.substring(0, eq), sliceId.substring(eq + 1));
    Counts counts = slices.get(sliceId);
    if (counts == null) {
      return sub;
    }
    sub.total.merge(counts);
    sub.slices.putAll(partners().getOrDefault(sliceId, Map.of()));
    return sub;
  }

  private Map<String, Map<String, Counts>> partners() {
    if (partners == null) {
      partners = new HashMap<>();
      slices.forEach((id, pair) -> {
        int and = id.indexOf('&');
        if (and >= 0) {
          String a = id.substring(0, and);
          String b = id.substring(and + 1);
          partners.computeIfAbsent(a, k -> new HashMap<>()).put(b, pair);
          partners.computeIfAbsent(b, k -> new HashMap<>()).put(a, pair);
        }
      });
    }
    return partners;
  }

  /** The id of the slice that is both {@code a} and {@code b} (single slices of different dimensions). */
  public static String pair(String a, String b) {
    int ia = DIMENSIONS.indexOf(a.substring(0, a.indexOf('=')));
    int ib = DIMENSIONS.indexOf(b.substring(0, b.indexOf('=')));
    return ia <= ib ? a + "&" + b : b + "&" + a;
  }

  public long minute() {
    return minute;
  }

  public String dimension() {
    return dimension;
  }

  public String key() {
    return key;
  }

  public Counts total() {
    return total;
  }

  /** Every slice's counts by id. */
  public Map<String, Counts> slices() {
    return slices;
  }

  /** Slice ids of a single dimension (no pairs). */
  public static boolean isSingle(String sliceId) {
    return !sliceId.contains("&");
  }

  // ---- state encoding ---------------------------------------------------------------------------

  /** The version of the encoding {@link #writeTo} writes. */
  public static final int STATE_FORMAT = 1;

  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(minute);
    out.writeUTF(dimension);
    out.writeUTF(key);
    total.writeTo(out);
    out.writeInt(slices.size());
    for (Map.Entry<String, Counts> slice : slices.entrySet()) {
      out.writeUTF(slice.getKey());
      slice.getValue().writeTo(out);
    }
  }

  public static Breakdown readFrom(DataInput in, int format) throws IOException {
    if (format != STATE_FORMAT) {
      throw new IOException("breakdown format " + format + " is not " + STATE_FORMAT);
    }
    Breakdown b = new Breakdown(in.readLong(), in.readUTF(), in.readUTF());
    b.total.merge(Counts.readFrom(in));
    for (int i = in.readInt(); i > 0; i--) {
      b.slices.put(in.readUTF(), Counts.readFrom(in));
    }
    return b;
  }
}
