package io.caudal.transcode.core.plan;

/**
 * The job's quality measure: SSIM (libavfilter's {@code ssim}, luma and chroma weighted 4:1:1)
 * against the source at display size, written in decibels, {@code -10·log10(1 - SSIM)}, so that
 * equal steps are roughly equal in bits (0.98 is 17.0 dB, 0.99 is 20.0 dB). Its relation to VMAF
 * on the benchmark's clips is in the module README.
 */
public final class QualityScale {
  private QualityScale() {}

  public static double ssimDb(double ssim) {
    return -10 * Math.log10(Math.max(1e-10, 1 - ssim));
  }

  public static double ssim(double db) {
    return 1 - Math.pow(10, -db / 10);
  }
}
