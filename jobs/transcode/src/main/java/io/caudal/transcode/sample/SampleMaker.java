package io.caudal.transcode.sample;

import io.caudal.transcode.core.lang.Languages;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import io.caudal.transcode.core.media.AudioEncoder;
import io.caudal.transcode.core.media.EncoderSettings;
import io.caudal.transcode.core.media.FilterGraphSource;
import io.caudal.transcode.core.media.Mp4Muxer;
import io.caudal.transcode.core.media.VideoEncoder;
import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.plan.RungTarget;
import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import io.caudal.transcode.core.media.MovTextMuxer;
import io.caudal.transcode.core.text.Cue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Makes synthetic mezzanine files with FFmpeg's own test sources (testsrc2 and sine), in-process:
 * the demo's sample title, the tests' media and the benchmark's source.
 *
 * <pre>java -cp caudal-transcode.jar io.caudal.transcode.sample.SampleMaker OUT.mp4 [--seconds 10]
 *   [--size 1280x720] [--rate 30] [--gop 60] [--kbps 4000] [--rotate 90] [--vfr] [--no-audio] [--no-video]
 *   [--audio en:2 --audio fr:6] [--subtitle-stream en]</pre>
 *
 * ({@code --help} lists the options, see {@link SampleOptions}).
 */
public final class SampleMaker {
  /**
   * What to make.
   *
   * @param gopFrames distance between the source's keyframes (large = sparse keyframes)
   * @param variableRate drop every third frame in the first half, so frame durations vary
   * @param rotation display rotation flag in degrees (the pixels stay landscape)
   * @param audioStreams the audio streams when {@code audio}; empty: one untagged stereo stream
   */
  public record Spec(double seconds, int width, int height, FrameRate rate, int gopFrames,
      boolean video, boolean audio, int rotation, boolean variableRate, int videoKbps, String pattern,
      List<AudioSpec> audioStreams) {
    /** FFmpeg's moving test pattern, the default picture. */
    public static final String TESTSRC2 = "testsrc2";
    public static final FrameRate DEFAULT_RATE = new FrameRate(30, 1);
    public static final int DEFAULT_GOP_FRAMES = 60;
    public static final int DEFAULT_VIDEO_KBPS = 4000;

    /** Video and stereo audio, at the default rate, keyframe distance and bitrate. */
    public static Spec of(double seconds, int width, int height) {
      return new Spec(seconds, width, height, DEFAULT_RATE, DEFAULT_GOP_FRAMES, true, true, 0, false,
          DEFAULT_VIDEO_KBPS, TESTSRC2, List.of());
    }

    public Spec withRate(FrameRate r) {
      return new Spec(seconds, width, height, r, gopFrames, video, audio, rotation, variableRate, videoKbps,
          pattern, audioStreams);
    }

    public Spec withGop(int g) {
      return new Spec(seconds, width, height, rate, g, video, audio, rotation, variableRate, videoKbps,
          pattern, audioStreams);
    }

    public Spec withoutAudio() {
      return new Spec(seconds, width, height, rate, gopFrames, video, false, rotation, variableRate, videoKbps, pattern,
          List.of());
    }

    /** These audio streams instead of the one untagged stereo stream, in this order. */
    public Spec withAudio(AudioSpec... streams) {
      return new Spec(seconds, width, height, rate, gopFrames, video, streams.length > 0, rotation, variableRate,
          videoKbps, pattern, List.of(streams));
    }

    /** The audio streams made: those asked for, or one untagged stereo stream. */
    public List<AudioSpec> audioToMake() {
      return !audio ? List.of() : audioStreams.isEmpty() ? List.of(AudioSpec.DEFAULT) : audioStreams;
    }

    public Spec withoutVideo() {
      return new Spec(seconds, width, height, rate, gopFrames, false, audio, rotation, variableRate, videoKbps,
          pattern, audioStreams);
    }

    public Spec withRotation(int degrees) {
      return new Spec(seconds, width, height, rate, gopFrames, video, audio, degrees, variableRate, videoKbps,
          pattern, audioStreams);
    }

    public Spec withVariableRate() {
      return new Spec(seconds, width, height, rate, gopFrames, video, audio, rotation, true, videoKbps,
          pattern, audioStreams);
    }

    /**
     * Another libavfilter source for the picture, with its own options, e.g. {@code smptebars}
     * (a still), {@code mandelbrot}, {@code cellauto}, or
     * {@code nullsrc,geq=lum='random(1)*255':cb=128:cr=128} (noise); size, rate and duration
     * are added here.
     */
    public Spec withPattern(String source) {
      return new Spec(seconds, width, height, rate, gopFrames, video, audio, rotation, variableRate, videoKbps,
          source, audioStreams);
    }

    public Spec withVideoKbps(int kbps) {
      return new Spec(seconds, width, height, rate, gopFrames, video, audio, rotation, variableRate, kbps,
          pattern, audioStreams);
    }
  }

