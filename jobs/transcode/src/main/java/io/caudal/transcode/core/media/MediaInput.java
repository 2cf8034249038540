package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * A demuxer plus one decoder over a local media file: the in-process replacement for reading
 * frames out of an {@code ffmpeg} child process.
 */
public final class MediaInput implements AutoCloseable {
  /** Which elementary stream to decode. */
  public enum Kind { VIDEO, AUDIO }

  private final String path;
  private final AVFormatContext format;
  private final AVPacket packet = av_packet_alloc();
  private final AVFrame frame = av_frame_alloc();
  private AVCodecContext decoder;
  private int streamIndex = -1;
  private boolean drained;
  private boolean inputEnded;

  /** Opens a file and reads its stream information (decoding a few frames if it must). */
  public MediaInput(String path) {
    this(path, true);
  }

  /**
   * Opens a file this job wrote itself, trusting its header: an MP4 init segment already states
   * every codec parameter, so no frames are decoded just to probe.
   */
  public static MediaInput ownOutput(String path) {
    return new MediaInput(path, false, null);
  }

  /**
   * Opens a protected file this job wrote, decrypted by the MP4 demuxer (its
   * {@code decryption_key} option: cenc and cbcs, from the tenc, senc and subsamples).
   *
   * @param key the track's 16-byte content key
   */
  public static MediaInput ownProtectedOutput(String path, byte[] key) {
    return new MediaInput(path, false, key);
  }

  private MediaInput(String path, boolean readStreamInfo) {
    this(path, readStreamInfo, null);
  }

  private MediaInput(String path, boolean readStreamInfo, byte[] decryptionKey) {
    Ffmpeg.init();
    this.path = path;
    AVFormatContext ctx = new AVFormatContext(null);
    AVDictionary options = null;
    if (decryptionKey != null) {
      options = new AVDictionary(null);
      av_dict_set(options, "decryption_key", java.util.HexFormat.of().formatHex(decryptionKey), 0);
    }
    int ret = avformat_open_input(ctx, path, null, options);
    if (options != null) {
      av_dict_free(options);
    }
    if (ret < 0) {
      throw new MediaException(path, "not a readable media file: " + Ffmpeg.errorText(ret));
    }
    this.format = ctx;
    ret = readStreamInfo ? avformat_find_stream_info(format, (org.bytedeco.javacpp.PointerPointer<?>) null) : 0;
    if (ret < 0) {
      close();
      throw new MediaException(path, "cannot read stream information: " + Ffmpeg.errorText(ret));
    }
  }

  public AVFormatContext format() {
    return format;
  }

