package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avfilter.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.javacpp.BytePointer;

/** Small helpers shared by the in-process FFmpeg code. */
public final class Ffmpeg {
  private Ffmpeg() {}

  static {
    // The job reports its own errors; libav* chatter on stderr would bury them.
    av_log_set_level(AV_LOG_FATAL);
  }

  public static String errorText(int code) {
    byte[] buf = new byte[256];
    av_strerror(code, buf, buf.length);
    return cString(buf) + " (" + code + ")";
  }

  /** The NUL-terminated text libav* wrote into a buffer. */
  static String cString(byte[] buf) {
    int end = 0;
    while (end < buf.length && buf[end] != 0) {
      end++;
    }
    return new String(buf, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * Parses a chain of filters ({@code description}) into {@code graph} between its one source
   * ({@code "in"}) and its one sink ({@code "out"}).
   *
   * @return libavfilter's result: negative on failure
   */
  static int parseChain(AVFilterGraph graph, String description, AVFilterContext source, AVFilterContext sink) {
    return parseGraph(graph, description, inOut("in", source, null), inOut("out", sink, null));
  }

  /**
   * Parses {@code description} into {@code graph} between the named sources ({@code outputs}, the
   * pads the description reads) and sinks ({@code inputs}, the pads it writes), then frees both lists.
   *
   * @return libavfilter's result: negative on failure
   */
  static int parseGraph(AVFilterGraph graph, String description, AVFilterInOut outputs, AVFilterInOut inputs) {
    int ret = avfilter_graph_parse_ptr(graph, description, inputs, outputs, null);
    avfilter_inout_free(inputs);
    avfilter_inout_free(outputs);
    return ret;
  }

  /** A named pad of {@code ctx} for {@link #parseGraph}, followed by {@code next} (or null). */
  static AVFilterInOut inOut(String name, AVFilterContext ctx, AVFilterInOut next) {
    AVFilterInOut io = avfilter_inout_alloc();
    io.name(av_strdup(new BytePointer(name)));
    io.filter_ctx(ctx);
    io.pad_idx(0);
    io.next(next);
    return io;
  }

  /** Loads the libraries once; call before the first libav* call from a fresh JVM. */
  public static void init() {}
}
