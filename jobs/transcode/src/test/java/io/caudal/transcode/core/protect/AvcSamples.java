package io.caudal.transcode.core.protect;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Hand-made H.264: parameter sets, slice headers written bit by bit (so a test knows exactly how
 * long each header is), NAL units with emulation prevention, and length-prefixed samples.
 */
public final class AvcSamples {
  private AvcSamples() {}

  /** Writes bits and Exp-Golomb codes; counts the bits written. */
  public static final class Bits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;
    private int written;

    public Bits u(int bits, long value) {
      for (int i = bits - 1; i >= 0; i--) {
        current = (current << 1) | (int) ((value >> i) & 1);
        written++;
        if (++used == 8) {
          out.write(current);
          current = 0;
          used = 0;
        }
      }
      return this;
    }

    public Bits ue(long value) {
      long v = value + 1;
      int length = 64 - Long.numberOfLeadingZeros(v);
      return u(length - 1, 0).u(length, v);
    }

    public Bits se(long value) {
      return ue(value <= 0 ? -2 * value : 2 * value - 1);
    }

    public int bitsWritten() {
      return written;
    }

    /** The RBSP, ended with rbsp_stop_one_bit and zero padding. */
    public byte[] rbsp() {
      u(1, 1);
      while (used != 0) {
        u(1, 0);
      }
      return out.toByteArray();
    }
  }

  /** A NAL unit: its header byte and the escaped RBSP. */
  public static byte[] nal(int refIdc, int type, byte[] rbsp) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((refIdc << 5) | type);
    int zeros = 0;
    for (byte b : rbsp) {
      if (zeros >= 2 && (b & 0xFF) <= 3) {
        out.write(3);
        zeros = 0;
      }
      out.write(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return out.toByteArray();
  }

  /** A High profile SPS: 4-bit frame_num, POC type 0 with 6-bit LSBs, frame MBs only. */
  public static byte[] sps() {
    return nal(3, 7, new Bits().u(8, 100).u(8, 0).u(8, 30).ue(0)
        .ue(1).ue(0).ue(0).u(1, 0).u(1, 0) // 4:2:0, 8 bit, no scaling matrices
        .ue(0).ue(0).ue(2) // log2_max_frame_num 4, POC type 0, log2_max_poc_lsb 6
        .ue(3).u(1, 0).ue(39).ue(22).u(1, 1).u(1, 1).u(1, 0).u(1, 0).rbsp());
  }

  /** A CABAC PPS with deblocking control, one default reference in each list. */
  public static byte[] pps() {
    return nal(3, 8, new Bits().ue(0).ue(0).u(1, 1).u(1, 0).ue(0).ue(0).ue(0).u(1, 0).u(2, 0)
        .se(0).se(0).se(0).u(1, 1).u(1, 0).u(1, 0).rbsp());
  }

  /** The avcC payload for {@link #sps()} and {@link #pps()}, 4-byte NAL lengths. */
  public static byte[] avcC() {
    byte[] sps = sps();
    byte[] pps = pps();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {1, 100, 0, 30, (byte) 0xFF, (byte) 0xE1});
    out.write(sps.length >> 8);
    out.write(sps.length);
    out.writeBytes(sps);
    out.write(1);
    out.write(pps.length >> 8);
    out.write(pps.length);
    out.writeBytes(pps);
    return out.toByteArray();
  }

  /** A slice: header bits from {@code header}, then {@code dataBytes} of slice data (never 0, so no escapes). */
  public static Slice slice(int refIdc, int type, Consumer<Bits> header, int dataBytes) {
    Bits bits = new Bits();
    header.accept(bits);
    int headerBits = bits.bitsWritten();
    while (bits.bitsWritten() % 8 != 0) {
      bits.u(1, 1); // cabac_alignment_one_bit
    }
    for (int i = 0; i < dataBytes; i++) {
      bits.u(8, 0x11 + i % 200);
    }
    byte[] rbsp = bits.out.toByteArray();
    byte[] nal = nal(refIdc, type, rbsp);
    byte[] headerOnly = nal(refIdc, type, java.util.Arrays.copyOf(rbsp, (headerBits + 7) / 8));
    return new Slice(nal, headerOnly.length);
  }

  /** @param headerBytes NAL header plus slice header, as escaped in {@code nal} */
  public record Slice(byte[] nal, int headerBytes) {}

  /** An IDR I slice: 30 bits of header. */
  public static Slice idr(int dataBytes) {
    return slice(3, 5, b -> b.ue(0).ue(7).ue(0).u(4, 0).ue(0).u(6, 0).u(1, 0).u(1, 0).se(-3).ue(0).se(0).se(0),
        dataBytes);
  }

  /** A P slice with a reference count override, a list modification, an MMCO and cabac_init_idc. */
  public static Slice pSlice(int dataBytes) {
    return slice(2, 1, b -> b.ue(0).ue(5).ue(0).u(4, 1).u(6, 2)
        .u(1, 1).ue(2) // num_ref_idx_active_override: 3 references
        .u(1, 1).ue(0).ue(4).ue(3) // ref_pic_list_modification_l0
        .u(1, 1).ue(1).ue(0).ue(0) // adaptive marking: one MMCO 1, then end
        .ue(1).se(2).ue(1), dataBytes);
  }

  /** An I slice starting at macroblock 2^22 - 1, whose zero bits make the writer escape 00 00 0x. */
  public static Slice escapedSlice(int dataBytes) {
    return slice(0, 1, b -> b.ue((1 << 22) - 1).ue(2).ue(0).u(4, 0).u(6, 0).se(0).ue(1), dataBytes);
  }

  /** NAL units with 4-byte length prefixes, one after another. */
  public static byte[] sample(byte[]... nals) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] nal : nals) {
      out.write(nal.length >>> 24);
      out.write(nal.length >>> 16);
      out.write(nal.length >>> 8);
      out.write(nal.length);
      out.writeBytes(nal);
    }
    return out.toByteArray();
  }
}
