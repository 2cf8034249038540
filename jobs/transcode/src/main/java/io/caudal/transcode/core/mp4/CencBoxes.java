package io.caudal.transcode.core.mp4;

import io.caudal.schemas.ProtectionScheme;
import io.caudal.transcode.core.protect.AvcSliceHeaders;
import io.caudal.transcode.core.protect.EncryptedSample;
import io.caudal.transcode.core.protect.SampleEncryptor;
import io.caudal.transcode.core.protect.Subsample;
import io.caudal.transcode.core.protect.TrackKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The ISO/IEC 23001-7 (Common Encryption) boxes of a protected track, written into the init and
 * media segments {@link Fmp4} cut: the sample entry becomes {@code encv}/{@code enca} with a
 * {@code sinf} (frma, schm, schi/tenc) and the moov gets a {@code pssh} for the W3C Common system;
 * each traf gets {@code senc}, {@code saiz} and {@code saio}, its samples encrypted in place.
 */
public final class CencBoxes {
  /** W3C "Common" PSSH system (https://www.w3.org/TR/eme-initdata-cenc/). */
  public static final String COMMON_SYSTEM_ID = "1077efecc0b24d02ace33c1e52e2fb4b";
  /** schm scheme_version 1.0. */
  static final int SCHEME_VERSION = 0x00010000;
  static final int SENC_USE_SUBSAMPLES = 0x2;

  private CencBoxes() {}

  /** The avcC payload (AVCDecoderConfigurationRecord) of an init segment's video track, or null. */
  public static byte[] avcC(byte[] init) {
    ByteBuffer buf = ByteBuffer.wrap(init);
    int entry = sampleEntry(buf, init.length);
    if (entry < 0 || !Fmp4.type(buf, entry + 4).matches("avc[13]|encv")) {
      return null;
    }
    int avcC = Fmp4.findChild(buf, entry + 8 + 78, (int) (entry + Fmp4.boxSize(buf, entry)), "avcC");
    return avcC < 0 ? null : Arrays.copyOfRange(init, avcC + 8, (int) (avcC + Fmp4.boxSize(buf, avcC)));
  }

  /** The slice header reader for an init segment's video track; null when it has no avcC. */
  public static AvcSliceHeaders sliceHeaders(byte[] init) {
    byte[] avcC = avcC(init);
    return avcC == null ? null : AvcSliceHeaders.fromAvcC(avcC);
  }

  /** The init segment of the protected track: encv/enca with sinf, and a pssh in the moov. */
  public static byte[] protectInit(byte[] init, TrackKey key) {
    ByteBuffer buf = ByteBuffer.wrap(init);
    int moov = topLevel(buf, init.length, "moov");
    int entry = sampleEntry(buf, init.length);
    if (moov < 0 || entry < 0) {
      throw new IllegalArgumentException("init segment has no moov with a sample entry");
    }
    String format = Fmp4.type(buf, entry + 4);
    String protectedFormat = switch (format) {
      case "avc1", "avc3" -> "encv";
      case "mp4a" -> "enca";
      default -> throw new IllegalArgumentException("cannot protect a '" + format + "' track");
    };
    boolean video = protectedFormat.equals("encv");
    int[] chain = {moov, Fmp4.find(buf, moov, end(buf, moov), "trak"),
        Fmp4.find(buf, moov, end(buf, moov), "trak", "mdia"),
        Fmp4.find(buf, moov, end(buf, moov), "trak", "mdia", "minf"),
        Fmp4.find(buf, moov, end(buf, moov), "trak", "mdia", "minf", "stbl"),
        Fmp4.find(buf, moov, end(buf, moov), "trak", "mdia", "minf", "stbl", "stsd"), entry};
    byte[] sinf = box("sinf", box("frma", format.getBytes(StandardCharsets.ISO_8859_1)),
        fullBox("schm", 0, 0, ByteBuffer.allocate(8).put(fourcc(key.scheme() == ProtectionScheme.CBCS ? "cbcs" : "cenc"))
            .putInt(SCHEME_VERSION).array()),
        box("schi", tenc(key, video)));
    byte[] out = insert(init, end(buf, entry), sinf, chain);
    System.arraycopy(fourcc(protectedFormat), 0, out, entry + 4, 4);
    ByteBuffer outBuf = ByteBuffer.wrap(out);
    return insert(out, end(outBuf, moov), pssh(List.of(key.kid())), moov);
  }

