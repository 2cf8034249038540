package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/** An encoder whose packets go to one stream of an {@link Mp4Muxer}. */
abstract class StreamEncoder implements AutoCloseable {
  protected final String file;
  protected final AVCodecContext encoder;
  private final Mp4Muxer muxer;
  private final int streamIndex;
  private final AVPacket packet = av_packet_alloc();
  private boolean firstPacket = true;
  private long payloadBytes;
  private long firstPacketBytes = -1;

  /** Opens {@code codecName} after {@code configure} has set up its context. */
  StreamEncoder(Mp4Muxer muxer, String file, String codecName, java.util.function.Consumer<AVCodecContext> configure,
      AVDictionary options, int timescale) {
    Ffmpeg.init();
    this.file = file;
    this.muxer = muxer;
    AVCodec codec = avcodec_find_encoder_by_name(codecName);
    if (codec == null) {
      throw new MediaException(file, codecName + " is not in this FFmpeg build");
    }
    encoder = avcodec_alloc_context3(codec);
    configure.accept(encoder);
    // MP4 wants codec configuration in the sample description, not repeated in-band.
    encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    int ret = avcodec_open2(encoder, codec, options);
    av_dict_free(options);
    if (ret < 0) {
      throw new MediaException(file, "cannot open " + codecName + ": " + Ffmpeg.errorText(ret));
    }
    streamIndex = muxer.addStream(encoder, timescale);
  }

  /** Whether a fragment must end before {@code packet} (fragmented output only). */
  protected abstract boolean startsFragment(AVPacket packet);

  /** Sends one frame (null to drain) and writes every packet the encoder returns. */
  protected final void send(AVFrame frame) {
    int ret = avcodec_send_frame(encoder, frame);
    if (ret < 0) {
      throw new MediaException(file, "encoder refused a frame: " + Ffmpeg.errorText(ret));
    }
    while ((ret = avcodec_receive_packet(encoder, packet)) >= 0) {
      if (!firstPacket && startsFragment(packet)) {
        muxer.cutFragment();
      }
      firstPacket = false;
      payloadBytes += packet.size();
      if (firstPacketBytes < 0) {
        firstPacketBytes = packet.size();
      }
      muxer.write(streamIndex, packet);
      av_packet_unref(packet);
    }
    if (ret != AVERROR_EAGAIN() && ret != AVERROR_EOF()) {
      throw new MediaException(file, "encoding failed: " + Ffmpeg.errorText(ret));
    }
  }

  /** Bytes of the first coded frame (a keyframe), 0 before it. */
  public long firstPacketBytes() {
    return Math.max(0, firstPacketBytes);
  }

  /** Bytes of coded frames written so far (no container overhead). */
  public long payloadBytes() {
    return payloadBytes;
  }

  @Override
  public void close() {
    av_packet_free(packet);
    avcodec_free_context(encoder);
  }
}
