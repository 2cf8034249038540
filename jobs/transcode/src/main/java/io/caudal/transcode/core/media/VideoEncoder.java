package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.plan.RungTarget;
import io.caudal.transcode.core.plan.VideoCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Scales frames to one rung and encodes them with the rung's codec (libx264 or SVT-AV1). Frame {@code n} handed to it gets
 * presentation time {@code n} in a 1/fps time base (the packager moves chunks onto the title's
 * timeline). When segmented, every {@code gopFrames}-th frame is an IDR that starts a fragment.
 */
public final class VideoEncoder extends StreamEncoder {
  private final int gopFrames;
  private final boolean segmented;
  private final VideoCodec codec;
  /** A reference to a source frame that is already the rung's size and format. */
  private final AVFrame unscaled = av_frame_alloc();
  private FrameScaler scaler;
  private long frames;

  private VideoEncoder(Mp4Muxer muxer, String file, RungTarget rung, FrameRate rate, int gopFrames,
      EncoderSettings settings, boolean segmented) {
    this(muxer, file, rung, rate, gopFrames, settings, segmented, 0);
  }

  /** {@code crf} > 0 asks for constant quality instead of the rung's bitrate. */
  private VideoEncoder(Mp4Muxer muxer, String file, RungTarget rung, FrameRate rate, int gopFrames,
      EncoderSettings settings, boolean segmented, int crf) {
    super(muxer, file, rung.codec().encoder(), ctx -> {
      ctx.width(rung.width());
      ctx.height(rung.height());
      ctx.pix_fmt(pixelFormat(rung));
      ctx.time_base(av_make_q(rate.den(), rate.num()));
      ctx.framerate(av_make_q(rate.num(), rate.den()));
      ctx.sample_aspect_ratio(av_make_q(1, 1));
      if (crf == 0 && rung.crf() == 0) {
        ctx.bit_rate(rung.targetKbps() * 1000L);
      }
      // SVT-AV1 caps the rate only under CRF (capped CRF); its average-bitrate mode is plain VBR.
      boolean capped = crf == 0 && (rung.codec() == VideoCodec.H264 || rung.crf() > 0);
      if (capped) {
        ctx.rc_max_rate(rung.maxKbps() * 1000L);
        ctx.rc_buffer_size(rung.bufferKbits() * 1000);
      } else if (crf == 0) {
        ctx.rc_buffer_size(rung.bufferKbits() * 1000);
      }
      ctx.gop_size(gopFrames);
      ctx.thread_count(settings.threads());
    }, rung.codec() == VideoCodec.AV1 ? svtAv1Options(settings, gopFrames, rung, crf)
        : x264Options(settings, gopFrames, segmented, rung, crf), rate.timescale());
    this.gopFrames = gopFrames;
    this.segmented = segmented;
    this.codec = rung.codec();
  }

  /** An encoder for one rung of a chunk: IDR and a new fragment every {@code segmentFrames}. */
  public static VideoEncoder segmented(Mp4Muxer muxer, String file, RungTarget rung, FrameRate rate,
      int segmentFrames, EncoderSettings settings) {
    return new VideoEncoder(muxer, file, rung, rate, segmentFrames, settings, true);
  }

  /**
   * An encoder for a probe of one size at constant quality {@code crf}, with the same GOP and
   * settings as the title's rungs, so that its bitrate predicts theirs.
   */
  public static VideoEncoder constantQuality(Mp4Muxer muxer, String file, RungTarget size, FrameRate rate,
      int segmentFrames, EncoderSettings settings, int crf) {
    return new VideoEncoder(muxer, file, size, rate, segmentFrames, settings, true, crf);
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

  private static AVDictionary x264Options(EncoderSettings settings, int gopFrames, boolean segmented, RungTarget rung,
      int crf) {
    AVDictionary options = new AVDictionary(null);
    if (crf > 0) {
      av_dict_set(options, "crf", Integer.toString(crf), 0);
    } else if (rung.crf() > 0) {
      av_dict_set(options, "crf", String.format(java.util.Locale.ROOT, "%.2f", rung.crf()), 0);
    }
    av_dict_set(options, "preset", settings.preset(), 0);
    av_dict_set(options, "profile", pixelFormat(rung) == AV_PIX_FMT_YUV420P ? "high" : "high444", 0);
    av_dict_set(options, "x264-params",
        segmented ? settings.x264Params(gopFrames) : "keyint=" + gopFrames, 0);
    return options;
  }

  /**
   * SVT-AV1: the rate factor (whole steps: its option is an integer), the speed preset and a
   * closed GOP of exactly one segment (intra period from the context's GOP size, key frames that
   * refresh everything, no scene-change key frames), so AV1 segments start where H.264's do.
   */
  private static AVDictionary svtAv1Options(EncoderSettings settings, int gopFrames, RungTarget rung, int crf) {
    AVDictionary options = new AVDictionary(null);
    if (crf > 0) {
      av_dict_set(options, "crf", Integer.toString(crf), 0);
    } else if (rung.crf() > 0) {
      av_dict_set(options, "crf", Long.toString(Math.round(rung.crf())), 0);
    }
    av_dict_set(options, "preset", Integer.toString(settings.av1Preset()), 0);
    av_dict_set(options, "svtav1-params", settings.svtAv1Params(gopFrames), 0);
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
    // keyint already puts an IDR at every segment start; forcing it makes that certain. SVT-AV1's
    // fixed intra period does the same, and the wrapper would turn a forced frame into intra-only.
    picture.pict_type(segmented && codec == VideoCodec.H264 && pts % gopFrames == 0 ? AV_PICTURE_TYPE_I
        : AV_PICTURE_TYPE_NONE);
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
    if (scaler == null) {
      scaler = new FrameScaler(file, encoder.width(), encoder.height(), encoder.pix_fmt());
    }
    return scaler.scale(source);
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
      scaler.close();
    }
    av_frame_free(unscaled);
    super.close();
  }
}
