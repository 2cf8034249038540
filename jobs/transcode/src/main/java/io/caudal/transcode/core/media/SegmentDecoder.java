package io.caudal.transcode.core.media;

import java.io.File;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/** Decodes a standalone file (an init segment followed by one media segment) end to end. */
public final class SegmentDecoder {
  /** libavutil's AV_FRAME_FLAG_KEY (1 << 1), which the bindings do not export. */
  private static final int FRAME_FLAG_KEY = 1 << 1;

  private SegmentDecoder() {}

  /**
   * @param frames frames (video) or audio frames decoded
   * @param startsWithKeyframe whether the first decoded picture is a keyframe
   */
  public record Decoded(int frames, boolean startsWithKeyframe) {}

  public static Decoded decode(File file, boolean video) {
    return decode(file, video, null);
  }

  /** @param key the content key of a protected file (decrypted as it is read), or null when clear */
  public static Decoded decode(File file, boolean video, byte[] key) {
    MediaInput opened = key == null ? MediaInput.ownOutput(file.getPath())
        : MediaInput.ownProtectedOutput(file.getPath(), key);
    try (MediaInput input = opened
        .openDecoder(video ? MediaInput.Kind.VIDEO : MediaInput.Kind.AUDIO, 1)) {
      // Every slice is still parsed and reconstructed; only the deblocking filter, which cannot
      // fail, is skipped, as it is a large share of H.264 decoding time.
      input.decoder().skip_loop_filter(org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL);
      int frames = 0;
      boolean firstKey = false;
      AVFrame frame;
      while ((frame = input.nextFrame()) != null) {
        if (frames == 0) {
          firstKey = (frame.flags() & FRAME_FLAG_KEY) != 0;
        }
        frames++;
      }
      return new Decoded(frames, firstKey);
    }
  }
}
