package io.caudal.transcode.core.plan;

import java.io.Serializable;

/**
 * One encode of the complexity probe: the sampled chunks at one size and one constant-quality
 * setting, with the bitrate that came out and the quality measured against the source at display
 * size.
 *
 * @param size encoded size
 * @param crf the encoder's constant rate factor
 * @param kbps measured average bitrate over the samples
 * @param quality measured quality (estimated VMAF, see {@link QualityScale})
 */
public record ProbePoint(Size size, int crf, double kbps, double quality) implements Serializable {
  /** The x of the rate-quality plane the hull is built in: log bitrate. */
  double x() {
    return Math.log(kbps);
  }
}
