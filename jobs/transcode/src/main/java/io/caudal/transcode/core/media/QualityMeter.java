package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avfilter.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.caudal.transcode.core.plan.DetailLoss;
import io.caudal.transcode.core.plan.QualityScale;
import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Measures an encoded picture against the source picture it was made from: libavfilter scales the
 * encoded one back to the source's display size (bicubic, as a player would) and hands both luma
 * planes over; {@link DetailLoss} compares them and {@link QualityScale} puts the result on the
 * job's quality scale. The mean over the frames given is the encode's quality.
 *
 * <p>One meter per encoded stream; frames are paired by the order they are given.
 */
public final class QualityMeter implements AutoCloseable {
  private final AVFilterGraph graph = avfilter_graph_alloc();
  private final AVFilterContext reference = new AVFilterContext();
  private final AVFilterContext distorted = new AVFilterContext();
  private final AVFilterContext referenceSink = new AVFilterContext();
  private final AVFilterContext distortedSink = new AVFilterContext();
  private final AVFrame referenceOut = av_frame_alloc();
  private final AVFrame distortedOut = av_frame_alloc();
  private boolean configured;
  private long pts;
  private double qualitySum;
  private int frames;

  /** A meter; the first source picture it is given sets the size everything is compared at. */
  public QualityMeter() {
    Ffmpeg.init();
  }

  /** Compares one encoded picture with the source picture of the same instant. */
  public void add(AVFrame source, AVFrame encoded) {
    if (!configured) {
      configure(source, encoded);
    }
    push(reference, source);
    push(distorted, encoded);
    pts++;
    drain();
  }

  private void push(AVFilterContext into, AVFrame frame) {
    long saved = frame.pts();
    frame.pts(pts);
    int ret = av_buffersrc_add_frame_flags(into, frame, AV_BUFFERSRC_FLAG_KEEP_REF);
    frame.pts(saved);
    check(ret, "feed a frame");
  }

  private void drain() {
    while (true) {
      int ret = av_buffersink_get_frame(distortedSink, distortedOut);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      check(ret, "read a scaled encoded frame");
      check(av_buffersink_get_frame(referenceSink, referenceOut), "read the matching source frame");
      int w = referenceOut.width();
      int h = referenceOut.height();
      qualitySum += QualityScale.fromDetailLoss(DetailLoss.of(luma(referenceOut), luma(distortedOut), w, h, w));
      frames++;
      av_frame_unref(distortedOut);
      av_frame_unref(referenceOut);
    }
  }

  /** The frame's luma plane, rows packed. */
  private static byte[] luma(AVFrame f) {
    int w = f.width();
    byte[] plane = new byte[w * f.height()];
    for (int y = 0; y < f.height(); y++) {
      f.data(0).position((long) y * f.linesize(0)).get(plane, y * w, w);
    }
    return plane;
  }

  private void configure(AVFrame source, AVFrame encoded) {
    check(avfilter_graph_create_filter(reference, avfilter_get_by_name("buffer"), "ref", args(source), null, graph),
        "create the reference input");
    check(avfilter_graph_create_filter(distorted, avfilter_get_by_name("buffer"), "dis", args(encoded), null, graph),
        "create the encoded input");
    check(avfilter_graph_create_filter(referenceSink, avfilter_get_by_name("buffersink"), "refout", null, null, graph),
        "create the reference sink");
    check(avfilter_graph_create_filter(distortedSink, avfilter_get_by_name("buffersink"), "disout", null, null, graph),
        "create the encoded sink");
    // 8-bit luma at the source's size: what the measure compares.
    String description = String.format(Locale.ROOT,
        "[dis]scale=%d:%d:flags=bicubic,format=gray[d];[ref]format=gray[r]", source.width(), source.height());
    check(Ffmpeg.parseGraph(graph, description,
        Ffmpeg.inOut("ref", reference, Ffmpeg.inOut("dis", distorted, null)),
        Ffmpeg.inOut("r", referenceSink, Ffmpeg.inOut("d", distortedSink, null))),
        "parse the comparison graph");
    check(avfilter_graph_config(graph, null), "configure the comparison graph");
    configured = true;
  }

  private static String args(AVFrame f) {
    return String.format(Locale.ROOT, "video_size=%dx%d:pix_fmt=%d:time_base=1/25:pixel_aspect=1/1",
        f.width(), f.height(), f.format());
  }

  /** The sum of the frames' quality (flushing what the graph still holds), to be added up over chunks. */
  public double qualitySum() {
    flush();
    return qualitySum;
  }

  private void flush() {
    if (configured && pts > 0) {
      check(av_buffersrc_add_frame_flags(reference, null, 0), "end the reference input");
      check(av_buffersrc_add_frame_flags(distorted, null, 0), "end the encoded input");
      drain();
      pts = 0; // ended: a second flush sends nothing
    }
  }

  /** Frames compared (after a flush). */
  public int frames() {
    flush();
    return frames;
  }

  private static void check(int ret, String what) {
    if (ret < 0) {
      throw new IllegalStateException("libavfilter: cannot " + what + ": " + Ffmpeg.errorText(ret));
    }
  }

  @Override
  public void close() {
    av_frame_free(referenceOut);
    av_frame_free(distortedOut);
    avfilter_graph_free(graph);
  }
}
