package io.caudal.transcode.core.mp4;

import java.util.Locale;

/**
 * What an AV1 track's {@code av1C} box (AV1 Codec ISO Media File Format Binding, section 2.3)
 * says, read from the sequence header OBU it carries, and the RFC 6381 codecs string of it:
 * {@code av01.P.LLT.DD[.M.CCC.cp.tc.mc.F]} (the binding's "Codecs Parameter String", annex A).
 * The optional fields, all or none, are written only when one differs from the binding's
 * defaults (not monochrome, 4:2:0 with unknown chroma position, BT.709, studio range).
 *
 * @param profile seq_profile (0 Main, 1 High, 2 Professional)
 * @param level seq_level_idx[0] (level X.Y is (X−2)·4+Y)
 * @param tier seq_tier[0] (0 Main, 1 High)
 * @param bitDepth 8, 10 or 12
 * @param monochrome mono_chrome
 * @param subsamplingX subsampling_x
 * @param subsamplingY subsampling_y
 * @param chromaSamplePosition chroma_sample_position (0 when not coded)
 * @param colorPrimaries from the colour description; 1 (BT.709, the binding's default) when it has none
 * @param transferCharacteristics likewise
 * @param matrixCoefficients likewise
 * @param fullRange color_range
 */
public record Av1Config(int profile, int level, int tier, int bitDepth, boolean monochrome, int subsamplingX,
    int subsamplingY, int chromaSamplePosition, int colorPrimaries, int transferCharacteristics,
    int matrixCoefficients, boolean fullRange) {

  /** OBU_SEQUENCE_HEADER. */
  private static final int SEQUENCE_HEADER = 1;

  /** The codecs string. */
  public String codecs() {
    String base = String.format(Locale.ROOT, "av01.%d.%02d%s.%02d", profile, level, tier == 0 ? "M" : "H", bitDepth);
    boolean defaults = !monochrome && subsamplingX == 1 && subsamplingY == 1 && chromaSamplePosition == 0
        && colorPrimaries == 1 && transferCharacteristics == 1 && matrixCoefficients == 1 && !fullRange;
    return defaults ? base : base + String.format(Locale.ROOT, ".%d.%d%d%d.%02d.%02d.%02d.%d", monochrome ? 1 : 0,
        subsamplingX, subsamplingY, chromaSamplePosition, colorPrimaries, transferCharacteristics,
        matrixCoefficients, fullRange ? 1 : 0);
  }

  /**
   * Reads the payload of an {@code av1C} box (after its 8-byte header): the four fixed bytes,
   * then the configOBUs, whose sequence header is parsed. The fixed bytes repeat the sequence
   * header's profile, level, tier and colour format; a box where they disagree is refused.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Av1Config parse(byte[] data, int start, int end) {
    if (end - start < 4) {
      throw new IllegalArgumentException("av1C is " + (end - start) + " bytes, shorter than its 4 fixed bytes");
    }
    int marker = data[start] & 0xFF;
    if (marker != 0x81) {
      throw new IllegalArgumentException(String.format("av1C marker/version byte is 0x%02x, not 0x81", marker));
    }
    int p = start + 4;
    while (p < end) {
      int header = data[p] & 0xFF;
      int type = (header >> 3) & 0xF;
      boolean extension = (header & 0x4) != 0;
      boolean hasSize = (header & 0x2) != 0;
      int q = p + 1 + (extension ? 1 : 0);
      long size;
      if (hasSize) {
        size = 0;
        for (int i = 0; ; i++) {
          if (q >= end || i == 8) {
            throw new IllegalArgumentException("av1C: an OBU's size runs past the box");
          }
          int b = data[q++] & 0xFF;
          size |= (long) (b & 0x7F) << (7 * i);
          if ((b & 0x80) == 0) {
            break;
          }
        }
      } else {
        size = end - q;
      }
      if (q + size > end) {
        throw new IllegalArgumentException("av1C: an OBU of " + size + " bytes runs past the box");
      }
      if (type == SEQUENCE_HEADER) {
        Av1Config config = sequenceHeader(data, q, (int) (q + size));
        checkFixedBytes(data, start, config);
        return config;
      }
      p = (int) (q + size);
    }
    throw new IllegalArgumentException("av1C holds no sequence header OBU");
  }

  private static void checkFixedBytes(byte[] data, int start, Av1Config c) {
    int b1 = data[start + 1] & 0xFF;
    int b2 = data[start + 2] & 0xFF;
    int profile = b1 >> 5;
    int level = b1 & 0x1F;
    int tier = b2 >> 7;
    int depth = (b2 & 0x40) == 0 ? 8 : (b2 & 0x20) != 0 ? 12 : 10;
    boolean mono = (b2 & 0x10) != 0;
    if (profile != c.profile || level != c.level || tier != c.tier || depth != c.bitDepth || mono != c.monochrome
        || ((b2 >> 3) & 1) != c.subsamplingX || ((b2 >> 2) & 1) != c.subsamplingY) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "av1C says profile %d level %d tier %d %d-bit, its sequence header %s", profile, level, tier, depth,
          c.codecs()));
    }
  }

  /** sequence_header_obu() of the AV1 specification (section 5.5), as far as color_config(). */
  static Av1Config sequenceHeader(byte[] data, int start, int end) {
    Bits r = new Bits(data, start, end);
    int profile = r.f(3);
    if (profile > 2) {
      throw new IllegalArgumentException("AV1 sequence header: seq_profile " + profile + " is reserved");
    }
    r.f(1); // still_picture
    boolean reduced = r.flag();
    int level;
    int tier = 0;
    if (reduced) {
      level = r.f(5);
    } else {
      boolean decoderModelInfo = false;
      int bufferDelayLength = 0;
      if (r.flag()) { // timing_info_present_flag
        r.f(32); // num_units_in_display_tick
        r.f(32); // time_scale
        if (r.flag()) { // equal_picture_interval
          r.uvlc(); // num_ticks_per_picture_minus_1
        }
        decoderModelInfo = r.flag();
        if (decoderModelInfo) {
          bufferDelayLength = r.f(5) + 1;
          r.f(32); // num_units_in_decoding_tick
          r.f(5); // buffer_removal_time_length_minus_1
          r.f(5); // frame_presentation_time_length_minus_1
        }
      }
      boolean initialDisplayDelay = r.flag();
      int operatingPoints = r.f(5) + 1;
      level = -1;
      for (int i = 0; i < operatingPoints; i++) {
        r.f(12); // operating_point_idc
        int opLevel = r.f(5);
        int opTier = opLevel > 7 ? r.f(1) : 0;
        if (i == 0) {
          level = opLevel;
          tier = opTier;
        }
        if (decoderModelInfo && r.flag()) { // decoder_model_present_for_this_op
          r.f(bufferDelayLength); // decoder_buffer_delay
          r.f(bufferDelayLength); // encoder_buffer_delay
          r.f(1); // low_delay_mode_flag
        }
        if (initialDisplayDelay && r.flag()) {
          r.f(4); // initial_display_delay_minus_1
        }
      }
    }
    int widthBits = r.f(4) + 1;
    int heightBits = r.f(4) + 1;
    r.f(widthBits);
    r.f(heightBits);
    if (!reduced && r.flag()) { // frame_id_numbers_present_flag
      r.f(4);
      r.f(3);
    }
    r.f(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
    if (!reduced) {
      r.f(4); // interintra_compound, masked_compound, warped_motion, dual_filter
      boolean orderHint = r.flag();
      if (orderHint) {
        r.f(2); // enable_jnt_comp, enable_ref_frame_mvs
      }
      int forceScreenContentTools = r.flag() ? 2 : r.f(1); // seq_choose_screen_content_tools
      if (forceScreenContentTools > 0 && !r.flag()) { // seq_choose_integer_mv
        r.f(1); // seq_force_integer_mv
      }
      if (orderHint) {
        r.f(3); // order_hint_bits_minus_1
      }
    }
    r.f(3); // enable_superres, enable_cdef, enable_restoration
    // color_config()
    boolean highBitDepth = r.flag();
    int bitDepth = profile == 2 && highBitDepth ? (r.flag() ? 12 : 10) : highBitDepth ? 10 : 8;
    boolean mono = profile != 1 && r.flag();
    int cp = 1;
    int tc = 1;
    int mc = 1;
    if (r.flag()) { // color_description_present_flag
      cp = r.f(8);
      tc = r.f(8);
      mc = r.f(8);
    }
    boolean fullRange;
    int sx;
    int sy;
    int position = 0;
    if (mono) {
      fullRange = r.flag();
      sx = 1;
      sy = 1;
    } else if (cp == 1 && tc == 13 && mc == 0) { // sRGB
      fullRange = true;
      sx = 0;
      sy = 0;
    } else {
      fullRange = r.flag();
      if (profile == 0) {
        sx = 1;
        sy = 1;
      } else if (profile == 1) {
        sx = 0;
        sy = 0;
      } else if (bitDepth == 12) {
        sx = r.f(1);
        sy = sx == 1 ? r.f(1) : 0;
      } else {
        sx = 1;
        sy = 0;
      }
      if (sx == 1 && sy == 1) {
        position = r.f(2);
      }
    }
    return new Av1Config(profile, level, tier, bitDepth, mono, sx, sy, position, cp, tc, mc, fullRange);
  }

  /** Reads bits most significant first, refusing to read past the OBU. */
  private static final class Bits {
    private final byte[] data;
    private final int end;
    private int pos;
    private int bit;

    Bits(byte[] data, int start, int end) {
      this.data = data;
      this.pos = start;
      this.end = end;
    }

    int f(int n) {
      long v = 0;
      for (int i = 0; i < n; i++) {
        if (pos >= end) {
          throw new IllegalArgumentException("AV1 sequence header ends before its color_config");
        }
        v = (v << 1) | ((data[pos] >> (7 - bit)) & 1);
        if (++bit == 8) {
          bit = 0;
          pos++;
        }
      }
      return (int) v;
    }

    boolean flag() {
      return f(1) == 1;
    }

    /** uvlc() of the specification: leading zeros, then that many bits. */
    long uvlc() {
      int zeros = 0;
      while (f(1) == 0) {
        if (++zeros >= 32) {
          throw new IllegalArgumentException("AV1 sequence header: uvlc() longer than 32 bits");
        }
      }
      return (1L << zeros) - 1 + Integer.toUnsignedLong(f(zeros));
    }
  }
}
