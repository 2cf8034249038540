package io.caudal.transcode.core.media;

import java.io.File;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Encodes a title's whole audio track once, as AAC in a fragmented MP4 whose fragments follow
 * the video's segment boundaries. Doing it once rather than per chunk leaves no priming gap or
 * drift at chunk joins.
 */
public final class AudioTranscoder {
  private AudioTranscoder() {}

  /** Writes {@code out}; returns the number of 48 kHz samples encoded. */
  public static long encode(File source, int channels, long segmentSamples, EncoderSettings settings, File out) {
    try (MediaInput input = new MediaInput(source.getPath()).openDecoder(MediaInput.Kind.AUDIO, 1);
        Mp4Muxer muxer = new Mp4Muxer(out.getPath());
        AudioEncoder encoder = new AudioEncoder(muxer, out.getPath(), Math.min(2, Math.max(1, channels)),
            settings, segmentSamples)) {
      muxer.startFragmented(EncoderSettings.AUDIO_SAMPLE_RATE);
      AVFrame frame;
      while ((frame = input.nextFrame()) != null) {
        encoder.encode(frame);
      }
      encoder.finish();
      muxer.finish();
      return encoder.samples();
    }
  }
}
