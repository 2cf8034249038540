package io.caudal.transcode;

import io.caudal.transcode.core.media.EncoderSettings;
import java.io.Serializable;
import java.util.Locale;

/**
 * Options of the transcode job.
 *
 * @param input source URI (any Hadoop FileSystem: file://, hdfs://, or a plain path)
 * @param root Caudal root URI; output goes to {@code <root>/vod/<titleId>/} and the catalog
 * @param segmentSeconds output segment duration
 * @param segmentsPerChunk segments per parallel chunk, at most
 * @param minChunks fewer segments per chunk when a title would otherwise have fewer chunks than this
 * @param granularity one task per chunk (decode once, encode all rungs) or per chunk × rung
 * @param maxRungs keep at most this many rungs (0 = the whole derived ladder)
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

  /** How encode work is split into Spark tasks. */
  public enum Granularity { CHUNK, CHUNK_RUNG }

  static final String USAGE = """
      usage: caudal-transcode --input URI --name NAME --category CATEGORY [--root URI]
        [--segment-seconds 4] [--segments-per-chunk 8] [--min-chunks 2] [--tasks chunk|chunk-rung] [--max-rungs N]
        [--preset veryfast] [--threads 1] [--audio-kbps 128]""";

  /** Parses command-line arguments; throws {@link IllegalArgumentException} naming the problem. */
  public static TranscodeOptions parse(String... args) {
    String input = null, name = null, category = null, root = DEFAULT_ROOT;
    double segment = DEFAULT_SEGMENT_SECONDS;
    int perChunk = DEFAULT_SEGMENTS_PER_CHUNK, minChunks = DEFAULT_MIN_CHUNKS, maxRungs = 0;
    Granularity granularity = DEFAULT_GRANULARITY;
    String preset = EncoderSettings.DEFAULT_PRESET;
    int threads = EncoderSettings.DEFAULT_THREADS, audioKbps = EncoderSettings.DEFAULT_AUDIO_KBPS;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (!option.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + option + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--input" -> input = value;
        case "--name" -> name = value;
        case "--category" -> category = value;
        case "--root" -> root = value;
        case "--segment-seconds" -> segment = positiveDouble(option, value);
        case "--segments-per-chunk" -> perChunk = positiveInt(option, value);
        case "--min-chunks" -> minChunks = positiveInt(option, value);
        case "--tasks" -> granularity = switch (value) {
          case "chunk" -> Granularity.CHUNK;
          case "chunk-rung" -> Granularity.CHUNK_RUNG;
          default -> throw new IllegalArgumentException("--tasks must be chunk or chunk-rung, got '" + value + "'");
        };
        case "--max-rungs" -> maxRungs = positiveInt(option, value);
        case "--preset" -> preset = value;
        case "--threads" -> threads = Math.max(0, parseInt(option, value));
        case "--audio-kbps" -> audioKbps = positiveInt(option, value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    require(input, "--input");
    require(name, "--name");
    require(category, "--category");
    if (name.isBlank() || category.isBlank()) {
      throw new IllegalArgumentException("--name and --category must not be blank");
    }
    return new TranscodeOptions(input, name, category, root, segment, perChunk, minChunks, granularity, maxRungs,
        new EncoderSettings(preset, threads, audioKbps));
  }

  private static void require(String value, String option) {
    if (value == null) {
      throw new IllegalArgumentException("missing " + option);
    }
  }

  private static int parseInt(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'");
    }
  }

  private static int positiveInt(String option, String value) {
    int v = parseInt(option, value);
    if (v <= 0) {
      throw new IllegalArgumentException(option + " must be positive, got " + v);
    }
    return v;
  }

  private static double positiveDouble(String option, String value) {
    try {
      double v = Double.parseDouble(value);
      if (!(v > 0)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be a positive number, got '%s'", option, value));
    }
  }
}
