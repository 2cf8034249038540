package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.caudal.transcode.core.plan.FrameRate;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * The source's pictures on the output's constant frame grid, upright: at each output instant
 * the nearest source frame, as ffmpeg's fps filter picks it. Decoding starts at the last
 * keyframe before {@code decodeFromMicros}.
 */
public final class SourceFrames implements AutoCloseable {
  private final String path;
  private final SourceInfo info;
  private final FrameRate rate;
  private final MediaInput input;
  private final AVRational timeBase;
  private final AVFrame current = av_frame_alloc();
  private final AVFrame clean = av_frame_alloc();
  private final long endFrame;
  private Rotator rotator;
  private AVFrame pending;
  private boolean haveCurrent;
  private long next;

  /** Grid frames {@code [startFrame, endFrame)}, decoding from {@code decodeFromMicros} (relative to the video's start). */
  public SourceFrames(String path, SourceInfo info, FrameRate rate, long startFrame, long endFrame,
      long decodeFromMicros, int threads) {
    this.path = path;
    this.info = info;
    this.rate = rate;
    this.endFrame = endFrame;
    this.next = startFrame;
    this.input = new MediaInput(path).openDecoder(MediaInput.Kind.VIDEO, threads);
    this.timeBase = input.timeBase();
    input.seekMicros(info.videoStartMicros() + decodeFromMicros);
    pending = input.nextFrame();
  }

  /**
   * Moves on to grid frame {@code frame} (before the end), seeking to the last keyframe at or before
   * {@code decodeFromMicros}: for reading a few frames far apart without decoding the ones between.
   */
  public void seekTo(long frame, long decodeFromMicros) {
    input.seekMicros(info.videoStartMicros() + decodeFromMicros);
    haveCurrent = false;
    pending = input.nextFrame();
    next = frame;
  }

  /** The next grid frame (owned by this reader, valid until the next call), or null after the last. */
  public AVFrame next() {
    if (next >= endFrame) {
      return null;
    }
    long due = info.videoStartMicros() + rate.frameTimeMicros(next) + rate.frameTimeMicros(1) / 2;
    while (pending != null && (micros(pending) < due || !haveCurrent)) {
      if (haveCurrent && micros(pending) >= due) {
        break;
      }
      av_frame_unref(current);
      av_frame_ref(current, pending);
      haveCurrent = true;
      pending = input.nextFrame();
    }
    if (!haveCurrent) {
      throw new MediaException(path, "no video frame decodes at or after " + rate.frameTimeMicros(next) / 1000 + " ms");
    }
    next++;
    if (info.rotation() == 0) {
      return cleanCopy(current);
    }
    if (rotator == null) {
      rotator = new Rotator(info.rotation(), current.width(), current.height(), current.format());
    }
    return cleanCopy(rotator.apply(current));
  }

  /**
   * The picture in a buffer whose padding (right of and below the picture) is zero: swscale
   * reads into a decoder's uninitialised padding when it scales, and what it read there made
   * two runs encode different bytes.
   */
  private AVFrame cleanCopy(AVFrame picture) {
    if (clean.buf(0) == null || clean.buf(0).isNull() || av_frame_is_writable(clean) == 0
        || clean.width() != picture.width() || clean.height() != picture.height()
        || clean.format() != picture.format()) {
      av_frame_unref(clean);
      clean.format(picture.format());
      clean.width(picture.width());
      clean.height((picture.height() + 15) / 16 * 16 + 16);
      if (av_frame_get_buffer(clean, 0) < 0) {
        throw new MediaException(path, "out of memory for a " + picture.width() + "x" + picture.height() + " frame");
      }
      for (int i = 0; i < 4 && clean.buf(i) != null && !clean.buf(i).isNull(); i++) {
        org.bytedeco.javacpp.Pointer.memset(clean.buf(i).data(), 0, clean.buf(i).size());
      }
      clean.height(picture.height());
    }
    if (av_frame_copy(clean, picture) < 0) {
      throw new MediaException(path, "cannot copy a frame");
    }
    av_frame_copy_props(clean, picture);
    return clean;
  }

  private long micros(AVFrame frame) {
    long ts = frame.best_effort_timestamp() != AV_NOPTS_VALUE ? frame.best_effort_timestamp() : frame.pts();
    return av_rescale_q(ts, timeBase, av_make_q(1, 1_000_000));
  }

  @Override
  public void close() {
    if (rotator != null) {
      rotator.close();
    }
    av_frame_free(current);
    av_frame_free(clean);
    input.close();
  }
}
