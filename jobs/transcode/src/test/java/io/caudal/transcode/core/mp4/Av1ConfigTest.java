package io.caudal.transcode.core.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The av01 codecs string from av1C boxes: one SVT-AV1 wrote, and sequence headers written here bit by bit. */
class Av1ConfigTest {
  /** The av1C payload SVT-AV1 (through FFmpeg's MP4 muxer) wrote for a 640×360 8-bit rung. */
  private static final String SVT_AV1_640X360 = "81010c000a0b0000000cc4ff6700be0010";

  @Test
  void readsWhatTheEncoderWrote() {
    byte[] av1C = HexFormat.of().parseHex(SVT_AV1_640X360);
    Av1Config config = Av1Config.parse(av1C, 0, av1C.length);
    assertThat(config.profile()).isZero();
    assertThat(config.level()).isEqualTo(1);
    assertThat(config.tier()).isZero();
    assertThat(config.bitDepth()).isEqualTo(8);
    assertThat(config.codecs()).isEqualTo("av01.0.01M.08");
  }

  @Test
  void eightBitMainTierWithoutColourDescriptionIsTheShortForm() {
    Header h = new Header();
    h.level = 8;
    assertThat(parse(h).codecs()).isEqualTo("av01.0.08M.08");
  }

  @Test
  void tenBitHighTierWithHdrColourWritesEveryOptionalField() {
    Header h = new Header();
    h.level = 12; // 5.0
    h.tier = 1;
    h.highBitDepth = true;
    h.colour = new int[] {9, 16, 9}; // BT.2020, PQ, BT.2020 non-constant
    h.chromaSamplePosition = 2;
    Av1Config c = parse(h);
    assertThat(c.bitDepth()).isEqualTo(10);
    assertThat(c.tier()).isEqualTo(1);
    assertThat(c.codecs()).isEqualTo("av01.0.12H.10.0.112.09.16.09.0");
  }

  @Test
  void walksTimingDecoderModelAndSeveralOperatingPoints() {
    Header h = new Header();
    h.level = 9;
    h.timing = true;
    h.operatingPoints = 3;
    h.fullRange = true;
    // Operating point 0's level and tier are the stream's; the later ones are skipped over.
    assertThat(parse(h).codecs()).isEqualTo("av01.0.09M.08.0.110.01.01.01.1");
  }

  @Test
  void professionalTwelveBitAndHighProfile444() {
    Header h = new Header();
    h.profile = 2;
    h.level = 13;
    h.highBitDepth = true;
    h.twelveBit = true;
    h.subsampling444 = true;
    assertThat(parse(h).codecs()).isEqualTo("av01.2.13M.12.0.000.01.01.01.0");
    Header high = new Header();
    high.profile = 1;
    high.level = 5;
    assertThat(parse(high).codecs()).isEqualTo("av01.1.05M.08.0.000.01.01.01.0");
  }

  @Test
  void reducedStillPictureHeader() {
    Header h = new Header();
    h.reduced = true;
    h.level = 4;
    assertThat(parse(h).codecs()).isEqualTo("av01.0.04M.08");
  }

