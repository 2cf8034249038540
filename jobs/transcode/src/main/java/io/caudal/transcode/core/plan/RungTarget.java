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
 */
public record RungTarget(String id, int width, int height, int targetKbps, int maxKbps, int bufferKbits)
    implements Serializable {
  /** Capped VBR: peaks up to 1.5× the average, a buffer of two seconds at the average. */
  public static RungTarget capped(String id, Size size, int kbps) {
    return new RungTarget(id, size.width(), size.height(), kbps, kbps * 3 / 2, kbps * 2);
  }

  public Size size() {
    return new Size(width, height);
  }
}
