package io.caudal.transcode.core.plan;

import java.util.Arrays;
import java.util.Locale;

/**
 * A video codec a title's rungs can be encoded with, and what its encoder's rate factor scale
 * looks like to the per-title ladder. H.264 (libx264) plays everywhere; AV1 (SVT-AV1) spends
 * fewer bits for the same picture where players decode it.
 *
 * @param option as written on the command line ({@code --codecs h264,av1})
 * @param encoder the libavcodec encoder
 * @param rungSuffix appended to a rung's id ("720p-av1"); empty for H.264, whose ids stay as they were
 * @param probeCrfs the rate factors the complexity probe encodes at: low, middle and high on the
 *     encoder's own scale (x264's 0–51, SVT-AV1's 0–63), about four times the bitrate apart
 * @param crfPerHalving rate factor steps that halve the bitrate, to extend a probe curve beyond its points
 * @param minCrf lowest rate factor a rung is given
 * @param maxCrf highest rate factor a rung is given
 * @param fixedKbpsFraction the fixed ladder's bitrates over H.264's, size for size
 */
public enum VideoCodec {
  H264("h264", "libx264", "", new int[] {22, 28, 34}, 6, 14, 45, 1.0),
  // SVT-AV1's CRF runs to 63 and moves the bitrate less per step than x264's; 27–47 spans about
  // the same range of bitrates as x264's 22–34 on the benchmark's clips. Its fixed ladder takes
  // 65 % of H.264's bitrates: SVT-AV1 at a fast preset against x264 veryfast is commonly put at
  // 30–40 % fewer bits for the same picture; the per-title ladder measures it instead.
  AV1("av1", "libsvtav1", "-av1", new int[] {27, 37, 47}, 7, 12, 60, 0.65);

  private final String option;
  private final String encoder;
  private final String rungSuffix;
  private final int[] probeCrfs;
  private final double crfPerHalving;
  private final double minCrf;
  private final double maxCrf;
  private final double fixedKbpsFraction;

  VideoCodec(String option, String encoder, String rungSuffix, int[] probeCrfs, double crfPerHalving, double minCrf,
      double maxCrf, double fixedKbpsFraction) {
    this.fixedKbpsFraction = fixedKbpsFraction;
    this.option = option;
    this.encoder = encoder;
    this.rungSuffix = rungSuffix;
    this.probeCrfs = probeCrfs;
    this.crfPerHalving = crfPerHalving;
    this.minCrf = minCrf;
    this.maxCrf = maxCrf;
  }

  public String encoder() {
    return encoder;
  }

  public String rungSuffix() {
    return rungSuffix;
  }

  public int[] probeCrfs() {
    return probeCrfs.clone();
  }

  public double crfPerHalving() {
    return crfPerHalving;
  }

  public double minCrf() {
    return minCrf;
  }

  public double maxCrf() {
    return maxCrf;
  }

  public double fixedKbpsFraction() {
    return fixedKbpsFraction;
  }

  /** The codec of an RFC 6381 codecs string ("avc1.64001f", "av01.0.04M.08"), or null when neither. */
  public static VideoCodec ofCodecs(String codecs) {
    if (codecs == null) {
      return null;
    }
    return codecs.startsWith("avc1") || codecs.startsWith("avc3") ? H264 : codecs.startsWith("av01") ? AV1 : null;
  }

  /** The codec named {@code option} on the command line. */
  public static VideoCodec parse(String option) {
    return Arrays.stream(values()).filter(c -> c.option.equals(option.trim().toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown codec '" + option + "' (h264 or av1)"));
  }

  /** As written on the command line. */
  @Override
  public String toString() {
    return option;
  }
}
