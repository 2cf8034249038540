package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.plan.RungTarget;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Scales frames to one rung and encodes them with libx264. Frame {@code n} handed to it gets
 * presentation time {@code n} in a 1/fps time base (the packager moves chunks onto the title's
 * timeline). When segmented, every {@code gopFrames}-th frame is an IDR that starts a fragment.
 */
public final class VideoEncoder extends StreamEncoder {
  private final int gopFrames;
  private final boolean segmented;
  private final AVFrame scaled = av_frame_alloc();
  /** A reference to a source frame that is already the rung's size and format. */
  private final AVFrame unscaled = av_frame_alloc();
  private SwsContext scaler;
  private long frames;

  private VideoEncoder(Mp4Muxer muxer, String file, RungTarget rung, FrameRate rate, int gopFrames,
      EncoderSettings settings, boolean segmented) {
    super(muxer, file, "libx264", ctx -> {
      ctx.width(rung.width());
      ctx.height(rung.height());
      ctx.pix_fmt(pixelFormat(rung));
      ctx.time_base(av_make_q(rate.den(), rate.num()));
      ctx.framerate(av_make_q(rate.num(), rate.den()));
      ctx.sample_aspect_ratio(av_make_q(1, 1));
      ctx.bit_rate(rung.targetKbps() * 1000L);
      ctx.rc_max_rate(rung.maxKbps() * 1000L);
      ctx.rc_buffer_size(rung.bufferKbits() * 1000);
      ctx.gop_size(gopFrames);
      ctx.thread_count(settings.threads());
    }, x264Options(settings, gopFrames, segmented, rung), rate.timescale());
    this.gopFrames = gopFrames;
    this.segmented = segmented;
    scaled.format(pixelFormat(rung));
    scaled.width(rung.width());
    scaled.height(rung.height());
    if (av_frame_get_buffer(scaled, 0) < 0) {
      throw new MediaException(file, "out of memory for a " + rung.width() + "x" + rung.height() + " frame");
    }
  }

  /** An encoder for one rung of a chunk: IDR and a new fragment every {@code segmentFrames}. */
  public static VideoEncoder segmented(Mp4Muxer muxer, String file, RungTarget rung, FrameRate rate,
      int segmentFrames, EncoderSettings settings) {
    return new VideoEncoder(muxer, file, rung, rate, segmentFrames, settings, true);
  }

  /** An encoder for an ordinary file with a keyframe every {@code gopFrames}. */
  public static VideoEncoder plain(Mp4Muxer muxer, String file, RungTarget rung, FrameRate rate,
      int gopFrames, EncoderSettings settings) {
    return new VideoEncoder(muxer, file, rung, rate, gopFrames, settings, false);
  }

  /**
   * 4:2:0 for every rung (players expect it); only a plain file of odd size, which 4:2:0 cannot
   * represent, is written 4:4:4, as odd-sized mezzanine files are.
   */
  private static int pixelFormat(RungTarget rung) {
    return rung.width() % 2 == 0 && rung.height() % 2 == 0 ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_YUV444P;
  }

  private static AVDictionary x264Options(EncoderSettings settings, int gopFrames, boolean segmented, RungTarget rung) {
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "preset", settings.preset(), 0);
    av_dict_set(options, "profile", pixelFormat(rung) == AV_PIX_FMT_YUV420P ? "high" : "high444", 0);
    av_dict_set(options, "x264-params",
        segmented ? settings.x264Params(gopFrames) : "keyint=" + gopFrames, 0);
    return options;
  }

  /** Scales and encodes {@code source} as the next frame. */
  public void encode(AVFrame source) {
    encodeAt(source, frames);
  }

  /** Scales and encodes {@code source} at presentation time {@code pts} (in 1/fps). */
  public void encodeAt(AVFrame source, long pts) {
    AVFrame picture = source.width() == encoder.width() && source.height() == encoder.height()
        && source.format() == encoder.pix_fmt() ? reference(source) : scale(source);
    picture.pts(pts);
    // keyint already puts an IDR at every segment start; forcing it makes that certain.
    picture.pict_type(segmented && pts % gopFrames == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
    frames++;
    send(picture);
  }

  private AVFrame reference(AVFrame source) {
    av_frame_unref(unscaled);
    if (av_frame_ref(unscaled, source) < 0) {
      throw new MediaException(file, "cannot reference a frame");
    }
    return unscaled;
  }

  private AVFrame scale(AVFrame source) {
    scaler = sws_getCachedContext(scaler, source.width(), source.height(), source.format(),
        encoder.width(), encoder.height(), encoder.pix_fmt(), SWS_BICUBIC, null, null, (DoublePointer) null);
    if (scaler == null) {
      throw new MediaException(file, "cannot scale from pixel format " + source.format());
    }
    // The encoder may still hold a reference to the previous picture.
    if (av_frame_make_writable(scaled) < 0) {
      throw new MediaException(file, "cannot make frame writable");
    }
    sws_scale(scaler, new PointerPointer<>(source.data()), source.linesize(), 0, source.height(),
        new PointerPointer<>(scaled.data()), scaled.linesize());
    return scaled;
  }

  /** Drains the encoder. */
  public void finish() {
    send(null);
  }

  @Override
  protected boolean startsFragment(AVPacket packet) {
    return segmented && (packet.flags() & AV_PKT_FLAG_KEY) != 0;
  }

  @Override
  public void close() {
    if (scaler != null) {
      sws_freeContext(scaler);
    }
    av_frame_free(scaled);
    av_frame_free(unscaled);
    super.close();
  }
}
