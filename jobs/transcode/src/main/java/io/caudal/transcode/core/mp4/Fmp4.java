package io.caudal.transcode.core.mp4;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and rewrites the few ISO-BMFF boxes a packager needs: it splits a fragmented MP4 into
 * its init segment (ftyp+moov) and its media segments (moof+mdat), measures each segment from
 * its track run, and moves a segment onto the title's timeline by rewriting its tfdt and mfhd.
 */
public final class Fmp4 {
  private Fmp4() {}

  /**
   * The init segment.
   *
   * @param codecs RFC 6381 codec string read from the sample description (e.g. avc1.64001f)
   */
  public record Init(byte[] bytes, int timescale, String codecs) {}

  /**
   * One moof+mdat pair.
   *
   * @param decodeTime baseMediaDecodeTime from tfdt, in the track's timescale
   * @param duration sum of the run's sample durations, in the track's timescale
   * @param startsWithSync whether the first sample is a sync sample (an IDR for video)
   */
  public record Fragment(byte[] bytes, long decodeTime, long duration, int samples, boolean startsWithSync) {}

  /** A whole fragmented file: its init segment and its fragments in order. */
  public record File(Init init, List<Fragment> fragments) {}

  public static File parse(byte[] data) {
    ByteBuffer buf = ByteBuffer.wrap(data);
    ByteArrayOutputStream init = new ByteArrayOutputStream();
    int timescale = 0;
    String codecs = null;
    long trexDuration = 0;
    List<Fragment> fragments = new ArrayList<>();
    int pos = 0;
    int moofStart = -1;
    while (pos + 8 <= data.length) {
      long size = boxSize(buf, pos);
      String type = type(buf, pos + 4);
      int end = (int) (pos + size);
      if (size < 8 || end > data.length) {
        throw new IllegalArgumentException("fragmented MP4 is cut short in box '" + type + "' at byte " + pos);
      }
      switch (type) {
        case "ftyp", "moov" -> {
          init.write(data, pos, end - pos);
          if (type.equals("moov")) {
            int mdhd = find(buf, pos, end, "trak", "mdia", "mdhd");
            timescale = mdhd < 0 ? 0 : readTimescale(buf, mdhd);
            codecs = readCodecs(buf, pos, end);
            int trex = find(buf, pos, end, "mvex", "trex");
            trexDuration = trex < 0 ? 0 : Integer.toUnsignedLong(buf.getInt(trex + 8 + 4 + 8));
          }
        }
        case "moof" -> moofStart = pos;
        case "mdat" -> {
          if (moofStart < 0) {
            throw new IllegalArgumentException("mdat at byte " + pos + " has no moof before it");
          }
          fragments.add(fragment(data, buf, moofStart, end, trexDuration));
          moofStart = -1;
        }
        default -> { } // styp, sidx, mfra, free: not needed by the manifests we write
      }
      pos = end;
    }
    if (timescale == 0) {
      throw new IllegalArgumentException("no moov with a media timescale: not a fragmented MP4");
    }
    return new File(new Init(init.toByteArray(), timescale, codecs), List.copyOf(fragments));
  }

  /**
   * A copy of {@code fragment} moved by {@code offset} ticks and numbered {@code sequence}.
   * Both fields are rewritten in place, so every offset inside the moof stays valid.
   */
  public static byte[] rebase(Fragment fragment, long offset, int sequence) {
    byte[] out = fragment.bytes().clone();
    ByteBuffer buf = ByteBuffer.wrap(out);
    int moofEnd = (int) boxSize(buf, 0);
    int mfhd = find(buf, 0, moofEnd, "mfhd");
    buf.putInt(mfhd + 12, sequence);
    int tfdt = find(buf, 0, moofEnd, "traf", "tfdt");
    if (tfdt < 0) {
      throw new IllegalArgumentException("fragment has no tfdt");
    }
    if (buf.get(tfdt + 8) == 1) {
      buf.putLong(tfdt + 12, buf.getLong(tfdt + 12) + offset);
    } else {
      long moved = Integer.toUnsignedLong(buf.getInt(tfdt + 12)) + offset;
      if (moved > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("tfdt version 0 cannot hold " + moved);
      }
      buf.putInt(tfdt + 12, (int) moved);
    }
    return out;
  }