  /** Index of the best stream of this kind, or -1. */
  public int bestStream(Kind kind) {
    int ret = av_find_best_stream(format, kind == Kind.VIDEO ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO,
        -1, -1, (AVCodec) null, 0);
    if (ret >= 0 && kind == Kind.VIDEO
        && (format.streams(ret).disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0) {
      return -1; // cover art is not a video track
    }
    return ret < 0 ? -1 : ret;
  }

  /** The container indexes of every stream of this kind, in the container's order (cover art is no video). */
  public int[] streamsOf(Kind kind) {
    int type = kind == Kind.VIDEO ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO;
    java.util.List<Integer> found = new java.util.ArrayList<>();
    for (int i = 0; i < format.nb_streams(); i++) {
      AVStream s = format.streams(i);
      if (s.codecpar().codec_type() == type && (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
        found.add(i);
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Opens the decoder for {@code kind}; {@code threads} 0 lets libavcodec choose. */
  public MediaInput openDecoder(Kind kind, int threads) {
    streamIndex = bestStream(kind);
    if (streamIndex < 0) {
      throw new MediaException(path, "has no " + kind.name().toLowerCase() + " stream");
    }
    return openStream(threads);
  }

  /**
   * Opens the decoder of the {@code nth} audio stream (0 = the first in the container).
   */
  public MediaInput openAudioDecoder(int nth, int threads) {
    int[] audio = streamsOf(Kind.AUDIO);
    if (nth < 0 || nth >= audio.length) {
      throw new MediaException(path, "has no audio stream " + nth + " (it has " + audio.length + ")");
    }
    streamIndex = audio[nth];
    return openStream(threads);
  }

  private MediaInput openStream(int threads) {
    AVStream stream = format.streams(streamIndex);
    AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
    if (codec == null) {
      throw new MediaException(path, "no decoder for codec id " + stream.codecpar().codec_id());
    }
    decoder = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(decoder, stream.codecpar());
    decoder.thread_count(threads);
    decoder.pkt_timebase(stream.time_base());
    int ret = avcodec_open2(decoder, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
    if (ret < 0) {
      throw new MediaException(path, "cannot open decoder: " + Ffmpeg.errorText(ret));
    }
    return this;
  }

  public AVStream stream() {
    return format.streams(streamIndex);
  }

  public AVRational timeBase() {
    return stream().time_base();
  }

  public AVCodecContext decoder() {
    return decoder;
  }

  /** Seeks so that decoding starts at the last keyframe at or before {@code micros}. */
  public void seekMicros(long micros) {
    long ts = av_rescale_q(micros, av_make_q(1, 1_000_000), timeBase());
    int ret = av_seek_frame(format, streamIndex, ts, AVSEEK_FLAG_BACKWARD);
    if (ret < 0) {
      throw new MediaException(path, "cannot seek to " + micros / 1000 + " ms: " + Ffmpeg.errorText(ret));
    }
    avcodec_flush_buffers(decoder);
    drained = false;
    inputEnded = false;
  }

  /**
   * The next decoded frame of the open stream (owned by this input, valid until the next
   * call), or null at the end. Its {@code best_effort_timestamp} is in {@link #timeBase()}.
   */
  public AVFrame nextFrame() {
    while (!drained) {
      int ret = avcodec_receive_frame(decoder, frame);
      if (ret >= 0) {
        return frame;
      }
      if (ret == AVERROR_EOF()) {
        drained = true;
        return null;
      }
      if (ret != AVERROR_EAGAIN()) {
        throw new MediaException(path, "decoding failed: " + Ffmpeg.errorText(ret));
      }
      if (inputEnded) {
        throw new MediaException(path, "decoder stalled after end of input");
      }
      feedDecoder();
    }
    return null;
  }

  private void feedDecoder() {
    while (true) {
      int ret = av_read_frame(format, packet);
      if (ret == AVERROR_EOF()) {
        inputEnded = true;
        avcodec_send_packet(decoder, null);
        return;
      }
      if (ret < 0) {
        throw new MediaException(path, "cannot read packet: " + Ffmpeg.errorText(ret));
      }
      try {
        if (packet.stream_index() == streamIndex) {
          ret = avcodec_send_packet(decoder, packet);
          if (ret < 0 && ret != AVERROR_INVALIDDATA()) {
            throw new MediaException(path, "cannot decode packet: " + Ffmpeg.errorText(ret));
          }
          return;
        }
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  /**
   * Reads the next packet of any stream without decoding it (for probing); null at the end.
   * The packet is owned by this input and valid until the next call.
   */
  public AVPacket nextPacket() {
    av_packet_unref(packet);
    int ret = av_read_frame(format, packet);
    if (ret == AVERROR_EOF()) {
      return null;
    }
    if (ret < 0) {
      throw new MediaException(path, "cannot read packet: " + Ffmpeg.errorText(ret));
    }
    return packet;
  }

  @Override
  public void close() {
    if (decoder != null) {
      avcodec_free_context(decoder);
      decoder = null;
    }
    av_frame_free(frame);
    av_packet_free(packet);
    if (format != null && !format.isNull()) {
      avformat_close_input(format);
    }
  }
}
