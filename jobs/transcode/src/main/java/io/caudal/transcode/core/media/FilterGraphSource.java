package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avfilter.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * Pulls frames out of a libavfilter source graph such as {@code testsrc2=size=1280x720:rate=30}
 * or {@code sine=frequency=440}, in-process.
 *
 * <p>ffmpeg's {@code lavfi} input device would do the same, but it lives in libavdevice, which
 * links libpulse; driving libavfilter directly keeps the whole media stack free of system
 * packages.
 */
public final class FilterGraphSource implements AutoCloseable {
  private final AVFilterGraph graph;
  private final AVFilterContext sink;
  private final AVFrame frame = av_frame_alloc();

  private FilterGraphSource(String description, boolean audio) {
    graph = avfilter_graph_alloc();
    sink = new AVFilterContext();
    int ret = avfilter_graph_create_filter(sink, avfilter_get_by_name(audio ? "abuffersink" : "buffersink"),
        "out", null, null, graph);
    check(ret, "create sink");
    AVFilterInOut inputs = avfilter_inout_alloc();
    inputs.name(av_strdup(new BytePointer("out")));
    inputs.filter_ctx(sink);
    inputs.pad_idx(0);
    inputs.next(null);
    ret = avfilter_graph_parse_ptr(graph, description, inputs, null, null);
    avfilter_inout_free(inputs);
    check(ret, "parse '" + description + "'");
    check(avfilter_graph_config(graph, null), "configure '" + description + "'");
  }

  /** A video source; the description must end in the pixel format the consumer expects. */
  public static FilterGraphSource video(String description) {
    return new FilterGraphSource(description, false);
  }

  public static FilterGraphSource audio(String description) {
    return new FilterGraphSource(description, true);
  }

  /** The next frame (owned by this source, valid until the next call), or null at the end. */
  public AVFrame next() {
    av_frame_unref(frame);
    int ret = av_buffersink_get_frame(sink, frame);
    if (ret == AVERROR_EOF() || ret == AVERROR_EAGAIN()) {
      return null;
    }
    check(ret, "read frame");
    return frame;
  }

  private static void check(int ret, String what) {
    if (ret < 0) {
      throw new IllegalStateException("libavfilter: cannot " + what + ": " + Ffmpeg.errorText(ret));
    }
  }

  @Override
  public void close() {
    av_frame_free(frame);
    avfilter_graph_free(graph);
  }
}
