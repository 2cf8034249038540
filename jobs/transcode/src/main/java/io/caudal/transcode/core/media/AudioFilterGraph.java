package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avfilter.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.Locale;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Decoded audio through a libavfilter chain, in-process: {@code aresample,aformat=…} to change
 * the layout, {@code ebur128} to measure, {@code volume} or {@code loudnorm} to normalise. The
 * graph is built from the first frame's format, and libavfilter inserts the conversions the
 * chain's filters need.
 */
public final class AudioFilterGraph implements AutoCloseable {
  private final String description;
  private final Consumer<AVFrame> output;
  private final AVFilterGraph graph = avfilter_graph_alloc();
  private final AVFilterContext source = new AVFilterContext();
  private final AVFilterContext sink = new AVFilterContext();
  private final AVFrame out = av_frame_alloc();
  private boolean configured;
  private boolean ended;

  /**
   * @param description the chain between the decoded frames and {@code output}, e.g.
   *     {@code aresample=48000,aformat=channel_layouts=stereo,ebur128=peak=true:metadata=1}
   * @param output given every filtered frame (valid only during the call)
   */
  public AudioFilterGraph(String description, Consumer<AVFrame> output) {
    Ffmpeg.init();
    this.description = description;
    this.output = output;
  }

  /** Filters one decoded frame; hands on every frame the chain has ready. */
  public void push(AVFrame frame) {
    if (!configured) {
      configure(frame);
    }
    check(av_buffersrc_add_frame_flags(source, frame, AV_BUFFERSRC_FLAG_KEEP_REF), "feed a frame");
    drain();
  }

  /** Ends the input and hands on what the chain still holds. */
  public void finish() {
    if (configured && !ended) {
      check(av_buffersrc_add_frame_flags(source, null, 0), "end the input");
      ended = true;
      drain();
    }
  }

  private void drain() {
    while (true) {
      int ret = av_buffersink_get_frame(sink, out);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      check(ret, "read a filtered frame");
      try {
        output.accept(out);
      } finally {
        av_frame_unref(out);
      }
    }
  }

  private void configure(AVFrame first) {
    byte[] layout = new byte[64];
    check(av_channel_layout_describe(first.ch_layout(), layout, layout.length), "describe the channel layout");
    String args = String.format(Locale.ROOT, "time_base=1/%d:sample_rate=%d:sample_fmt=%s:channel_layout=%s",
        first.sample_rate(), first.sample_rate(), av_get_sample_fmt_name(first.format()).getString(),
        Ffmpeg.cString(layout));
    check(avfilter_graph_create_filter(source, avfilter_get_by_name("abuffer"), "in", args, null, graph),
        "create the input");
    check(avfilter_graph_create_filter(sink, avfilter_get_by_name("abuffersink"), "out", null, null, graph),
        "create the sink");
    check(Ffmpeg.parseChain(graph, description, source, sink), "parse '" + description + "'");
    check(avfilter_graph_config(graph, null), "configure '" + description + "'");
    configured = true;
  }



  private void check(int ret, String what) {
    if (ret < 0) {
      throw new IllegalStateException("libavfilter: cannot " + what + ": " + Ffmpeg.errorText(ret));
    }
  }

  @Override
  public void close() {
    av_frame_free(out);
    avfilter_graph_free(graph);
  }
}