  /**
   * How many bytes from the start of a media segment (moof then mdat) reach the end of its first
   * sample: the byte range an I-frame playlist gives for the segment's IDR, which covers the moof
   * (a player needs its trun and, when protected, its senc) and the first sample's data.
   *
   * @param trexSize the init's default sample size, for a run that states none
   */
  public static long firstSampleEnd(byte[] segment, long trexSize) {
    ByteBuffer buf = ByteBuffer.wrap(segment);
    if (segment.length < 8 || !type(buf, 4).equals("moof")) {
      throw new IllegalArgumentException("media segment does not start with a moof");
    }
    int moofEnd = (int) boxSize(buf, 0);
    int tfhd = find(buf, 0, moofEnd, "traf", "tfhd");
    int trun = find(buf, 0, moofEnd, "traf", "trun");
    int mdat = findChild(buf, moofEnd, segment.length, "mdat");
    if (tfhd < 0 || trun < 0 || mdat < 0) {
      throw new IllegalArgumentException("media segment lacks tfhd, trun or mdat");
    }
    int tfhdFlags = buf.getInt(tfhd + 8) & 0xFFFFFF;
    if ((tfhdFlags & 0x01) != 0) {
      // An explicit base offset counts from the start of the file it was muxed in, not this segment.
      throw new IllegalArgumentException("media segment states a base-data-offset");
    }
    int p = tfhd + 16 + ((tfhdFlags & 0x02) != 0 ? 4 : 0) + ((tfhdFlags & 0x08) != 0 ? 4 : 0);
    long defaultSize = (tfhdFlags & 0x10) != 0 ? Integer.toUnsignedLong(buf.getInt(p)) : trexSize;
    int trunFlags = buf.getInt(trun + 8) & 0xFFFFFF;
    if (buf.getInt(trun + 12) < 1) {
      throw new IllegalArgumentException("media segment has no samples");
    }
    int q = trun + 16;
    // With one traf the data offset counts from the moof's first byte (default-base-is-moof or not).
    long dataStart = (trunFlags & 0x001) != 0 ? buf.getInt(q) : mdat + headerSize(buf, mdat);
    q += ((trunFlags & 0x001) != 0 ? 4 : 0) + ((trunFlags & 0x004) != 0 ? 4 : 0) + ((trunFlags & 0x100) != 0 ? 4 : 0);
    long size = (trunFlags & 0x200) != 0 ? Integer.toUnsignedLong(buf.getInt(q)) : defaultSize;
    long end = dataStart + size;
    if (size <= 0 || end > segment.length) {
      throw new IllegalArgumentException("first sample of " + size + " bytes at " + dataStart
          + " does not fit a segment of " + segment.length + " bytes");
    }
    return end;
  }

  /** The default sample size of an init segment's trex (0 when it states none). */
  public static long trexSampleSize(byte[] init) {
    ByteBuffer buf = ByteBuffer.wrap(init);
    int pos = 0;
    while (pos + 8 <= init.length) {
      long size = boxSize(buf, pos);
      if (size < 8) {
        break;
      }
      if (type(buf, pos + 4).equals("moov")) {
        int trex = find(buf, pos, (int) (pos + size), "mvex", "trex");
        return trex < 0 ? 0 : Integer.toUnsignedLong(buf.getInt(trex + 8 + 4 + 4 + 4 + 4));
      }
      pos += (int) size;
    }
    return 0;
  }

  private static int headerSize(ByteBuffer buf, int p) {
    return Integer.toUnsignedLong(buf.getInt(p)) == 1 ? 16 : 8;
  }

  private static Fragment fragment(byte[] data, ByteBuffer buf, int moof, int end, long trexDuration) {
    int moofEnd = (int) (moof + boxSize(buf, moof));
    int tfhd = find(buf, moof, moofEnd, "traf", "tfhd");
    int tfdt = find(buf, moof, moofEnd, "traf", "tfdt");
    int trun = find(buf, moof, moofEnd, "traf", "trun");
    if (tfhd < 0 || tfdt < 0 || trun < 0) {
      throw new IllegalArgumentException("moof at byte " + moof + " lacks tfhd, tfdt or trun");
    }
    int tfhdFlags = buf.getInt(tfhd + 8) & 0xFFFFFF;
    int p = tfhd + 16;
    if ((tfhdFlags & 0x01) != 0) {
      p += 8; // base-data-offset
    }
    if ((tfhdFlags & 0x02) != 0) {
      p += 4; // sample-description-index
    }
    long defaultDuration = (tfhdFlags & 0x08) != 0 ? Integer.toUnsignedLong(buf.getInt(p)) : trexDuration;
    if ((tfhdFlags & 0x08) != 0) {
      p += 4;
    }
    if ((tfhdFlags & 0x10) != 0) {
      p += 4; // default-sample-size
    }
    int defaultFlags = (tfhdFlags & 0x20) != 0 ? buf.getInt(p) : 0;
    long decodeTime = buf.get(tfdt + 8) == 1 ? buf.getLong(tfdt + 12) : Integer.toUnsignedLong(buf.getInt(tfdt + 12));

    int trunFlags = buf.getInt(trun + 8) & 0xFFFFFF;
    int count = buf.getInt(trun + 12);
    int q = trun + 16;
    if ((trunFlags & 0x001) != 0) {
      q += 4; // data-offset
    }
    Integer firstFlags = null;
    if ((trunFlags & 0x004) != 0) {
      firstFlags = buf.getInt(q);
      q += 4;
    }
    long duration = 0;
    Integer firstSampleFlags = null;
    for (int i = 0; i < count; i++) {
      if ((trunFlags & 0x100) != 0) {
        duration += Integer.toUnsignedLong(buf.getInt(q));
        q += 4;
      } else {
        duration += defaultDuration;
      }
      if ((trunFlags & 0x200) != 0) {
        q += 4;
      }
      if ((trunFlags & 0x400) != 0) {
        if (i == 0) {
          firstSampleFlags = buf.getInt(q);
        }
        q += 4;
      }
      if ((trunFlags & 0x800) != 0) {
        q += 4;
      }
    }
    int flags = firstFlags != null ? firstFlags : firstSampleFlags != null ? firstSampleFlags : defaultFlags;
    boolean sync = (flags & 0x00010000) == 0; // sample_is_non_sync_sample clear
    byte[] bytes = java.util.Arrays.copyOfRange(data, moof, end);
    return new Fragment(bytes, decodeTime, duration, count, sync);
  }

