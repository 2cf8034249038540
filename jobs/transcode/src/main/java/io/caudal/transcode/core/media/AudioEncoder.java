package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swresample.*;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;

/**
 * Resamples audio of any layout and rate to 48 kHz in the layout asked for (mono, stereo, 5.1)
 * and encodes it as AAC-LC; a 5.1 source asked for stereo is downmixed by libswresample's
 * default matrix.
 * When segmented, a fragment starts at the first AAC frame at or after each segment boundary.
 */
public final class AudioEncoder extends StreamEncoder {
  private final long segmentSamples;
  private final AVAudioFifo fifo;
  private final AVFrame resampled = av_frame_alloc();
  private final AVFrame chunk = av_frame_alloc();
  private SwrContext resampler;
  private long samplesSent;
  private long nextBoundary;

  /**
   * @param segmentSamples samples per segment at 48 kHz, or 0 for an unsegmented file
   */
  public AudioEncoder(Mp4Muxer muxer, String file, int channels, EncoderSettings settings, long segmentSamples) {
    this(muxer, file, layoutOf(channels), settings, segmentSamples);
  }

  /**
   * @param layout the output channel layout as libavutil names it: "mono", "stereo", "5.1"
   * @param segmentSamples samples per segment at 48 kHz, or 0 for an unsegmented file
   */
  public AudioEncoder(Mp4Muxer muxer, String file, String layout, EncoderSettings settings, long segmentSamples) {
    super(muxer, file, "aac", ctx -> {
      ctx.sample_rate(EncoderSettings.AUDIO_SAMPLE_RATE);
      ctx.sample_fmt(AV_SAMPLE_FMT_FLTP);
      if (av_channel_layout_from_string(ctx.ch_layout(), layout) < 0) {
        throw new MediaException(file, "unknown channel layout '" + layout + "'");
      }
      // The bitrate asked for is a stereo pair's; more channels get their share of it each.
      int channels = ctx.ch_layout().nb_channels();
      ctx.bit_rate(settings.audioKbps() * 1000L * Math.max(2, channels) / 2);
      ctx.time_base(av_make_q(1, EncoderSettings.AUDIO_SAMPLE_RATE));
    }, new AVDictionary(null), EncoderSettings.AUDIO_SAMPLE_RATE);
    this.segmentSamples = segmentSamples;
    this.nextBoundary = segmentSamples;
    fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, encoder.ch_layout().nb_channels(), encoder.frame_size() * 4);
  }

  /** The layout an encoder of {@code channels} channels writes: mono, stereo or 5.1. */
  public static String layoutOf(int channels) {
    return switch (channels) {
      case 1 -> "mono";
      case 2 -> "stereo";
      case 6 -> "5.1";
      default -> throw new IllegalArgumentException("no AAC layout for " + channels + " channels");
    };
  }

  /** Resamples and queues {@code source}; encodes every whole AAC frame now available. */
  public void encode(AVFrame source) {
    if (resampler == null) {
      SwrContext swr = new SwrContext(null);
      AVChannelLayout in = source.ch_layout();
      int ret = swr_alloc_set_opts2(swr, encoder.ch_layout(), encoder.sample_fmt(), encoder.sample_rate(),
          in, source.format(), source.sample_rate(), 0, null);
      if (ret < 0 || swr_init(swr) < 0) {
        throw new MediaException(file, "cannot resample audio from " + source.sample_rate() + " Hz");
      }
      resampler = swr;
    }
    av_frame_unref(resampled);
    resampled.format(encoder.sample_fmt());
    resampled.sample_rate(encoder.sample_rate());
    av_channel_layout_copy(resampled.ch_layout(), encoder.ch_layout());
    int ret = swr_convert_frame(resampler, resampled, source);
    if (ret < 0) {
      throw new MediaException(file, "cannot resample audio: " + Ffmpeg.errorText(ret));
    }
    queue(resampled);
    drainFifo(false);
  }

  /** Flushes the resampler and the encoder. */
  public void finish() {
    if (resampler != null) {
      av_frame_unref(resampled);
      resampled.format(encoder.sample_fmt());
      resampled.sample_rate(encoder.sample_rate());
      av_channel_layout_copy(resampled.ch_layout(), encoder.ch_layout());
      if (swr_convert_frame(resampler, resampled, null) >= 0) {
        queue(resampled);
      }
    }
    drainFifo(true);
    send(null);
  }

  /** Samples handed to the encoder so far (the title's audio duration at 48 kHz). */
  public long samples() {
    return samplesSent;
  }

  private void queue(AVFrame frame) {
    if (frame.nb_samples() > 0) {
      av_audio_fifo_write(fifo, frame.data(), frame.nb_samples());
    }
  }

  private void drainFifo(boolean all) {
    int frameSize = encoder.frame_size();
    while (av_audio_fifo_size(fifo) >= frameSize || (all && av_audio_fifo_size(fifo) > 0)) {
      int n = Math.min(frameSize, av_audio_fifo_size(fifo));
      av_frame_unref(chunk);
      chunk.nb_samples(n);
      chunk.format(encoder.sample_fmt());
      chunk.sample_rate(encoder.sample_rate());
      av_channel_layout_copy(chunk.ch_layout(), encoder.ch_layout());
      av_frame_get_buffer(chunk, 0);
      av_audio_fifo_read(fifo, chunk.data(), n);
      chunk.pts(samplesSent);
      samplesSent += n;
      send(chunk);
    }
  }

  @Override
  protected boolean startsFragment(AVPacket packet) {
    // The muxer starts the file at the first packet, which carries the encoder's priming
    // samples, so a packet's place in the file is its pts plus that padding.
    long fileTime = packet.pts() + encoder.initial_padding();
    if (segmentSamples <= 0 || fileTime < nextBoundary) {
      return false;
    }
    while (nextBoundary <= fileTime) {
      nextBoundary += segmentSamples;
    }
    return true;
  }

  @Override
  public void close() {
    if (resampler != null) {
      swr_free(resampler);
    }
    av_audio_fifo_free(fifo);
    av_frame_free(resampled);
    av_frame_free(chunk);
    super.close();
  }
}
