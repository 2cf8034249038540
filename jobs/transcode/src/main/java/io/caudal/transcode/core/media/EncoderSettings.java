package io.caudal.transcode.core.media;

import java.io.Serializable;

/**
 * Encoder settings shared by every chunk and rung of a title; the benchmark gives the same ones
 * to the plain ffmpeg reference.
 *
 * @param preset libx264 preset
 * @param threads encoder and decoder threads per task (0 = libav chooses); Spark's task slots
 *     already use the cores, so one thread per task avoids oversubscription
 * @param audioKbps AAC bitrate
 * @param av1Preset SVT-AV1's speed preset for AV1 rungs
 */
public record EncoderSettings(String preset, int threads, int audioKbps, int av1Preset) implements Serializable {
  public static final String DEFAULT_PRESET = "veryfast";
  public static final int DEFAULT_THREADS = 1;
  public static final int DEFAULT_AUDIO_KBPS = 128;
  public static final int AUDIO_SAMPLE_RATE = 48_000;
  /** SVT-AV1's speed preset (0 slowest … 13 fastest); why 10 is in the module README ("AV1"). */
  public static final int DEFAULT_AV1_PRESET = 8;

  /** Settings with SVT-AV1's default preset. */
  public EncoderSettings(String preset, int threads, int audioKbps) {
    this(preset, threads, audioKbps, DEFAULT_AV1_PRESET);
  }

  public static EncoderSettings defaults() {
    return new EncoderSettings(DEFAULT_PRESET, DEFAULT_THREADS, DEFAULT_AUDIO_KBPS);
  }

  /**
   * libx264 parameters: a closed GOP of exactly one segment, IDR at every segment start and
   * no scene-cut keyframes that would break alignment across rungs.
   */
  public String x264Params(int segmentFrames) {
    return "keyint=" + segmentFrames + ":min-keyint=" + segmentFrames
        + ":scenecut=0:open-gop=0:forced-idr=1";
  }

  /**
   * SVT-AV1 parameters (the intra period comes from the context's GOP size, the processors from
   * its thread count): key frames that refresh everything (a closed GOP, irefresh-type 2) and
   * no scene-change key frames.
   */
  public String svtAv1Params(int segmentFrames) {
    return "irefresh-type=2:scd=0";
  }
}