  /**
   * One audio stream: a beeping sine, its tone set by its place among the streams (440 Hz, 660 Hz,
   * 880 Hz …) so that streams are told apart.
   *
   * @param language the stream's language tag (BCP 47 or ISO 639-2, written as ISO 639-2 in the
   *     MP4), or null for an untagged stream
   * @param channels 1, 2 or 6 (5.1: the tone on every channel but LFE, which gets half of it)
   * @param gainDb the level against the sine's own (a peak at -18 dBFS, about -18 LUFS in stereo)
   */
  public record AudioSpec(String language, int channels, double gainDb) {
    public static final AudioSpec DEFAULT = new AudioSpec(null, 2, 0);

    public AudioSpec {
      if (channels != 1 && channels != 2 && channels != 6) {
        throw new IllegalArgumentException("audio channels must be 1, 2 or 6, got " + channels);
      }
    }

    public static AudioSpec of(String language, int channels) {
      return new AudioSpec(language, channels, 0);
    }

    public AudioSpec withGainDb(double db) {
      return new AudioSpec(language, channels, db);
    }

    /** The libavfilter graph of the {@code index}-th stream. */
    String graph(int index, String seconds) {
      String chain = String.format(Locale.ROOT, "sine=frequency=%d:beep_factor=4:sample_rate=48000:duration=%s",
          440 + 220 * index, seconds);
      if (gainDb != 0) {
        chain += String.format(Locale.ROOT, ",volume=volume=%.2fdB:precision=double", gainDb);
      }
      return switch (channels) {
        case 1 -> chain;
        case 2 -> chain + ",pan=stereo|FL=c0|FR=c0";
        default -> chain + ",pan=5.1|FL=c0|FR=c0|FC=c0|LFE=0.5*c0|BL=c0|BR=c0";
      };
    }

    /** The ISO 639-2/T code the MP4 muxer writes, or null. */
    String iso639() {
      if (language == null) {
        return null;
      }
      String bcp47 = Languages.normalise(language);
      return Locale.forLanguageTag(bcp47).getISO3Language();
    }
  }

  private SampleMaker() {}

