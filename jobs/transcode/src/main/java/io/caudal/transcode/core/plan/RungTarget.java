package io.caudal.transcode.core.plan;

import java.io.Serializable;

/**
 * What the encoder is asked for on one rung of the bitrate ladder: size and rate control. What
 * came out of it, as measured and published in the catalog, is {@link io.caudal.schemas.Rung}.
 *
 * @param id name used in paths and manifests, e.g. "720p"
 * @param width output width (even)
 * @param height output height (even)
 * @param targetKbps average bitrate asked of the encoder
 * @param maxKbps VBV maximum rate, so that a segment's peak stays near what the manifest says
 * @param bufferKbits VBV buffer size
 * @param crf when positive, the encoder is asked for this constant rate factor under the VBV cap
 *     (capped CRF) instead of the average bitrate: the per-title ladder knows, from its probe,
 *     the CRF that gives each rung its bitrate on this title, and CRF spends the bits where the
 *     picture needs them (a slide show's IDRs) where an average-bitrate encode starves them
 * @param codec the codec the rung is encoded with
 */
public record RungTarget(String id, int width, int height, int targetKbps, int maxKbps, int bufferKbits, double crf,
    VideoCodec codec) implements Serializable {
  /** An H.264 rung. */
  public RungTarget(String id, int width, int height, int targetKbps, int maxKbps, int bufferKbits, double crf) {
    this(id, width, height, targetKbps, maxKbps, bufferKbits, crf, VideoCodec.H264);
  }

  /** An H.264 rung encoded at an average bitrate. */
  public RungTarget(String id, int width, int height, int targetKbps, int maxKbps, int bufferKbits) {
    this(id, width, height, targetKbps, maxKbps, bufferKbits, 0);
  }

  /**
   * This rung in {@code other}: its id gains the codec's suffix, its bitrates are scaled by
   * {@code kbpsFraction} (1 keeps them).
   */
  public RungTarget as(VideoCodec other, double kbpsFraction) {
    return new RungTarget(id + other.rungSuffix(), width, height, scale(targetKbps, kbpsFraction),
        scale(maxKbps, kbpsFraction), scale(bufferKbits, kbpsFraction), crf, other);
  }

  private static int scale(int kbps, double fraction) {
    return fraction == 1 ? kbps : (int) Math.max(10, Math.round(kbps * fraction / 10) * 10);
  }

  /** Capped VBR: peaks up to 1.5× the average, a buffer of two seconds at the average. */
  public static RungTarget capped(String id, Size size, int kbps) {
    return new RungTarget(id, size.width(), size.height(), kbps, kbps * 3 / 2, kbps * 2);
  }

  public Size size() {
    return new Size(width, height);
  }
}
