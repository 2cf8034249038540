package io.caudal.transcode.core.plan;

/**
 * The job's quality scale: an estimate of VMAF (its default model, a viewer three picture heights
 * from a 1080-line display) from the one feature VMAF leans on most, {@link DetailLoss}, by a
 * straight line fitted to libvmaf's scores of x264 encodes of test patterns at four sizes and
 * several rate factors, scaled back to 1080 lines. VMAF's other features (VIF, motion) add little
 * where rungs are chosen and VIF would cost several times the encode. How the estimate follows
 * VMAF on the benchmark's clips is in the module README.
 */
public final class QualityScale {
  /** VMAF per unit of detail kept, and VMAF at none: a least-squares line (see the README). */
  static final double SLOPE = 236.9;
  static final double INTERCEPT = -139.4;

  private QualityScale() {}

  /** The estimated VMAF of a picture whose detail-loss measure is {@code adm}, within [0, 100]. */
  public static double fromDetailLoss(double adm) {
    return Math.max(0, Math.min(100, INTERCEPT + SLOPE * adm));
  }
}
