package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avfilter.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Scales pictures to one size and pixel format through libavfilter's {@code scale} (bicubic).
 * Calling swscale directly on decoded frames made two runs of the same title encode different
 * bytes at some sizes (640×360 to 480×268); through libavfilter they are the same every time.
 */
public final class FrameScaler implements AutoCloseable {
  private final AVFilterGraph graph = avfilter_graph_alloc();
  private final AVFilterContext input = new AVFilterContext();
  private final AVFilterContext sink = new AVFilterContext();
  private final AVFrame out = av_frame_alloc();
  private final String file;
  private final int width;
  private final int height;
  private final int format;
  private boolean configured;
  private int sourceWidth;
  private int sourceHeight;
  private int sourceFormat;

  /** @param format the output's libavutil pixel format (AV_PIX_FMT_*) */
  public FrameScaler(String file, int width, int height, int format) {
    this.file = file;
    this.width = width;
    this.height = height;
    this.format = format;
  }

  /** {@code source} at this scaler's size (owned by the scaler, valid until the next call). */
  public AVFrame scale(AVFrame source) {
    if (!configured) {
      configure(source);
    } else if (source.width() != sourceWidth || source.height() != sourceHeight || source.format() != sourceFormat) {
      throw new MediaException(file, "picture size changed mid-stream");
    }
    av_frame_unref(out);
    check(av_buffersrc_add_frame_flags(input, source, AV_BUFFERSRC_FLAG_KEEP_REF), "feed a frame");
    check(av_buffersink_get_frame(sink, out), "scale a frame");
    return out;
  }

  private void configure(AVFrame source) {
    sourceWidth = source.width();
    sourceHeight = source.height();
    sourceFormat = source.format();
    String args = String.format(Locale.ROOT, "video_size=%dx%d:pix_fmt=%d:time_base=1/25:pixel_aspect=1/1",
        source.width(), source.height(), source.format());
    check(avfilter_graph_create_filter(input, avfilter_get_by_name("buffer"), "in", args, null, graph), "create input");
    check(avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out", null, null, graph), "create sink");
    String description = String.format(Locale.ROOT, "scale=%d:%d:flags=bicubic,format=%s", width, height,
        av_get_pix_fmt_name(format).getString());
    check(Ffmpeg.parseChain(graph, description, input, sink), "parse '" + description + "'");
    check(avfilter_graph_config(graph, null), "configure '" + description + "'");
    configured = true;
  }


  private void check(int ret, String what) {
    if (ret < 0) {
      throw new MediaException(file, "libavfilter: cannot " + what + ": " + Ffmpeg.errorText(ret));
    }
  }

  @Override
  public void close() {
    av_frame_free(out);
    avfilter_graph_free(graph);
  }
}