  @Test
  void refusesABoxThatContradictsItsSequenceHeaderOrEndsEarly() {
    Header h = new Header();
    h.level = 8;
    byte[] box = h.av1C();
    box[1] = (byte) ((box[1] & 0xE0) | 9); // the fixed bytes now say level 9
    assertThatThrownBy(() -> Av1Config.parse(box, 0, box.length)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level 9").hasMessageContaining("av01.0.08M.08");
    byte[] whole = h.av1C();
    assertThatThrownBy(() -> Av1Config.parse(whole, 0, whole.length - 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs past the box");
    byte[] noHeader = {(byte) 0x81, 0, 0, 0};
    assertThatThrownBy(() -> Av1Config.parse(noHeader, 0, 4)).hasMessageContaining("no sequence header");
  }

  private static Av1Config parse(Header h) {
    byte[] box = h.av1C();
    return Av1Config.parse(box, 0, box.length);
  }

  /** A sequence header OBU written field by field as the AV1 specification's section 5.5 reads it. */
  private static final class Header {
    int profile;
    int level;
    int tier;
    boolean reduced;
    boolean timing;
    int operatingPoints = 1;
    boolean highBitDepth;
    boolean twelveBit;
    boolean subsampling444;
    int[] colour;
    boolean fullRange;
    int chromaSamplePosition;

    byte[] av1C() {
      Bits b = new Bits();
      b.put(3, profile);
      b.put(1, 0); // still_picture
      b.put(1, reduced ? 1 : 0);
      if (reduced) {
        b.put(5, level);
      } else {
        b.put(1, timing ? 1 : 0);
        if (timing) {
          b.put(32, 1001);
          b.put(32, 60000);
          b.put(1, 1); // equal_picture_interval
          b.put(2, 0); // uvlc: two leading zeros …
          b.put(3, 0b110); // … then 1 and two bits: num_ticks_per_picture_minus_1 = 5
          b.put(1, 1); // decoder_model_info_present_flag
          b.put(5, 9); // buffer_delay_length_minus_1 → 10-bit delays
          b.put(32, 1001);
          b.put(5, 31);
          b.put(5, 31);
        }
        b.put(1, 1); // initial_display_delay_present_flag
        b.put(5, operatingPoints - 1);
        for (int i = 0; i < operatingPoints; i++) {
          b.put(12, i == 0 ? 0 : 0x101);
          int opLevel = i == 0 ? level : 19; // later points: level 6.3, high tier
          b.put(5, opLevel);
          if (opLevel > 7) {
            b.put(1, i == 0 ? tier : 1);
          }
          if (timing) {
            b.put(1, 1); // decoder_model_present_for_this_op
            b.put(10, 300);
            b.put(10, 200);
            b.put(1, 0);
          }
          b.put(1, 1); // initial_display_delay_present_for_this_op
          b.put(4, 9);
        }
      }
      b.put(4, 10); // frame_width_bits_minus_1
      b.put(4, 10);
      b.put(11, 1919);
      b.put(11, 1079);
      if (!reduced) {
        b.put(1, 0); // frame_id_numbers_present_flag
      }
      b.put(3, 0b011);
      if (!reduced) {
        b.put(4, 0);
        b.put(1, 1); // enable_order_hint
        b.put(2, 0b11);
        b.put(1, 1); // seq_choose_screen_content_tools → force = 2
        b.put(1, 1); // seq_choose_integer_mv
        b.put(3, 6); // order_hint_bits_minus_1
      }
      b.put(3, 0b011);
      b.put(1, highBitDepth ? 1 : 0);
      if (profile == 2 && highBitDepth) {
        b.put(1, twelveBit ? 1 : 0);
      }
      if (profile != 1) {
        b.put(1, 0); // mono_chrome
      }
      b.put(1, colour == null ? 0 : 1);
      if (colour != null) {
        b.put(8, colour[0]);
        b.put(8, colour[1]);
        b.put(8, colour[2]);
      }
      b.put(1, fullRange ? 1 : 0);
      boolean sx = profile == 0 || (profile == 2 && !(twelveBit && subsampling444));
      boolean sy = profile == 0;
      if (profile == 2 && twelveBit) {
        b.put(1, subsampling444 ? 0 : 1);
        if (!subsampling444) {
          b.put(1, 1);
          sy = true;
        }
      }
      if (sx && sy) {
        b.put(2, chromaSamplePosition);
      }
      b.put(1, 0); // separate_uv_delta_q
      b.put(1, 0); // film_grain_params_present
      byte[] payload = b.bytes();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0x81);
      out.write(profile << 5 | level);
      int depth = highBitDepth ? 1 : 0;
      out.write(tier << 7 | depth << 6 | (twelveBit ? 1 : 0) << 5 | (sx ? 1 : 0) << 3 | (sy ? 1 : 0) << 2
          | (sx && sy ? chromaSamplePosition : 0));
      out.write(0);
      out.write(1 << 3 | 1 << 1); // OBU_SEQUENCE_HEADER with obu_has_size_field
      out.write(payload.length);
      out.writeBytes(payload);
      return out.toByteArray();
    }
  }

  private static final class Bits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    void put(int n, long value) {
      for (int i = n - 1; i >= 0; i--) {
        current = current << 1 | (int) ((value >> i) & 1);
        if (++used == 8) {
          out.write(current);
          current = 0;
          used = 0;
        }
      }
    }

    byte[] bytes() {
      if (used > 0) {
        put(8 - used, 1 << (7 - used)); // trailing bits: a one, then zeros
      }
      return out.toByteArray();
    }
  }
}