  /** Writes the sample described by {@code spec} to {@code out} (an MP4 file). */
  public static void make(Spec spec, File out) {
    String path = out.getAbsolutePath();
    EncoderSettings settings = new EncoderSettings("veryfast", 0, EncoderSettings.DEFAULT_AUDIO_KBPS);
    String seconds = String.format(Locale.ROOT, "%.3f", spec.seconds());
    List<AudioSpec> audioSpecs = spec.audioToMake();
    List<FilterGraphSource> audio = new ArrayList<>();
    List<AudioEncoder> audioOut = new ArrayList<>();
    try (Mp4Muxer muxer = new Mp4Muxer(path);
        FilterGraphSource video = spec.video() ? FilterGraphSource.video(source(spec, seconds)) : null;
        VideoEncoder videoOut = spec.video() ? VideoEncoder.plain(muxer, path,
            new RungTarget("source", spec.width(), spec.height(), spec.videoKbps(), spec.videoKbps() * 2, spec.videoKbps() * 2),
            spec.rate(), spec.gopFrames(), settings) : null) {
      try {
        for (int i = 0; i < audioSpecs.size(); i++) {
          AudioSpec a = audioSpecs.get(i);
          audio.add(FilterGraphSource.audio(a.graph(i, seconds)));
          audioOut.add(new AudioEncoder(muxer, path, AudioEncoder.layoutOf(a.channels()), settings, 0));
          if (a.iso639() != null) {
            muxer.setLanguage((spec.video() ? 1 : 0) + i, a.iso639());
          }
        }
        if (spec.rotation() != 0 && spec.video()) {
          muxer.setRotation(0, spec.rotation());
        }
        muxer.startProgressive();
        long frameIndex = 0;
        long totalFrames = spec.video() ? Math.round(spec.seconds() * spec.rate().fps()) : 0;
        boolean videoDone = !spec.video();
        boolean[] audioDone = new boolean[audioSpecs.size()];
        while (true) {
          // Interleave by time so the muxer never buffers a whole stream.
          double videoTime = videoDone ? Double.MAX_VALUE : frameIndex / spec.rate().fps();
          int next = -1;
          double audioTime = Double.MAX_VALUE;
          for (int i = 0; i < audioSpecs.size(); i++) {
            double t = audioDone[i] ? Double.MAX_VALUE : audioOut.get(i).samples() / 48_000.0;
            if (t < audioTime) {
              audioTime = t;
              next = i;
            }
          }
          if (videoDone && next < 0) {
            break;
          }
          if (videoTime <= audioTime) {
            AVFrame frame = video.next();
            if (frame == null) {
              videoDone = true;
              continue;
            }
            boolean drop = spec.variableRate() && frameIndex < totalFrames / 2 && frameIndex % 3 == 2;
            if (!drop) {
              videoOut.encodeAt(frame, frameIndex);
            }
            frameIndex++;
          } else {
            AVFrame frame = audio.get(next).next();
            if (frame == null) {
              audioDone[next] = true;
              continue;
            }
            audioOut.get(next).encode(frame);
          }
        }
        if (videoOut != null) {
          videoOut.finish();
        }
        audioOut.forEach(AudioEncoder::finish);
        muxer.finish();
      } finally {
        audioOut.forEach(AudioEncoder::close);
        audio.forEach(FilterGraphSource::close);
      }
    }
  }

  /**
   * The cues of the sample's subtitle stream, spread over {@code seconds}, the last of two lines.
   * They do not overlap: a 3GPP text track is one sample after another.
   */
  public static List<Cue> subtitleCues(double seconds) {
    long ms = Math.round(seconds * 1000);
    return List.of(
        new Cue(ms / 10, ms * 3 / 10, "Hello from the stream"),
        new Cue(ms * 35 / 100, ms * 55 / 100, "A line in the middle"),
        new Cue(ms * 6 / 10, ms * 8 / 10, "Second part\nin two lines"));
  }

  /** Adds a mov_text stream in {@code language} (ISO 639-1 or -2) with {@link #subtitleCues}. */
  public static void addSubtitleStream(File mp4, String language, double seconds) {
    String iso639 = language.length() == 2 ? Locale.forLanguageTag(language).getISO3Language() : language;
    MovTextMuxer.addStream(mp4, iso639, subtitleCues(seconds));
  }

  /** The picture's source graph: testsrc2 stops by itself; any other source is trimmed. */
  private static String source(Spec spec, String seconds) {
    String rate = spec.rate().num() + "/" + spec.rate().den();
    if (Spec.TESTSRC2.equals(spec.pattern())) {
      return String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=%s:duration=%s,format=yuv420p",
          spec.width(), spec.height(), rate, seconds);
    }
    String[] chain = spec.pattern().split(",", 2);
    String first = chain[0] + (chain[0].contains("=") ? ":" : "=")
        + String.format(Locale.ROOT, "size=%dx%d:rate=%s", spec.width(), spec.height(), rate);
    return first + (chain.length > 1 ? "," + chain[1] : "")
        + ",trim=duration=" + seconds + ",format=yuv420p";
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Makes the sample the command line describes; returns the exit code (2 for bad options). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Optional<SampleOptions> parsed;
    try {
      parsed = SampleOptions.parse(args);
    } catch (UsageException e) {
      return CommandLines.refuse("SampleMaker", e, err);
    }
    return parsed.map(options -> write(options, out)).orElseGet(() -> help(out));
  }

  private static int help(PrintStream out) {
    out.print(SampleOptions.usage());
    return 0;
  }

  private static int write(SampleOptions options, PrintStream out) {
    make(options.spec(), options.out().toFile());
    if (options.subtitleStream() != null) {
      addSubtitleStream(options.out().toFile(), options.subtitleStream(), options.spec().seconds());
    }
    out.println("wrote " + options.out());
    return 0;
  }
}