  /** A pssh version 1 of the W3C Common system listing {@code kids}, with no data. */
  public static byte[] pssh(List<byte[]> kids) {
    ByteBuffer body = ByteBuffer.allocate(16 + 4 + 16 * kids.size() + 4);
    body.put(HexFormat.of().parseHex(COMMON_SYSTEM_ID)).putInt(kids.size());
    kids.forEach(body::put);
    body.putInt(0);
    return fullBox("pssh", 1, 0, body.array());
  }

  private static byte[] tenc(TrackKey key, boolean video) {
    if (key.scheme() == ProtectionScheme.CBCS) {
      // Version 1 carries the pattern: 1:9 on video; audio is whole-block, unpatterned (0:0).
      int pattern = video ? (SampleEncryptor.CRYPT_BLOCKS << 4) | SampleEncryptor.SKIP_BLOCKS : 0;
      ByteBuffer b = ByteBuffer.allocate(4 + 16 + 1 + 16);
      b.put((byte) 0).put((byte) pattern).put((byte) 1).put((byte) 0).put(key.kid())
          .put((byte) 16).put(key.constantIv());
      return fullBox("tenc", 1, 0, b.array());
    }
    ByteBuffer b = ByteBuffer.allocate(4 + 16);
    b.put((byte) 0).put((byte) 0).put((byte) 1).put((byte) 8).put(key.kid());
    return fullBox("tenc", 0, 0, b.array());
  }

