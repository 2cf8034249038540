package io.caudal.transcode.sample;

import io.caudal.transcode.core.lang.Languages;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import io.caudal.transcode.core.plan.FrameRate;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of {@link SampleMaker}, parsed and checked.
 *
 * @param out the MP4 file to write
 * @param spec what to make
 * @param subtitleStream the language of a mov_text stream with a few cues to add; null for none
 */
public record SampleOptions(Path out, SampleMaker.Spec spec, String subtitleStream) {

  public static final double DEFAULT_SECONDS = 10;
  public static final String DEFAULT_SIZE = "1280x720";

  /**
   * Parses the command line.
   *
   * @return the options, or empty when help was asked for
   * @throws UsageException naming the option and what is wrong with it
   */
  public static Optional<SampleOptions> parse(String... args) {
    return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
  }

  public static String usage() {
    return CommandLines.usage(new Cli());
  }

  /** A picture size, as WIDTHxHEIGHT on the command line. */
  record Size(int width, int height) {}

  @Command(name = "SampleMaker", sortOptions = false, sortSynopsis = false,
      description = "Make a synthetic mezzanine file (testsrc2 pictures, a 440 Hz beep) with in-process FFmpeg.")
  static final class Cli {
    @Parameters(index = "0", paramLabel = "OUT", description = "the MP4 file to write")
    Path out;
    @Option(names = "--seconds", paramLabel = "S", description = "duration (default ${DEFAULT-VALUE})")
    double seconds = DEFAULT_SECONDS;
    @Option(names = "--size", paramLabel = "WxH", converter = SizeConverter.class,
        description = "picture size (default " + DEFAULT_SIZE + ")")
    Size size = new SizeConverter().convert(DEFAULT_SIZE);
    @Option(names = "--rate", paramLabel = "N[/D]", converter = FrameRateConverter.class,
        description = "frame rate, e.g. 25 or 30000/1001 (default ${DEFAULT-VALUE})")
    FrameRate rate = SampleMaker.Spec.DEFAULT_RATE;
    @Option(names = "--gop", paramLabel = "N", description = "frames between keyframes (default ${DEFAULT-VALUE})")
    int gopFrames = SampleMaker.Spec.DEFAULT_GOP_FRAMES;
    @Option(names = "--kbps", paramLabel = "N", description = "video bitrate (default ${DEFAULT-VALUE})")
    int videoKbps = SampleMaker.Spec.DEFAULT_VIDEO_KBPS;
    @Option(names = "--rotate", paramLabel = "DEG",
        description = "display rotation flag in degrees; the pixels stay as they are (default ${DEFAULT-VALUE})")
    int rotation;
    @Option(names = "--vfr", description = "variable frame rate: drop every third frame in the first half")
    boolean variableRate;
    @Option(names = "--no-audio", description = "no audio track")
    boolean noAudio;
    @Option(names = "--no-video", description = "no video track")
    boolean noVideo;
    @Option(names = "--audio", paramLabel = "LANG:CHANNELS[:DB]", converter = AudioConverter.class,
        description = "an audio stream tagged LANG (und: untagged) with 1, 2 or 6 (5.1) channels, its tone"
            + " DB louder (default 0); repeatable, in order (default: one untagged stereo stream)")
    java.util.List<SampleMaker.AudioSpec> audio = new java.util.ArrayList<>();
    @Option(names = "--subtitle-stream", paramLabel = "LANG",
        description = "add a mov_text subtitle stream in language LANG (e.g. en) with a few cues")
    String subtitleStream;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    SampleOptions toOptions() {
      if (!(seconds > 0)) {
        throw new UsageException("--seconds must be positive, got " + seconds);
      }
      CommandLines.atLeast("--gop", 1, gopFrames);
      CommandLines.atLeast("--kbps", 1, videoKbps);
      if (noAudio && noVideo) {
        throw new UsageException("--no-audio and --no-video together leave nothing to make");
      }
      if (noAudio && !audio.isEmpty()) {
        throw new UsageException("--no-audio and --audio contradict each other");
      }
      SampleMaker.Spec spec = SampleMaker.Spec.of(seconds, size.width(), size.height())
          .withRate(rate).withGop(gopFrames).withVideoKbps(videoKbps).withRotation(rotation);
      if (variableRate) {
        spec = spec.withVariableRate();
      }
      if (noAudio) {
        spec = spec.withoutAudio();
      }
      if (!audio.isEmpty()) {
        spec = spec.withAudio(audio.toArray(SampleMaker.AudioSpec[]::new));
      }
      if (noVideo) {
        spec = spec.withoutVideo();
      }
      if (subtitleStream != null && !subtitleStream.matches("[a-z]{2,3}")) {
        throw new UsageException("--subtitle-stream must be a language like en or fra, got '" + subtitleStream + "'");
      }
      return new SampleOptions(out, spec, subtitleStream);
    }
  }

  static final class SizeConverter implements ITypeConverter<Size> {
    private static final Pattern SIZE = Pattern.compile("([1-9]\\d{0,4})x([1-9]\\d{0,4})");

    @Override
    public Size convert(String value) {
      Matcher m = SIZE.matcher(value);
      if (!m.matches()) {
        throw new TypeConversionException("must be a size like 1280x720");
      }
      return new Size(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
  }

  static final class AudioConverter implements ITypeConverter<SampleMaker.AudioSpec> {
    private static final Pattern AUDIO = Pattern.compile("([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*):([126])(?::(-?\\d{1,2}(?:\\.\\d+)?))?");

    @Override
    public SampleMaker.AudioSpec convert(String value) {
      Matcher m = AUDIO.matcher(value);
      if (!m.matches()) {
        throw new TypeConversionException("must be LANG:CHANNELS[:DB] like en:2 or fr:6 (channels 1, 2 or 6)");
      }
      String language = "und".equalsIgnoreCase(m.group(1)) ? null : m.group(1);
      if (language != null && !Languages.isLanguage(language)) {
        throw new TypeConversionException("'" + m.group(1) + "' is not a language tag");
      }
      return new SampleMaker.AudioSpec(language, Integer.parseInt(m.group(2)),
          m.group(3) == null ? 0 : Double.parseDouble(m.group(3)));
    }
  }

  static final class FrameRateConverter implements ITypeConverter<FrameRate> {
    private static final Pattern RATE = Pattern.compile("([1-9]\\d{0,5})(?:/([1-9]\\d{0,5}))?");

    @Override
    public FrameRate convert(String value) {
      Matcher m = RATE.matcher(value);
      if (!m.matches()) {
        throw new TypeConversionException("must be a frame rate like 25 or 30000/1001");
      }
      return new FrameRate(Integer.parseInt(m.group(1)), m.group(2) == null ? 1 : Integer.parseInt(m.group(2)));
    }
  }
}
