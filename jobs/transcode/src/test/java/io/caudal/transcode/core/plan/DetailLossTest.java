package io.caudal.transcode.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The detail-loss measure against libvmaf's: the expected values are libvmaf's {@code float_adm2}
 * for the same pictures (made here, written to Y4M with grey chroma, and measured by the FFmpeg 9.0.2
 * build with libvmaf that the PyPI package imageio-ffmpeg 0.8.1 ships).
 */
class DetailLossTest {
  static final int W = 640;
  static final int H = 360;

  /** A picture with smooth shading, hard edges and fine texture, all from a fixed seed. */
  static byte[] picture() {
    Random random = new Random(13);
    byte[] p = new byte[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        double v = 60 + 80.0 * x / W + 40 * Math.sin(y / 23.0);
        if ((x / 80 + y / 60) % 2 == 0) {
          v += 50;
        }
        if (x > 400 && y > 200) {
          v += 25 * Math.sin(x * 0.9) * Math.cos(y * 0.7); // fine texture
        }
        v += random.nextGaussian() * 3;
        p[y * W + x] = (byte) clamp(v);
      }
    }
    return p;
  }

  /** The picture averaged over a (2r+1)² box: detail lost, nothing added. */
  static byte[] blurred(byte[] p, int r) {
    byte[] out = new byte[p.length];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int sum = 0;
        int n = 0;
        for (int dy = -r; dy <= r; dy++) {
          for (int dx = -r; dx <= r; dx++) {
            int yy = Math.min(H - 1, Math.max(0, y + dy));
            int xx = Math.min(W - 1, Math.max(0, x + dx));
            sum += p[yy * W + xx] & 0xff;
            n++;
          }
        }
        out[y * W + x] = (byte) Math.round((float) sum / n);
      }
    }
    return out;
  }

  /** The picture in 8x8 blocks flattened to their mean, as a starved encoder leaves it. */
  static byte[] blocky(byte[] p) {
    byte[] out = new byte[p.length];
    for (int by = 0; by < H; by += 8) {
      for (int bx = 0; bx < W; bx += 8) {
        int sum = 0;
        for (int y = by; y < by + 8; y++) {
          for (int x = bx; x < bx + 8; x++) {
            sum += p[y * W + x] & 0xff;
          }
        }
        for (int y = by; y < by + 8; y++) {
          for (int x = bx; x < bx + 8; x++) {
            out[y * W + x] = (byte) Math.round(sum / 64f);
          }
        }
      }
    }
    return out;
  }

  /** The picture with noise added: detail kept, impairment added. */
  static byte[] noisy(byte[] p) {
    Random random = new Random(29);
    byte[] out = new byte[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = (byte) clamp((p[i] & 0xff) + random.nextGaussian() * 12);
    }
    return out;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static double adm(byte[] distorted) {
    return DetailLoss.of(picture(), distorted, W, H, W);
  }

  @Test
  void anUntouchedPictureKeepsAllItsDetail() {
    assertThat(adm(picture())).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void agreesWithLibvmafOnLostDetail() {
    assertThat(adm(blurred(picture(), 1))).isCloseTo(LIBVMAF_BLUR_1, within(2e-6));
    assertThat(adm(blurred(picture(), 3))).isCloseTo(LIBVMAF_BLUR_3, within(2e-6));
    assertThat(adm(blocky(picture()))).isCloseTo(LIBVMAF_BLOCKY, within(2e-6));
  }

  @Test
  void agreesWithLibvmafOnAddedNoise() {
    assertThat(adm(noisy(picture()))).isCloseTo(LIBVMAF_NOISY, within(2e-6));
  }

  @Test
  void moreBlurLosesMoreDetail() {
    assertThat(adm(blurred(picture(), 3))).isLessThan(adm(blurred(picture(), 1)));
  }

  static final double LIBVMAF_BLUR_1 = 0.902995;
  static final double LIBVMAF_BLUR_3 = 0.738674;
  static final double LIBVMAF_BLOCKY = 0.832695;
  static final double LIBVMAF_NOISY = 0.916012;
}