  /**
   * A copy of one moof+mdat with its samples encrypted and senc, saiz and saio appended to its
   * traf (unless every sample's entry would be empty); the trun's data offset moves by the bytes
   * added, so it still points at the mdat.
   */
  public static byte[] protectFragment(byte[] fragment, SampleEncryptor encryptor) {
    byte[] data = fragment.clone();
    ByteBuffer buf = ByteBuffer.wrap(data);
    if (!Fmp4.type(buf, 4).equals("moof")) {
      throw new IllegalArgumentException("a fragment starts with a moof");
    }
    int moofEnd = end(buf, 0);
    int traf = Fmp4.find(buf, 0, moofEnd, "traf");
    int tfhd = Fmp4.find(buf, 0, moofEnd, "traf", "tfhd");
    int trun = Fmp4.find(buf, 0, moofEnd, "traf", "trun");
    if (traf < 0 || tfhd < 0 || trun < 0) {
      throw new IllegalArgumentException("moof lacks traf, tfhd or trun");
    }
    int tfhdFlags = buf.getInt(tfhd + 8) & 0xFFFFFF;
    if ((tfhdFlags & 0x01) != 0 || (tfhdFlags & 0x020000) == 0) {
      throw new IllegalArgumentException("only fragments whose offsets count from their moof can be protected");
    }
    int p = tfhd + 16 + ((tfhdFlags & 0x02) != 0 ? 4 : 0) + ((tfhdFlags & 0x08) != 0 ? 4 : 0);
    int defaultSize = (tfhdFlags & 0x10) != 0 ? buf.getInt(p) : 0;
    int trunFlags = buf.getInt(trun + 8) & 0xFFFFFF;
    int count = buf.getInt(trun + 12);
    if ((trunFlags & 0x001) == 0) {
      throw new IllegalArgumentException("trun has no data offset");
    }
    int dataOffsetAt = trun + 16;
    int q = dataOffsetAt + 4 + ((trunFlags & 0x004) != 0 ? 4 : 0);
    int sampleAt = buf.getInt(dataOffsetAt);
    List<EncryptedSample> samples = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      q += (trunFlags & 0x100) != 0 ? 4 : 0;
      int size = defaultSize;
      if ((trunFlags & 0x200) != 0) {
        size = buf.getInt(q);
        q += 4;
      }
      q += ((trunFlags & 0x400) != 0 ? 4 : 0) + ((trunFlags & 0x800) != 0 ? 4 : 0);
      if (sampleAt + (long) size > data.length) {
        throw new IllegalArgumentException("sample " + i + " runs past the fragment");
      }
      samples.add(encryptor.encrypt(data, sampleAt, size));
      sampleAt += size;
    }
    if (samples.stream().allMatch(sample -> sample.auxInfoSize(encryptor.usesSubsamples()) == 0)) {
      // Constant IV and whole samples (cbcs audio): the sample auxiliary information is empty, and
      // ISO/IEC 23001-7 has it omitted; a saiz of default size 0 would promise a table of sizes
      // that is not there, which browsers' parsers refuse.
      return data;
    }
    int trafEnd = end(buf, traf);
    byte[] senc = senc(samples, encryptor.usesSubsamples());
    byte[] saiz = saiz(samples, encryptor.usesSubsamples());
    // saio: from the moof's first byte to the first senc entry (after senc's header and sample_count).
    byte[] saio = fullBox("saio", 0, 0, ByteBuffer.allocate(8).putInt(1).putInt(trafEnd + 16).array());
    byte[] added = concat(senc, saiz, saio);
    byte[] out = insert(data, trafEnd, added, 0, traf);
    ByteBuffer.wrap(out).putInt(dataOffsetAt, buf.getInt(dataOffsetAt) + added.length);
    return out;
  }

  static byte[] senc(List<EncryptedSample> samples, boolean subsamples) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeInt(body, samples.size());
    for (EncryptedSample s : samples) {
      body.writeBytes(s.iv());
      if (subsamples) {
        body.write(s.subsamples().size() >> 8);
        body.write(s.subsamples().size());
        for (Subsample sub : s.subsamples()) {
          body.write(sub.clearBytes() >> 8);
          body.write(sub.clearBytes());
          writeInt(body, (int) sub.protectedBytes());
        }
      }
    }
    return fullBox("senc", 0, subsamples ? SENC_USE_SUBSAMPLES : 0, body.toByteArray());
  }

  static byte[] saiz(List<EncryptedSample> samples, boolean subsamples) {
    int[] sizes = samples.stream().mapToInt(s -> s.auxInfoSize(subsamples)).toArray();
    boolean same = Arrays.stream(sizes).distinct().count() <= 1;
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + (same ? 0 : sizes.length));
    b.put((byte) (same && sizes.length > 0 ? sizes[0] : 0)).putInt(sizes.length);
    if (!same) {
      for (int size : sizes) {
        if (size > 255) {
          throw new IllegalArgumentException("a senc entry of " + size + " bytes (too many subsamples) does not fit"
              + " saiz's one byte");
        }
        b.put((byte) size);
      }
    }
    return fullBox("saiz", 0, 0, b.array());
  }

  private static int sampleEntry(ByteBuffer buf, int length) {
    int moov = topLevel(buf, length, "moov");
    if (moov < 0) {
      return -1;
    }
    int stsd = Fmp4.find(buf, moov, end(buf, moov), "trak", "mdia", "minf", "stbl", "stsd");
    return stsd < 0 ? -1 : stsd + 16;
  }

  private static int topLevel(ByteBuffer buf, int length, String type) {
    return Fmp4.findChild(buf, 0, length, type);
  }

  private static int end(ByteBuffer buf, int box) {
    return (int) (box + Fmp4.boxSize(buf, box));
  }

  /** {@code data} with {@code insert} at {@code at}, each box at {@code containers} grown by its length. */
  private static byte[] insert(byte[] data, int at, byte[] insert, int... containers) {
    byte[] out = new byte[data.length + insert.length];
    System.arraycopy(data, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(data, at, out, at + insert.length, data.length - at);
    ByteBuffer b = ByteBuffer.wrap(out);
    for (int c : containers) {
      long size = Integer.toUnsignedLong(b.getInt(c));
      if (size == 1) {
        throw new IllegalArgumentException("64-bit box sizes are not rewritten");
      }
      b.putInt(c, (int) (size + insert.length));
    }
    return out;
  }

  static byte[] box(String type, byte[]... children) {
    byte[] body = concat(children);
    return ByteBuffer.allocate(8 + body.length).putInt(8 + body.length).put(fourcc(type)).put(body).array();
  }

  static byte[] fullBox(String type, int version, int flags, byte[] body) {
    return ByteBuffer.allocate(12 + body.length).putInt(12 + body.length).put(fourcc(type))
        .putInt((version << 24) | flags).put(body).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static byte[] fourcc(String type) {
    return type.getBytes(StandardCharsets.ISO_8859_1);
  }
}
