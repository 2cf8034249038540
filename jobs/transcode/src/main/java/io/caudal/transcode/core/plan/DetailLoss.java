package io.caudal.transcode.core.plan;

/**
 * The detail-loss measure of VMAF ("ADM2", Li et al., "Image quality assessment by separately
 * evaluating detail losses and additive impairments", 2011): how much of the reference's visible
 * detail survives in the distorted picture, 1 when all of it does. VMAF leans on it more than on
 * anything else, and unlike SSIM it sees that an upscaled smaller picture lost only what a viewer
 * would notice, which is why the job's quality measure is built on it (see {@link QualityScale}).
 *
 * <p>Both luma planes go through four levels of a Daubechies-2 wavelet transform. At each level
 * the distorted picture's detail bands are split into the reference's detail it restores (the
 * reference scaled by a gain in [0, 1], or the distorted value itself where both point the same
 * way within a degree) and the additive impairment (the rest). The restored detail, weighted by
 * the eye's contrast sensitivity at that level (Watson et al. 1997, for a viewer three picture
 * heights from a 1080-line display) and reduced by what the impairment around it masks, is pooled
 * by a cubic mean over the picture without its outer tenth; so is the reference's own weighted
 * detail. The measure is the ratio of the two sums over the levels.
 *
 * <p>Checked against libvmaf's floating-point {@code float_adm} feature in {@code DetailLossTest}.
 */
public final class DetailLoss {
  private static final int LEVELS = 4;
  private static final double BORDER = 0.1;
  /** Most a restored coefficient may exceed the reference's where the two agree in direction. */
  private static final float GAIN_LIMIT = 100f;
  private static final float COS_1_DEGREE_SQUARED = (float) (Math.cos(Math.PI / 180) * Math.cos(Math.PI / 180));
  private static final float[] LOW = {0.482962913144690f, 0.836516303737469f, 0.224143868041857f, -0.129409522550921f};
  private static final float[] HIGH = {-0.129409522550921f, -0.224143868041857f, 0.836516303737469f, -0.482962913144690f};

  private DetailLoss() {}

  /**
   * A reference picture's transform and its own pooled detail, made once and compared with any
   * number of distorted pictures (every rung of a chunk is measured against the same source frame).
   */
  public static final class Reference {
    private final int width;
    private final int height;
    private final Bands[] levels;
    private final double detail;

    private Reference(float[] plane, int width, int height) {
      this.width = width;
      this.height = height;
      this.levels = levels(plane, width, height);
      double sum = 0;
      for (int level = 0; level < LEVELS; level++) {
        sum += referenceDetail(levels[level], sensitivities(level));
      }
      this.detail = sum;
    }

    public int width() {
      return width;
    }

    public int height() {
      return height;
    }
  }

  /** A reference luma plane, {@code width × height} 8-bit samples in rows {@code stride} bytes apart. */
  public static Reference reference(byte[] plane, int width, int height, int stride) {
    return new Reference(toFloat(plane, width, height, stride), width, height);
  }

  /** The measure of a distorted luma plane of the reference's size ({@code stride} bytes a row). */
  public static double of(Reference reference, byte[] distorted, int stride) {
    int width = reference.width;
    int height = reference.height;
    Bands[] levels = levels(toFloat(distorted, width, height, stride), width, height);
    double restored = 0;
    for (int level = 0; level < LEVELS; level++) {
      restored += restoredDetail(reference.levels[level], levels[level], sensitivities(level));
    }
    double limit = 1e-10 * width * height / (1920.0 * 1080.0);
    return reference.detail < limit ? 1.0 : (restored < limit ? 0 : restored) / reference.detail;
  }

  /** The measure of a distorted luma plane against its reference, both laid out alike. */
  public static double of(byte[] reference, byte[] distorted, int width, int height, int stride) {
    return of(reference(reference, width, height, stride), distorted, stride);
  }

  /** The detail bands of every level of the transform of a plane. */
  private static Bands[] levels(float[] plane, int width, int height) {
    Bands[] levels = new Bands[LEVELS];
    float[] samples = plane;
    int w = width;
    int h = height;
    for (int level = 0; level < LEVELS; level++) {
      Bands bands = Bands.of(samples, w, h);
      samples = bands.approximation;
      w = bands.width;
      h = bands.height;
      levels[level] = bands.withoutApproximation();
    }
    return levels;
  }

  private static float[] sensitivities(int level) {
    return new float[] {sensitivity(level, 1), sensitivity(level, 1), sensitivity(level, 2)};
  }

