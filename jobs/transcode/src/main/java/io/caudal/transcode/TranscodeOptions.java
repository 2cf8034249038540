package io.caudal.transcode;

import io.caudal.transcode.core.media.EncoderSettings;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Options of the transcode job, parsed and checked.
 *
 * @param input source URI (any Hadoop FileSystem: file://, hdfs://, or a plain path)
 * @param name the title's name in the catalog
 * @param category the title's category in the catalog
 * @param root Caudal root URI; output goes to {@code <root>/vod/<titleId>/} and the catalog
 * @param segmentSeconds output segment duration
 * @param segmentsPerChunk segments per parallel chunk, at most
 * @param minChunks fewer segments per chunk when a title would otherwise have fewer chunks than this
 * @param granularity one task per chunk (decode once, encode all rungs) or per chunk × rung
 * @param maxRungs keep at most this many rungs (0 = the whole derived ladder)
 * @param encoder encoder settings
 */
public record TranscodeOptions(String input, String name, String category, String root, double segmentSeconds,
    int segmentsPerChunk, int minChunks, Granularity granularity, int maxRungs, EncoderSettings encoder)
    implements Serializable {

  public static final double DEFAULT_SEGMENT_SECONDS = 4.0;
  public static final int DEFAULT_SEGMENTS_PER_CHUNK = 8;
  public static final int DEFAULT_MIN_CHUNKS = 2;
  /** Chosen by bench/transcode: see jobs/transcode/README.md. */
  public static final Granularity DEFAULT_GRANULARITY = Granularity.CHUNK;
  public static final String DEFAULT_ROOT = "caudal-data";
  /** The whole ladder the source allows. */
  public static final int ALL_RUNGS = 0;

  /** How encode work is split into Spark tasks. */
  public enum Granularity {
    CHUNK("chunk"), CHUNK_RUNG("chunk-rung");

    private final String option;

    Granularity(String option) {
      this.option = option;
    }

    /** As written on the command line. */
    @Override
    public String toString() {
      return option;
    }
  }

  /** Thrown for a command line that cannot run; the message is one line naming the option. */
  public static final class UsageException extends IllegalArgumentException {
    public UsageException(String message) {
      super(message);
    }
  }

  /** Parses the command line; {@link UsageException} says what is wrong. Null when help was asked for. */
  public static TranscodeOptions parse(String... args) {
    Cli cli = new Cli();
    CommandLine command = commandLine(cli);
    try {
      command.parseArgs(args);
    } catch (CommandLine.MissingParameterException e) {
      refuseUnmatched(command);
      throw new UsageException(missing(e, args));
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(invalidValue(e));
    }
    refuseUnmatched(command);
    if (command.isUsageHelpRequested()) {
      return null;
    }
    return cli.toOptions();
  }

  public static String usage() {
    return commandLine(new Cli()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private static CommandLine commandLine(Cli cli) {
    return new CommandLine(cli)
        // A repeated option takes its last value, as callers that append an override expect.
        .setOverwrittenOptionsAllowed(true)
        // Collected rather than thrown, so an unknown option is named even when a required one is missing too.
        .setUnmatchedArgumentsAllowed(true);
  }

  private static void refuseUnmatched(CommandLine command) {
    List<String> unmatched = command.getUnmatchedArguments();
    if (!unmatched.isEmpty()) {
      String first = unmatched.get(0);
      throw new UsageException(first.startsWith("-")
          ? "unknown option " + first
          : "unexpected argument '" + first + "'");
    }
  }

  /** A required option that is not there, or an option given without its value. */
  private static String missing(CommandLine.MissingParameterException e, String[] args) {
    List<String> names = e.getMissing().stream()
        .map(spec -> spec instanceof OptionSpec option ? option.longestName() : spec.paramLabel())
        .toList();
    List<String> given = Arrays.asList(args);
    if (names.size() == 1 && given.contains(names.get(0))) {
      return names.get(0) + " needs a value";
    }
    return "missing " + String.join(", ", names);
  }

  /** The converters below say what is wrong with a value; this puts the option's name in front. */
  private static String invalidValue(CommandLine.ParameterException e) {
    if (e.getCause() instanceof TypeConversionException cause && e.getArgSpec() instanceof OptionSpec option) {
      return option.longestName() + " " + cause.getMessage();
    }
    return e.getMessage();
  }

  @Command(name = "caudal-transcode", sortOptions = false, sortSynopsis = false,
      description = "Transcode one source file into an HLS and DASH title and add it to the catalog.")
  static final class Cli {
    @Option(names = "--input", required = true, paramLabel = "URI",
        description = "source file on any Hadoop FileSystem (file://, hdfs://, or a path)")
    String input;
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "the title's name in the catalog")
    String name;
    @Option(names = "--category", required = true, paramLabel = "CATEGORY",
        description = "the title's category in the catalog")
    String category;
    @Option(names = "--root", paramLabel = "URI", description = "Caudal root (default ${DEFAULT-VALUE})")
    String root = DEFAULT_ROOT;
    @Option(names = "--segment-seconds", paramLabel = "S", converter = PositiveNumber.class,
        description = "segment duration, rounded to whole frames (default ${DEFAULT-VALUE})")
    double segmentSeconds = DEFAULT_SEGMENT_SECONDS;
    @Option(names = "--segments-per-chunk", paramLabel = "N", converter = PositiveWholeNumber.class,
        description = "segments per parallel chunk, at most (default ${DEFAULT-VALUE})")
    int segmentsPerChunk = DEFAULT_SEGMENTS_PER_CHUNK;
    @Option(names = "--min-chunks", paramLabel = "N", converter = PositiveWholeNumber.class,
        description = "fewer segments per chunk when a title would otherwise have fewer chunks"
            + " (default ${DEFAULT-VALUE})")
    int minChunks = DEFAULT_MIN_CHUNKS;
    @Option(names = "--tasks", paramLabel = "chunk|chunk-rung", converter = GranularityConverter.class,
        description = "one Spark task per chunk, or per chunk and rung (default ${DEFAULT-VALUE})")
    Granularity granularity = DEFAULT_GRANULARITY;
    @Option(names = "--max-rungs", paramLabel = "N", converter = PositiveWholeNumber.class,
        description = "keep the N highest rungs (default: all)")
    int maxRungs = ALL_RUNGS;
    @Option(names = "--preset", paramLabel = "PRESET", description = "libx264 preset (default ${DEFAULT-VALUE})")
    String preset = EncoderSettings.DEFAULT_PRESET;
    @Option(names = "--threads", paramLabel = "N", converter = WholeNumber.class,
        description = "encoder threads per task, 0 lets libav choose (default ${DEFAULT-VALUE})")
    int threads = EncoderSettings.DEFAULT_THREADS;
    @Option(names = "--audio-kbps", paramLabel = "KBPS", converter = PositiveWholeNumber.class,
        description = "AAC bitrate (default ${DEFAULT-VALUE})")
    int audioKbps = EncoderSettings.DEFAULT_AUDIO_KBPS;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    TranscodeOptions toOptions() {
      if (name.isBlank() || category.isBlank()) {
        throw new UsageException("--name and --category must not be blank");
      }
      // A negative thread count means the same as 0: libav chooses.
      return new TranscodeOptions(input, name, category, root, segmentSeconds, segmentsPerChunk, minChunks,
          granularity, maxRungs, new EncoderSettings(preset, Math.max(0, threads), audioKbps));
    }
  }

  static final class WholeNumber implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("must be a whole number, got '" + value + "'");
      }
    }
  }

  static final class PositiveWholeNumber implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int number = new WholeNumber().convert(value);
      if (number <= 0) {
        throw new TypeConversionException("must be positive, got " + number);
      }
      return number;
    }
  }

  static final class PositiveNumber implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double number;
      try {
        number = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        number = Double.NaN;
      }
      if (!(number > 0)) {
        throw new TypeConversionException(String.format(Locale.ROOT, "must be a positive number, got '%s'", value));
      }
      return number;
    }
  }

  static final class GranularityConverter implements ITypeConverter<Granularity> {
    @Override
    public Granularity convert(String value) {
      return Arrays.stream(Granularity.values()).filter(g -> g.option.equals(value)).findFirst()
          .orElseThrow(() -> new TypeConversionException("must be chunk or chunk-rung, got '" + value + "'"));
    }
  }
}
