package io.caudal.transcode.core.media;

import java.io.File;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Encodes one of a title's audio streams once, whole, as AAC in a fragmented MP4 whose fragments
 * follow the video's segment boundaries. Doing it once rather than per chunk leaves no priming gap
 * or drift at chunk joins. The stream goes through a libavfilter chain first: to the rendition's
 * layout (a 5.1 stream downmixed for a stereo rendition) and, when given, a loudness filter.
 */
public final class AudioTranscoder {
  private AudioTranscoder() {}

  /** The first audio stream as mono or stereo, as it is; returns the number of 48 kHz samples encoded. */
  public static long encode(File source, int channels, long segmentSamples, EncoderSettings settings, File out) {
    return encode(source, 0, AudioEncoder.layoutOf(Math.min(2, Math.max(1, channels))), null, segmentSamples,
        settings, out);
  }

  /**
   * Writes {@code out}; returns the number of 48 kHz samples encoded.
   *
   * @param audioIndex which audio stream, counted from 0 in the container's order
   * @param layout the rendition's layout: "stereo" or "5.1"
   * @param filter a libavfilter chain applied at 48 kHz in that layout (e.g. {@code volume=3.5dB}),
   *     or null to keep the levels
   */
  public static long encode(File source, int audioIndex, String layout, String filter, long segmentSamples,
      EncoderSettings settings, File out) {
    String chain = toLayout(layout) + (filter == null ? "" : "," + filter + "," + toLayout(layout));
    try (MediaInput input = new MediaInput(source.getPath()).openAudioDecoder(audioIndex, 1);
        Mp4Muxer muxer = new Mp4Muxer(out.getPath());
        AudioEncoder encoder = new AudioEncoder(muxer, out.getPath(), layout, settings, segmentSamples);
        AudioFilterGraph graph = new AudioFilterGraph(chain, encoder::encode)) {
      muxer.startFragmented(EncoderSettings.AUDIO_SAMPLE_RATE);
      AVFrame frame;
      while ((frame = input.nextFrame()) != null) {
        graph.push(frame);
      }
      graph.finish();
      encoder.finish();
      muxer.finish();
      return encoder.samples();
    }
  }

  /** 48 kHz planar float in {@code layout}: what the AAC encoder takes, and what loudness is measured on. */
  public static String toLayout(String layout) {
    return "aresample=" + EncoderSettings.AUDIO_SAMPLE_RATE + ",aformat=sample_fmts=fltp:sample_rates="
        + EncoderSettings.AUDIO_SAMPLE_RATE + ":channel_layouts=" + layout;
  }
}