  private static int readTimescale(ByteBuffer buf, int mdhd) {
    int version = buf.get(mdhd + 8);
    return buf.getInt(mdhd + 12 + (version == 1 ? 16 : 8));
  }

  /** The codec string of the first track's first sample entry. */
  private static String readCodecs(ByteBuffer buf, int moov, int moovEnd) {
    int stsd = find(buf, moov, moovEnd, "trak", "mdia", "minf", "stbl", "stsd");
    if (stsd < 0) {
      return null;
    }
    int entry = stsd + 16;
    String format = type(buf, entry + 4);
    int entryEnd = (int) (entry + boxSize(buf, entry));
    switch (format) {
      case "avc1", "avc3" -> {
        int avcC = findChild(buf, entry + 8 + 78, entryEnd, "avcC");
        if (avcC < 0) {
          return format;
        }
        return String.format("%s.%02x%02x%02x", format, buf.get(avcC + 9) & 0xFF, buf.get(avcC + 10) & 0xFF,
            buf.get(avcC + 11) & 0xFF);
      }
      case "av01" -> {
        int av1C = findChild(buf, entry + 8 + 78, entryEnd, "av1C");
        if (av1C < 0) {
          throw new IllegalArgumentException("av01 sample entry without av1C");
        }
        byte[] box = new byte[(int) boxSize(buf, av1C)];
        buf.get(av1C, box);
        return Av1Config.parse(box, 8, box.length).codecs();
      }
      case "mp4a" -> {
        int esds = findChild(buf, entry + 8 + 28, entryEnd, "esds");
        return esds < 0 ? "mp4a.40.2" : mp4aCodecs(buf, esds + 12, (int) (esds + boxSize(buf, esds)));
      }
      default -> {
        return format;
      }
    }
  }

  /** Walks the ES descriptor for objectTypeIndication and the AAC audio object type. */
  private static String mp4aCodecs(ByteBuffer buf, int p, int end) {
    int objectType = 0x40;
    int audioObjectType = 2;
    while (p < end) {
      int tag = buf.get(p++) & 0xFF;
      int len = 0;
      for (int i = 0; i < 4; i++) {
        int b = buf.get(p++) & 0xFF;
        len = (len << 7) | (b & 0x7F);
        if ((b & 0x80) == 0) {
          break;
        }
      }
      if (tag == 0x03) {
        int flags = buf.get(p + 2) & 0xFF;
        p += 3 + ((flags & 0x80) != 0 ? 2 : 0) + ((flags & 0x40) != 0 ? 1 + (buf.get(p + 3) & 0xFF) : 0)
            + ((flags & 0x20) != 0 ? 2 : 0);
      } else if (tag == 0x04) {
        objectType = buf.get(p) & 0xFF;
        p += 13;
      } else if (tag == 0x05) {
        audioObjectType = (buf.get(p) & 0xFF) >> 3;
        break;
      } else {
        p += len;
      }
    }
    return String.format("mp4a.%02x.%d", objectType, audioObjectType);
  }

  /** Offset of the box at {@code path} under the container [start, end) (start = its header). */
  static int find(ByteBuffer buf, int container, int end, String... path) {
    int p = container + 8;
    for (int depth = 0; depth < path.length; depth++) {
      int found = findChild(buf, p, end, path[depth]);
      if (found < 0) {
        return -1;
      }
      if (depth == path.length - 1) {
        return found;
      }
      end = (int) (found + boxSize(buf, found));
      p = found + 8;
    }
    return -1;
  }

  static int findChild(ByteBuffer buf, int p, int end, String type) {
    while (p + 8 <= end) {
      long size = boxSize(buf, p);
      if (size < 8) {
        return -1;
      }
      if (type(buf, p + 4).equals(type)) {
        return p;
      }
      p += (int) size;
    }
    return -1;
  }

  static long boxSize(ByteBuffer buf, int p) {
    long size = Integer.toUnsignedLong(buf.getInt(p));
    return size == 1 ? buf.getLong(p + 8) : size;
  }

  static String type(ByteBuffer buf, int p) {
    byte[] t = new byte[4];
    buf.get(p, t);
    return new String(t, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
