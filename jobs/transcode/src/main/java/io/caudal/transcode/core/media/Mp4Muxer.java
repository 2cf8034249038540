package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * Writes encoded streams to a local MP4 file, either as an ordinary progressive file or as
 * fragmented MP4 (CMAF-style: ftyp+moov, then moof+mdat pairs) whose fragments are cut exactly
 * where the caller says, by {@link #cutFragment()}, so that a fragment is one output segment.
 */
public final class Mp4Muxer implements AutoCloseable {
  private final String file;
  private final AVFormatContext ctx;
  private final List<AVCodecContext> encoders = new ArrayList<>();
  private boolean started;
  private boolean finished;

  public Mp4Muxer(String file) {
    this.file = file;
    AVFormatContext out = new AVFormatContext(null);
    check(avformat_alloc_output_context2(out, null, "mp4", file), "allocate muxer");
    ctx = out;
  }

  /** Adds a stream fed by {@code encoder}; returns its index. */
  int addStream(AVCodecContext encoder, int timescale) {
    AVStream stream = avformat_new_stream(ctx, null);
    check(avcodec_parameters_from_context(stream.codecpar(), encoder), "copy codec parameters");
    stream.time_base(av_make_q(1, timescale));
    encoders.add(encoder);
    return stream.index();
  }

  /** Marks stream {@code index} as displayed rotated clockwise by {@code degrees}. */
  public void setRotation(int index, int degrees) {
    AVCodecParameters par = ctx.streams(index).codecpar();
    IntPointer nb = new IntPointer(1).put(par.nb_coded_side_data());
    PointerPointer<AVPacketSideData> list = new PointerPointer<AVPacketSideData>(1).put(par.coded_side_data());
    AVPacketSideData data = av_packet_side_data_new(list, nb, AV_PKT_DATA_DISPLAYMATRIX, 9 * 4, 0);
    par.coded_side_data(new AVPacketSideData(list.get(0)));
    par.nb_coded_side_data(nb.get());
    // av_display_rotation_set takes a clockwise angle (av_display_rotation_get answers ccw).
    av_display_rotation_set(new IntPointer(data.data()), degrees);
  }

  /** Tags stream {@code index} with a language (ISO 639-2, as MP4's mdhd holds it). */
  public void setLanguage(int index, String iso639) {
    AVStream stream = ctx.streams(index);
    AVDictionary metadata = stream.metadata() == null ? new AVDictionary(null) : stream.metadata();
    av_dict_set(metadata, "language", iso639, 0);
    stream.metadata(metadata);
  }

  /** Starts a fragmented file: fragments end only at {@link #cutFragment()}. */
  public void startFragmented(int timescale) {
    AVDictionary options = new AVDictionary(null);
    // frag_custom: a fragment ends only when we flush; empty_moov: the init segment carries no
    // samples; default_base_moof: offsets relative to each moof, so a fragment stands alone.
    av_dict_set(options, "movflags",
        "frag_custom+empty_moov+default_base_moof+skip_trailer+negative_cts_offsets", 0);
    av_dict_set(options, "video_track_timescale", Integer.toString(timescale), 0);
    // Timestamps start at zero and B-frame reordering is carried by negative composition
    // offsets, not an edit list, so fragments of independently encoded chunks join exactly.
    av_dict_set(options, "use_editlist", "0", 0);
    start(options);
  }

  /** Starts an ordinary MP4 with its index at the front. */
  public void startProgressive() {
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "movflags", "faststart", 0);
    start(options);
  }

  private void start(AVDictionary options) {
    AVIOContext io = new AVIOContext(null);
    check(avio_open(io, file, AVIO_FLAG_WRITE), "open output");
    ctx.pb(io);
    int ret = avformat_write_header(ctx, options);
    av_dict_free(options);
    check(ret, "write header");
    started = true;
  }

  /** Writes one packet of stream {@code index}, its timestamps in that encoder's time base. */
  void write(int index, AVPacket packet) {
    av_packet_rescale_ts(packet, encoders.get(index).time_base(), ctx.streams(index).time_base());
    packet.stream_index(index);
    check(encoders.size() > 1 ? av_interleaved_write_frame(ctx, packet) : av_write_frame(ctx, packet),
        "write packet");
  }

  /** Ends the current fragment; the next packet starts a new one. */
  void cutFragment() {
    check(av_write_frame(ctx, null), "flush fragment");
  }

  public void finish() {
    if (started && !finished) {
      check(av_write_trailer(ctx), "write trailer");
      finished = true;
    }
  }

  private void check(int ret, String what) {
    if (ret < 0) {
      throw new MediaException(file, "cannot " + what + ": " + Ffmpeg.errorText(ret));
    }
  }

  @Override
  public void close() {
    if (ctx != null && !ctx.isNull()) {
      if (ctx.pb() != null && !ctx.pb().isNull()) {
        avio_closep(ctx.pb());
      }
      avformat_free_context(ctx);
    }
  }
}
