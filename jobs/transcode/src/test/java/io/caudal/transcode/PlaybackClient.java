package io.caudal.transcode;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A real player's demuxers: FFmpeg's HLS and DASH clients read a master playlist or an MPD. Like
 * a player that picks one rendition, each stream they expose (one per rung, plus audio) is
 * played on its own, the others discarded, and decoded from the first segment to the last.
 */
final class PlaybackClient {
  /** What was decoded of one stream. */
  record Played(boolean video, int width, int height, int frames, int errors) {}

  private PlaybackClient() {}

  static List<Played> playEveryStream(String url) {
    List<Played> played = new ArrayList<>();
    AVFormatContext probe = open(url);
    int streams = probe.nb_streams();
    avformat_close_input(probe);
    for (int s = 0; s < streams; s++) {
      played.add(playOnly(url, s));
    }
    return played;
  }

  private static AVFormatContext open(String url) {
    AVFormatContext ctx = new AVFormatContext(null);
    AVDictionary options = new AVDictionary(null);
    // Local playlists may name segments with any extension (.m4s); allow them as a player would.
    av_dict_set(options, "allowed_extensions", "ALL", 0);
    av_dict_set(options, "allowed_segment_extensions", "ALL", 0);
    int ret = avformat_open_input(ctx, url, null, options);
    av_dict_free(options);
    if (ret < 0) {
      throw new AssertionError("cannot open " + url + ": " + ret);
    }
    avformat_find_stream_info(ctx, (PointerPointer<?>) null);
    return ctx;
  }

  private static Played playOnly(String url, int stream) {
    AVFormatContext ctx = open(url);
    AVCodecContext decoder = null;
    try {
      for (int i = 0; i < ctx.nb_streams(); i++) {
        ctx.streams(i).discard(i == stream ? AVDISCARD_DEFAULT : AVDISCARD_ALL);
      }
      var par = ctx.streams(stream).codecpar();
      AVCodec codec = avcodec_find_decoder(par.codec_id());
      decoder = avcodec_alloc_context3(codec);
      avcodec_parameters_to_context(decoder, par);
      decoder.thread_count(1);
      avcodec_open2(decoder, codec, (AVDictionary) null);
      AVPacket packet = av_packet_alloc();
      AVFrame frame = av_frame_alloc();
      int frames = 0;
      int errors = 0;
      while (av_read_frame(ctx, packet) >= 0) {
        if (packet.stream_index() == stream) {
          if (avcodec_send_packet(decoder, packet) < 0) {
            errors++;
          }
          while (avcodec_receive_frame(decoder, frame) >= 0) {
            frames++;
          }
        }
        av_packet_unref(packet);
      }
      avcodec_send_packet(decoder, null);
      while (avcodec_receive_frame(decoder, frame) >= 0) {
        frames++;
      }
      av_frame_free(frame);
      av_packet_free(packet);
      return new Played(par.codec_type() == AVMEDIA_TYPE_VIDEO, par.width(), par.height(), frames, errors);
    } finally {
      if (decoder != null) {
        avcodec_free_context(decoder);
      }
      avformat_close_input(ctx);
    }
  }
}
