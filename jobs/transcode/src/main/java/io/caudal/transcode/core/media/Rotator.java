package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avfilter.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Turns frames upright for a source whose display matrix says it is rotated, with libavfilter's
 * transpose/flip filters, so every rung is encoded as it is meant to be seen.
 */
final class Rotator implements AutoCloseable {
  private final AVFilterGraph graph = avfilter_graph_alloc();
  private final AVFilterContext source = new AVFilterContext();
  private final AVFilterContext sink = new AVFilterContext();
  private final AVFrame out = av_frame_alloc();

  /** @param clockwise 90, 180 or 270 */
  Rotator(int clockwise, int width, int height, int pixelFormat) {
    String filters = switch (clockwise) {
      case 90 -> "transpose=clock";
      case 180 -> "hflip,vflip";
      case 270 -> "transpose=cclock";
      default -> throw new IllegalArgumentException("rotation must be 90, 180 or 270, got " + clockwise);
    };
    String args = String.format(Locale.ROOT, "video_size=%dx%d:pix_fmt=%d:time_base=1/1:pixel_aspect=1/1",
        width, height, pixelFormat);
    check(avfilter_graph_create_filter(source, avfilter_get_by_name("buffer"), "in", args, null, graph), "source");
    check(avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out", null, null, graph), "sink");
    check(Ffmpeg.parseChain(graph, filters, source, sink), "parse");
    check(avfilter_graph_config(graph, null), "configure");
  }

  /** The rotated picture (owned by this rotator, valid until the next call). */
  AVFrame apply(AVFrame frame) {
    check(av_buffersrc_write_frame(source, frame), "feed");
    av_frame_unref(out);
    check(av_buffersink_get_frame(sink, out), "drain");
    return out;
  }

  private static void check(int ret, String what) {
    if (ret < 0) {
      throw new IllegalStateException("rotation filter: cannot " + what + ": " + Ffmpeg.errorText(ret));
    }
  }

  @Override
  public void close() {
    av_frame_free(out);
    avfilter_graph_free(graph);
  }
}