  /** Luma samples as floats centred on zero, as VMAF's floating-point features read them. */
  private static float[] toFloat(byte[] plane, int width, int height, int stride) {
    if (plane.length < (long) (height - 1) * stride + width) {
      throw new IllegalArgumentException("a plane of " + plane.length + " bytes holds no " + width + "x" + height
          + " picture " + stride + " bytes a row");
    }
    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out[y * width + x] = (plane[y * stride + x] & 0xff) - 128f;
      }
    }
    return out;
  }

  /** One level of the transform: the approximation for the next level and the three detail bands. */
  private record Bands(float[] approximation, float[][] detail, int width, int height) {
    Bands withoutApproximation() {
      return new Bands(null, detail, width, height);
    }

    /**
     * Horizontal, vertical and diagonal detail, in that order: only where the measure reads them
     * (the pooled region and one sample around it), while the approximation, which the next
     * level transforms, is made everywhere.
     */
    static Bands of(float[] src, int w, int h) {
      int ow = (w + 1) / 2;
      int oh = (h + 1) / 2;
      int firstRow = Math.max(0, pooledStart(oh) - 1);
      int endRow = Math.min(oh, oh - pooledStart(oh) + 1);
      int firstColumn = Math.max(0, pooledStart(ow) - 1);
      int endColumn = Math.min(ow, ow - pooledStart(ow) + 1);
      float[] a = new float[ow * oh];
      float[] horizontal = new float[ow * oh];
      float[] vertical = new float[ow * oh];
      float[] diagonal = new float[ow * oh];
      float[] lo = new float[w];
      float[] hi = new float[w];
      int[][] xs = taps(w);
      int[][] ys = taps(h);
      for (int i = 0; i < oh; i++) {
        int r0 = ys[i][0] * w;
        int r1 = ys[i][1] * w;
        int r2 = ys[i][2] * w;
        int r3 = ys[i][3] * w;
        boolean detailRow = i >= firstRow && i < endRow;
        for (int j = 0; j < w; j++) {
          float s0 = src[r0 + j];
          float s1 = src[r1 + j];
          float s2 = src[r2 + j];
          float s3 = src[r3 + j];
          lo[j] = LOW[0] * s0 + LOW[1] * s1 + LOW[2] * s2 + LOW[3] * s3;
          if (detailRow) {
            hi[j] = HIGH[0] * s0 + HIGH[1] * s1 + HIGH[2] * s2 + HIGH[3] * s3;
          }
        }
        for (int j = 0; j < ow; j++) {
          int[] t = xs[j];
          int o = i * ow + j;
          a[o] = filter(LOW, lo, t);
          if (detailRow && j >= firstColumn && j < endColumn) {
            vertical[o] = filter(HIGH, lo, t);
            horizontal[o] = filter(LOW, hi, t);
            diagonal[o] = filter(HIGH, hi, t);
          }
        }
      }
      return new Bands(a, new float[][] {horizontal, vertical, diagonal}, ow, oh);
    }

    private static float filter(float[] f, float[] line, int[] t) {
      return f[0] * line[t[0]] + f[1] * line[t[1]] + f[2] * line[t[2]] + f[3] * line[t[3]];
    }

    /** For each output sample, the four input samples at 2i-1 .. 2i+2, mirrored at the edges. */
    private static int[][] taps(int n) {
      int[][] taps = new int[(n + 1) / 2][4];
      for (int i = 0; i < taps.length; i++) {
        for (int k = 0; k < 4; k++) {
          int at = 2 * i - 1 + k;
          taps[i][k] = at < 0 ? -at : at >= n ? 2 * n - at - 1 : at;
        }
      }
      return taps;
    }
  }

  /**
   * The eye's sensitivity to a wavelet level's detail: the reciprocal of Watson's visibility
   * threshold for luma (formula 9 and tables IV and V of "Visibility of wavelet quantization
   * noise"), at three display heights from a 1080-line display. Orientation 1 is horizontal or
   * vertical, 2 diagonal.
   */
  static float sensitivity(int level, int orientation) {
    double a = 0.495;
    double k = 0.466;
    double f0 = 0.401;
    double[] g = {1.501, 1.0, 0.534, 1.0};
    double[][] amplitude = {
        {0.62171, 0.67234, 0.72709, 0.67234},
        {0.34537, 0.41317, 0.49428, 0.41317},
        {0.18004, 0.22727, 0.28688, 0.22727},
        {0.091401, 0.11792, 0.15214, 0.11792}};
    double pixelsPerDegree = 3.0 * 1080 * Math.PI / 180.0;
    double t = Math.log10(Math.pow(2.0, level + 1) * f0 * g[orientation] / pixelsPerDegree);
    double threshold = 2.0 * a * Math.pow(10.0, k * t * t) / amplitude[level][orientation];
    return (float) (1.0 / threshold);
  }

  /** The pooled part of the reference's detail the distorted picture restores, masked by its impairment. */
  private static double restoredDetail(Bands ref, Bands dis, float[] sensitivity) {
    int w = ref.width;
    int h = ref.height;
    int n = w * h;
    float[][] restored = new float[3][n]; // weighted, as magnitudes
    float[] impairment = new float[n]; // weighted magnitudes of the three bands, summed
    int left = pooledStart(w);
    int top = pooledStart(h);
    int right = w - left;
    int bottom = h - top;
    // The pooled region and the neighbours its masking reads.
    for (int i = Math.max(0, top - 1); i < Math.min(h, bottom + 1); i++) {
      decoupleRow(ref.detail, dis.detail, i * w + Math.max(0, left - 1), i * w + Math.min(w, right + 1), sensitivity,
          restored, impairment);
    }
    // The impairment around a sample masks it: its 3x3 neighbourhood, the centre counted twice.
    double[] cubes = new double[3];
    for (int i = top; i < bottom; i++) {
      int above = mirror(i - 1, h) * w;
      int row = i * w;
      int below = mirror(i + 1, h) * w;
      for (int j = left; j < right; j++) {
        int l = mirror(j - 1, w);
        int r = mirror(j + 1, w);
        float mask = (impairment[above + l] + impairment[above + j] + impairment[above + r]
            + impairment[row + l] + 2 * impairment[row + j] + impairment[row + r]
            + impairment[below + l] + impairment[below + j] + impairment[below + r]) / 30f;
        for (int b = 0; b < 3; b++) {
          float visible = Math.max(0f, restored[b][row + j] - mask);
          cubes[b] += (double) visible * visible * visible;
        }
      }
    }
    double sum = 0;
    for (double c : cubes) {
      sum += Math.cbrt(c) + noiseFloor(right - left, bottom - top);
    }
    return sum;
  }

  /**
   * Splits the distorted samples {@code from..to} of each detail band into the reference's detail
   * they restore (written to {@code restored}, weighted, as magnitudes) and the impairment they add
   * (its weighted magnitude over the three bands, written to {@code impairment}).
   */
  private static void decoupleRow(float[][] ref, float[][] dis, int from, int to, float[] sensitivity,
      float[][] restored, float[] impairment) {
    float[] rh = ref[0];
    float[] rv = ref[1];
    float[] rd = ref[2];
    float[] dh = dis[0];
    float[] dv = dis[1];
    float[] dd = dis[2];
    float sh = sensitivity[0];
    float sv = sensitivity[1];
    float sd = sensitivity[2];
    for (int o = from; o < to; o++) {
      float oh = rh[o];
      float ov = rv[o];
      float th = dh[o];
      float tv = dv[o];
      float dot = oh * th + ov * tv;
      // Within a degree of the reference's direction, the distortion counts as restored detail.
      boolean sameDirection = dot >= 0 && dot * dot >= COS_1_DEGREE_SQUARED * (oh * oh + ov * ov) * (th * th + tv * tv);
      float kh = kept(oh, th, sameDirection);
      float kv = kept(ov, tv, sameDirection);
      float kd = kept(rd[o], dd[o], sameDirection);
      restored[0][o] = Math.abs(sh * kh);
      restored[1][o] = Math.abs(sv * kv);
      restored[2][o] = Math.abs(sd * kd);
      impairment[o] = Math.abs(sh * (th - kh)) + Math.abs(sv * (tv - kv)) + Math.abs(sd * (dd[o] - kd));
    }
  }

  /**
   * The part of a distorted coefficient that restores the reference's: the reference scaled by the
   * distorted one's gain on it, held to [0, 1] (nothing where the two differ in sign); where both
   * bands point the same way, up to the distorted coefficient itself.
   */
  private static float kept(float original, float distorted, boolean sameDirection) {
    float kept = Math.max(0f, Math.min(1f, distorted / (original + 1e-30f))) * original;
    if (sameDirection && kept > 0) {
      return Math.min(kept * GAIN_LIMIT, distorted);
    } else if (sameDirection && kept < 0) {
      return Math.max(kept * GAIN_LIMIT, distorted);
    }
    return kept;
  }

  /** The pooled weighted detail of the reference itself. */
  private static double referenceDetail(Bands ref, float[] sensitivity) {
    int w = ref.width;
    int h = ref.height;
    int left = pooledStart(w);
    int top = pooledStart(h);
    double sum = 0;
    for (int b = 0; b < 3; b++) {
      double cubes = 0;
      for (int i = top; i < h - top; i++) {
        for (int j = left; j < w - left; j++) {
          float v = Math.abs(sensitivity[b] * ref.detail[b][i * w + j]);
          cubes += (double) v * v * v;
        }
      }
      sum += Math.cbrt(cubes) + noiseFloor(w - 2 * left, h - 2 * top);
    }
    return sum;
  }

  /** The pooled region leaves out this many samples on each side. */
  private static int pooledStart(int n) {
    return (int) (n * BORDER - 0.5);
  }

  /** A constant added to every pooled sum, so that a picture with next to no detail is not judged on noise. */
  private static double noiseFloor(int w, int h) {
    return Math.cbrt(w * h / 32.0);
  }

  /** Index i within [0, n): mirrored before the start, the last sample repeated after the end. */
  private static int mirror(int i, int n) {
    return i < 0 ? -i : i >= n ? n - 1 : i;
  }
}
