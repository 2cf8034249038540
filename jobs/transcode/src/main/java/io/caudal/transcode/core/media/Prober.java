package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.caudal.transcode.core.plan.FrameRate;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;

/**
 * Reads a source's streams (every audio stream with its language, title and layout), duration, frame rate (constant or variable), size, rotation and
 * keyframe times by walking its packets once, without decoding.
 */
public final class Prober {
  /** A container that claims more than this beyond its last packet is truncated. */
  private static final long TRUNCATION_SLACK_MICROS = 500_000;

  private Prober() {}

  public static SourceInfo probe(File file) {
    String path = file.getPath();
    if (!file.exists()) {
      throw new MediaException(path, "no such file");
    }
    if (file.length() == 0) {
      throw new MediaException(path, "file is empty (0 bytes)");
    }
    try (MediaInput input = new MediaInput(path)) {
      int video = input.bestStream(MediaInput.Kind.VIDEO);
      int[] audioStreams = input.streamsOf(MediaInput.Kind.AUDIO);
      // The first audio stream is the title's default, so the single-stream fields describe it.
      int audio = audioStreams.length > 0 ? audioStreams[0] : -1;
      long[] streamStart = new long[input.format().nb_streams()];
      long[] streamEnd = new long[input.format().nb_streams()];
      Arrays.fill(streamStart, Long.MAX_VALUE);
      Arrays.fill(streamEnd, Long.MIN_VALUE);
      if (video < 0 && audio < 0) {
        throw new MediaException(path, "not a video: no audio or video stream found");
      }
      long[] pts = new long[1024];
      int frames = 0;
      long[] keys = new long[64];
      int keyCount = 0;
      long videoEnd = Long.MIN_VALUE;
      long audioStart = Long.MAX_VALUE;
      long audioEnd = Long.MIN_VALUE;
      AVRational micros = av_make_q(1, 1_000_000);
      AVPacket packet;
      while ((packet = input.nextPacket()) != null) {
        int index = packet.stream_index();
        long t = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
        if (t == AV_NOPTS_VALUE) {
          continue;
        }
        AVRational tb = input.format().streams(index).time_base();
        long startMicros = av_rescale_q(t, tb, micros);
        long endMicros = av_rescale_q(t + Math.max(0, packet.duration()), tb, micros);
        if (index == video) {
          if (frames == pts.length) {
            pts = Arrays.copyOf(pts, frames * 2);
          }
          pts[frames++] = startMicros;
          videoEnd = Math.max(videoEnd, endMicros);
          if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
            if (keyCount == keys.length) {
              keys = Arrays.copyOf(keys, keyCount * 2);
            }
            keys[keyCount++] = startMicros;
          }
        } else {
          streamStart[index] = Math.min(streamStart[index], startMicros);
          streamEnd[index] = Math.max(streamEnd[index], endMicros);
          if (index == audio) {
            audioStart = Math.min(audioStart, startMicros);
            audioEnd = Math.max(audioEnd, endMicros);
          }
        }
      }
      if (video >= 0 && frames == 0) {
        throw new MediaException(path, "truncated: the video stream has no frames");
      }
      long[] sorted = Arrays.copyOf(pts, frames);
      Arrays.sort(sorted);
      long[] keyTimes = Arrays.copyOf(keys, keyCount);
      Arrays.sort(keyTimes);
      long videoStart = frames > 0 ? sorted[0] : 0;
      long videoDuration = frames > 0 ? videoEnd - videoStart : 0;
      long audioDuration = audio >= 0 && audioEnd > Long.MIN_VALUE ? audioEnd - audioStart : 0;
      long found = Math.max(videoDuration, audioDuration);
      long declared = input.format().duration() == AV_NOPTS_VALUE ? found : input.format().duration();
      if (found <= 0) {
        throw new MediaException(path, "truncated: no media data found");
      }
      if (declared - found > TRUNCATION_SLACK_MICROS) {
        throw new MediaException(path, String.format(java.util.Locale.ROOT,
            "truncated: the container declares %.2f s but its media data ends at %.2f s",
            declared / 1e6, found / 1e6));
      }
      for (int i = 0; i < keyTimes.length; i++) {
        keyTimes[i] -= videoStart;
      }
      List<AudioStream> audios = new ArrayList<>();
      for (int i = 0; i < audioStreams.length; i++) {
        int s = audioStreams[i];
        AVStream stream = input.format().streams(s);
        AVCodecParameters a = stream.codecpar();
        long duration = streamEnd[s] > Long.MIN_VALUE ? streamEnd[s] - streamStart[s] : 0;
        audios.add(new AudioStream(i, s, tag(stream, "language"), tag(stream, "title"), a.ch_layout().nb_channels(),
            layout(a.ch_layout()), a.sample_rate(), duration));
      }
      if (video < 0) {
        AVCodecParameters a = input.format().streams(audio).codecpar();
        return new SourceInfo(path, audioDuration, false, true, 0, 0, 0, null, null, false,
            0, new long[0], 0, 0, a.ch_layout().nb_channels(), a.sample_rate(), audioDuration, List.copyOf(audios));
      }
      AVStream stream = input.format().streams(video);
      AVCodecParameters par = stream.codecpar();
      FrameRate nominal = rate(stream.r_frame_rate());
      FrameRate average = frames > 1
          ? new FrameRate((int) Math.round((frames - 1) * 1000.0 * 1_000_000 / (sorted[frames - 1] - sorted[0])), 1000)
          : nominal;
      if (average == null) {
        average = new FrameRate(25, 1);
      }
      int channels = audio >= 0 ? input.format().streams(audio).codecpar().ch_layout().nb_channels() : 0;
      int sampleRate = audio >= 0 ? input.format().streams(audio).codecpar().sample_rate() : 0;
      return new SourceInfo(path, found, true, audio >= 0, par.width(), par.height(), rotation(par),
          nominal, average, isVariable(sorted, frames), videoStart, keyTimes, frames, videoDuration,
          channels, sampleRate, audioDuration, List.copyOf(audios));
    }
  }

  /** A stream's metadata tag, or null when absent or blank ("und" counts as absent). */
  private static String tag(AVStream stream, String key) {
    AVDictionaryEntry entry = av_dict_get(stream.metadata(), key, null, 0);
    if (entry == null || entry.value() == null) {
      return null;
    }
    String value = entry.value().getString(java.nio.charset.StandardCharsets.UTF_8).strip();
    return value.isEmpty() || "und".equalsIgnoreCase(value) ? null : value;
  }

  private static String layout(AVChannelLayout layout) {
    byte[] buf = new byte[64];
    int n = av_channel_layout_describe(layout, buf, buf.length);
    if (n < 0) {
      return layout.nb_channels() + " channels";
    }
    int end = 0;
    while (end < buf.length && buf[end] != 0) {
      end++;
    }
    return new String(buf, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static FrameRate rate(AVRational r) {
    return r.num() > 0 && r.den() > 0 ? new FrameRate(r.num(), r.den()) : null;
  }

  /** Variable when some frame lasts over 1.5× or under 0.5× the median frame duration. */
  private static boolean isVariable(long[] sortedMicros, int frames) {
    if (frames < 3) {
      return false;
    }
    long[] deltas = new long[frames - 1];
    for (int i = 1; i < frames; i++) {
      deltas[i - 1] = sortedMicros[i] - sortedMicros[i - 1];
    }
    long[] ordered = deltas.clone();
    Arrays.sort(ordered);
    long median = ordered[ordered.length / 2];
    return ordered[0] < median / 2 || ordered[ordered.length - 1] > median * 3 / 2;
  }

  private static int rotation(AVCodecParameters par) {
    AVPacketSideData data = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
        AV_PKT_DATA_DISPLAYMATRIX);
    if (data == null || data.isNull()) {
      return 0;
    }
    double counterClockwise = av_display_rotation_get(new IntPointer(data.data()));
    if (Double.isNaN(counterClockwise)) {
      return 0;
    }
    int clockwise = (int) Math.round(-counterClockwise / 90.0) * 90;
    return ((clockwise % 360) + 360) % 360;
  }
}
