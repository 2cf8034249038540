package io.caudal.transcode.core.audio;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.caudal.transcode.core.media.AudioFilterGraph;
import io.caudal.transcode.core.media.AudioTranscoder;
import io.caudal.transcode.core.media.MediaInput;
import java.io.File;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Measures integrated loudness and true peak with libavfilter's {@code ebur128} filter
 * (EBU R128 / ITU-R BS.1770-4, true peak on 4× oversampled audio), in-process. The filter writes
 * its running values into the metadata of the frames that close a 100 ms block; the last such
 * frame holds the stream's integrated loudness and peak (up to its last whole 100 ms, which the
 * gated 400 ms blocks of BS.1770 end on anyway).
 */
public final class LoudnessMeter implements AutoCloseable {
  private static final String PREFIX = "lavfi.r128.";
  private final AudioFilterGraph graph;
  private double integrated = Double.NaN;
  private double peak = Double.NaN;

  /** @param layout the layout to measure in ("stereo" for a downmix), or null to measure as decoded */
  public LoudnessMeter(String layout) {
    this(layout, null);
  }

  /**
   * @param layout the layout to measure in, or null to measure as decoded
   * @param filter a chain the audio goes through first, in that layout (e.g. loudnorm), or null
   */
  private LoudnessMeter(String layout, String filter) {
    String chain = (layout == null ? "" : AudioTranscoder.toLayout(layout) + ",")
        + (filter == null ? "" : filter + "," + AudioTranscoder.toLayout(layout) + ",")
        + "ebur128=peak=true:metadata=1";
    graph = new AudioFilterGraph(chain, this::read);
  }

  public void add(AVFrame frame) {
    graph.push(frame);
  }

  /** The loudness of everything added. */
  public Loudness result() {
    graph.finish();
    if (Double.isNaN(integrated)) {
      throw new IllegalStateException("ebur128: less than 100 ms of audio, nothing was measured");
    }
    double dbtp = peak > 0 ? 20 * Math.log10(peak) : Loudness.FLOOR_DBTP;
    return new Loudness(integrated, Math.max(dbtp, Loudness.FLOOR_DBTP));
  }

  private void read(AVFrame frame) {
    String i = value(frame, PREFIX + "I");
    if (i == null) {
      return;
    }
    integrated = Double.parseDouble(i);
    // true_peaks_chN: the highest true peak of channel N so far, linear (1.0 = full scale).
    double max = 0;
    for (int ch = 0; ch < frame.ch_layout().nb_channels(); ch++) {
      String p = value(frame, PREFIX + "true_peaks_ch" + ch);
      if (p != null) {
        max = Math.max(max, Double.parseDouble(p));
      }
    }
    peak = max;
  }

  private static String value(AVFrame frame, String key) {
    AVDictionaryEntry e = av_dict_get(frame.metadata(), key, null, 0);
    return e == null ? null : e.value().getString();
  }

  /**
   * The loudness of audio stream {@code audioIndex} of {@code source} as it sounds in {@code layout}
   * (a 5.1 stream measured for its stereo downmix is downmixed first).
   */
  public static Loudness ofStream(File source, int audioIndex, String layout) {
    return ofFiltered(source, audioIndex, layout, null);
  }

  /** The loudness of a stream in {@code layout} after {@code filter} (null: none), before any encoding. */
  public static Loudness ofFiltered(File source, int audioIndex, String layout, String filter) {
    try (MediaInput input = new MediaInput(source.getPath()).openAudioDecoder(audioIndex, 1);
        LoudnessMeter meter = new LoudnessMeter(layout, filter)) {
      AVFrame frame;
      while ((frame = input.nextFrame()) != null) {
        meter.add(frame);
      }
      return meter.result();
    }
  }

  /**
   * The loudness of a packaged audio track (its init segment followed by its media segments),
   * decoded back as a player would; a protected track is decrypted with {@code key}.
   */
  public static Loudness ofPackaged(File track, byte[] key) {
    MediaInput opened = key == null ? MediaInput.ownOutput(track.getPath())
        : MediaInput.ownProtectedOutput(track.getPath(), key);
    try (MediaInput input = opened.openDecoder(MediaInput.Kind.AUDIO, 1);
        LoudnessMeter meter = new LoudnessMeter(null)) {
      AVFrame frame;
      while ((frame = input.nextFrame()) != null) {
        meter.add(frame);
      }
      return meter.result();
    }
  }

  @Override
  public void close() {
    graph.close();
  }
}
