package io.caudal.transcode.core.audio;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where a title's audio is normalised to, and how a measured stream gets there.
 *
 * <p>When the gain that brings the stream to the target keeps its true peak a decibel under the
 * ceiling, the stream gets exactly that gain ({@code volume}): its dynamics stay as mixed and the
 * result lands on the target. This is what {@code loudnorm}'s linear mode does too, which it only
 * takes under the same condition. Otherwise (a quiet stream with loud peaks) the gain would clip,
 * and {@code loudnorm} in its dynamic mode, given the measured values, reaches the target with its
 * true-peak limiter (aimed once more when the limiting took it more than half a LU off). The decibel of headroom is for the AAC encoder, whose decoded output
 * overshoots the peaks it was given by a fraction of a decibel.
 *
 * @param normalise false: {@code --loudness off}, levels kept as they are
 * @param lufs target integrated loudness
 * @param truePeakDbtp ceiling of the true peak
 */
public record LoudnessTarget(boolean normalise, double lufs, double truePeakDbtp) implements Serializable {
  public static final double DEFAULT_LUFS = -24;
  public static final double DEFAULT_TRUE_PEAK_DBTP = -2;
  /** Kept under the ceiling for the AAC encoder's overshoot. */
  public static final double CODEC_HEADROOM_DB = 1.0;
  /** Through the limiter, a result further than this from the target is made again, aimed by what it missed. */
  public static final double LIMITER_RETRY_LU = 0.5;
  /** loudnorm's loudness range target, wide so that it does not compress what a mix meant. */
  static final double LOUDNORM_LRA = 20;

  public static LoudnessTarget defaults() {
    return new LoudnessTarget(true, DEFAULT_LUFS, DEFAULT_TRUE_PEAK_DBTP);
  }

  /** How a stream is treated. */
  public enum Method {
    /** {@code --loudness off}. */
    OFF("off"),
    /** Nothing above the absolute gate: silence is not amplified. */
    SILENT("silent"),
    /** One gain for the whole stream. */
    GAIN("gain"),
    /** loudnorm's dynamic mode with its true-peak limiter. */
    LIMITED("loudnorm-dynamic");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  public Method methodFor(Loudness measured) {
    if (!normalise) {
      return Method.OFF;
    }
    if (measured.isSilent()) {
      return Method.SILENT;
    }
    return measured.truePeakDbtp() + gainDb(measured) <= truePeakDbtp - CODEC_HEADROOM_DB ? Method.GAIN : Method.LIMITED;
  }

  /** The gain that brings the measured loudness to the target, dB. */
  public double gainDb(Loudness measured) {
    return lufs - measured.integratedLufs();
  }

  /** The libavfilter chain that normalises a stream measured so, or null when it is kept as it is. */
  public String filterFor(Loudness measured) {
    return filterFor(measured, 0);
  }

  /**
   * The same, its loudnorm aimed {@code correctionLu} off the target: a limited first attempt
   * that came out that far under the target (limiting took loudness off its peaks) is aimed that
   * much higher the second time. One gain needs no correction.
   */
  public String filterFor(Loudness measured, double correctionLu) {
    double aim = Math.max(-70, Math.min(-5, lufs + correctionLu));
    return switch (methodFor(measured)) {
      case OFF, SILENT -> null;
      case GAIN -> String.format(Locale.ROOT, "volume=volume=%.3fdB:precision=double", gainDb(measured));
      case LIMITED -> String.format(Locale.ROOT,
          "loudnorm=I=%.2f:TP=%.2f:LRA=%.1f:measured_I=%.2f:measured_TP=%.2f:linear=false",
          aim, truePeakDbtp - CODEC_HEADROOM_DB, LOUDNORM_LRA, measured.integratedLufs(),
          Math.min(99, measured.truePeakDbtp()));
    };
  }
}
