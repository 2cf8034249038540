package io.caudal.transcode;

import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.cli.CommandLines;
import io.caudal.schemas.cli.UsageException;
import io.caudal.transcode.core.lang.Languages;
import io.caudal.transcode.core.audio.AudioSettings;
import io.caudal.transcode.core.audio.LoudnessTarget;
import io.caudal.transcode.core.media.EncoderSettings;
import io.caudal.transcode.core.trick.ThumbnailSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.caudal.transcode.core.lang.Languages;
import io.caudal.transcode.core.text.TextKind;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.caudal.transcode.core.plan.VideoCodec;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
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
 * @param ladder per-title (probed) or fixed ladder
 * @param encoder encoder settings
 * @param protect clear, or the Common Encryption scheme of every track
 * @param keyMasterFile the file holding the master key that wraps the content keys; null: from
 *     {@code $CAUDAL_KEY_MASTER}, or the one a local root makes for itself
 * @param audio languages of untagged audio streams and the loudness target
 * @param subtitles sidecar subtitle files, in the order given
 * @param thumbnails the thumbnail sprites' interval, size and grid (interval 0: none)
 * @param codecs the video codecs, each a whole ladder, in order of preference (H.264 always among them)
 */
public record TranscodeOptions(String input, String name, String category, String root, double segmentSeconds,
    int segmentsPerChunk, int minChunks, Granularity granularity, int maxRungs, Ladder ladder, EncoderSettings encoder,
    Protect protect, String keyMasterFile, AudioSettings audio, List<SubtitleFile> subtitles, ThumbnailSpec thumbnails,
    List<VideoCodec> codecs)
    implements Serializable {

  /**
   * One {@code --subtitles LANG[,forced|,sdh]=FILE}.
   *
   * @param language BCP 47 tag as given ("en", "pt-BR")
   * @param uri the file, on any Hadoop FileSystem like the source
   */
  public record SubtitleFile(String language, TextKind kind, String uri) implements Serializable {
    private static final Pattern OPTION = Pattern.compile("^([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)(?:,([a-z]+))?=(.+)$");

    static SubtitleFile parse(String value) {
      Matcher m = OPTION.matcher(value);
      if (!m.matches()) {
        throw new UsageException("--subtitles must be LANG[,forced|,sdh]=FILE (e.g. en=movie.en.vtt, fr,forced=f.srt),"
            + " got '" + value + "'");
      }
      TextKind kind;
      try {
        kind = TextKind.ofFlag(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--subtitles flag " + e.getMessage() + " in '" + value + "'");
      }
      // "eng" and "en" are one language, as a stream's tag and a sidecar may name it.
      return new SubtitleFile(Languages.normalise(m.group(1)), kind, m.group(3));
    }

    /** The rendition it becomes: {@code text-en}, {@code text-en-sdh}. */
    public String trackId() {
      return "text-" + language + kind.suffix();
    }
  }

  /** H.264 only: every player decodes it. */
  public static final List<VideoCodec> DEFAULT_CODECS = List.of(VideoCodec.H264);

  public static final double DEFAULT_SEGMENT_SECONDS = 4.0;
  public static final int DEFAULT_SEGMENTS_PER_CHUNK = 8;
  public static final int DEFAULT_MIN_CHUNKS = 2;
  /** Chosen by bench/transcode: see jobs/transcode/README.md. */
  public static final Granularity DEFAULT_GRANULARITY = Granularity.CHUNK;
  public static final String DEFAULT_ROOT = "caudal-data";
  /** The whole ladder the source allows. */
  public static final int ALL_RUNGS = 0;

  /**
   * The fixed ladder until the per-title one holds its top rung in VMAF 93-97 on grain too and
   * writes the same bytes on every run (see the module README); bench/ladder measures both.
   */
  public static final Ladder DEFAULT_LADDER = Ladder.FIXED;

  /** How the rungs are chosen. */
  public enum Ladder {
    PER_TITLE("per-title"), FIXED("fixed");

    private final String option;

    Ladder(String option) {
      this.option = option;
    }

    /** As written on the command line. */
    @Override
    public String toString() {
      return option;
    }
  }

  public static final Protect DEFAULT_PROTECT = Protect.CLEAR;

  /** Whether and how the title's samples are encrypted (ISO/IEC 23001-7). */
  public enum Protect {
    CLEAR("clear", null), CBCS("cbcs", ProtectionScheme.CBCS), CENC("cenc", ProtectionScheme.CENC);

    private final String option;
    private final ProtectionScheme scheme;

    Protect(String option, ProtectionScheme scheme) {
      this.option = option;
      this.scheme = scheme;
    }

    /** The scheme; empty when clear. */
    public Optional<ProtectionScheme> scheme() {
      return Optional.ofNullable(scheme);
    }

    /** As written on the command line. */
    @Override
    public String toString() {
      return option;
    }
  }

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

  /**
   * Parses the command line.
   *
   * @return the options, or empty when help was asked for
   * @throws UsageException naming the option and what is wrong with it
   */
  public static Optional<TranscodeOptions> parse(String... args) {
    return CommandLines.parse(new Cli(), args).map(Cli::toOptions);
  }

  public static String usage() {
    return CommandLines.usage(new Cli());
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
    @Option(names = "--segment-seconds", paramLabel = "S",
        description = "segment duration, rounded to whole frames (default ${DEFAULT-VALUE})")
    double segmentSeconds = DEFAULT_SEGMENT_SECONDS;
    @Option(names = "--segments-per-chunk", paramLabel = "N",
        description = "segments per parallel chunk, at most (default ${DEFAULT-VALUE})")
    int segmentsPerChunk = DEFAULT_SEGMENTS_PER_CHUNK;
    @Option(names = "--min-chunks", paramLabel = "N",
        description = "fewer segments per chunk when a title would otherwise have fewer chunks"
            + " (default ${DEFAULT-VALUE})")
    int minChunks = DEFAULT_MIN_CHUNKS;
    @Option(names = "--tasks", paramLabel = "chunk|chunk-rung", converter = GranularityConverter.class,
        description = "one Spark task per chunk, or per chunk and rung (default ${DEFAULT-VALUE})")
    Granularity granularity = DEFAULT_GRANULARITY;
    @Option(names = "--max-rungs", paramLabel = "N", description = "keep the N highest rungs (default: all)")
    Integer maxRungs;
    @Option(names = "--ladder", paramLabel = "per-title|fixed", converter = LadderConverter.class,
        description = "rungs chosen by a complexity probe of the title, or a fixed ladder (default ${DEFAULT-VALUE})")
    Ladder ladder = DEFAULT_LADDER;
    @Option(names = "--preset", paramLabel = "PRESET", description = "libx264 preset (default ${DEFAULT-VALUE})")
    String preset = EncoderSettings.DEFAULT_PRESET;
    @Option(names = "--av1-preset", paramLabel = "N",
        description = "SVT-AV1 preset of AV1 rungs, 0 (slowest) to 13 (default ${DEFAULT-VALUE})")
    int av1Preset = EncoderSettings.DEFAULT_AV1_PRESET;
    @Option(names = "--threads", paramLabel = "N",
        description = "encoder threads per task, 0 lets libav choose (default ${DEFAULT-VALUE})")
    int threads = EncoderSettings.DEFAULT_THREADS;
    @Option(names = "--audio-kbps", paramLabel = "KBPS", description = "AAC bitrate (default ${DEFAULT-VALUE})")
    int audioKbps = EncoderSettings.DEFAULT_AUDIO_KBPS;
    @Option(names = "--protect", paramLabel = "clear|cbcs|cenc", converter = ProtectConverter.class,
        description = "Common Encryption of every track: cbcs (AES-CBC, 1:9 pattern) or cenc (AES-CTR)"
            + " (default ${DEFAULT-VALUE})")
    Protect protect = DEFAULT_PROTECT;
    @Option(names = "--key-master-file", paramLabel = "PATH",
        description = "file with the master key that wraps the content keys (default: $CAUDAL_KEY_MASTER, or the"
            + " one a local root makes for itself)")
    String keyMasterFile;
    @Option(names = "--audio-lang", paramLabel = "INDEX=LANG",
        description = "language of the source's audio stream INDEX (from 0) when its tags do not say, e.g. 1=fr;"
            + " repeatable")
    List<String> audioLanguages = new ArrayList<>();
    @Option(names = "--loudness", paramLabel = "on|off",
        description = "normalise every audio rendition's loudness (EBU R128), or keep the source's levels"
            + " (default ${DEFAULT-VALUE})")
    String loudness = "on";
    @Option(names = "--loudness-lufs", paramLabel = "LUFS",
        description = "integrated loudness target (default ${DEFAULT-VALUE})")
    double loudnessLufs = LoudnessTarget.DEFAULT_LUFS;
    @Option(names = "--true-peak-dbtp", paramLabel = "DBTP",
        description = "true peak ceiling (default ${DEFAULT-VALUE})")
    double truePeakDbtp = LoudnessTarget.DEFAULT_TRUE_PEAK_DBTP;
    @Option(names = "--subtitles", paramLabel = "LANG[,forced|,sdh]=FILE",
        description = "a sidecar WebVTT, SRT or TTML file in language LANG; forced: only the foreign parts; sdh:"
            + " captions for the deaf and hard of hearing (repeatable)")
    List<String> subtitles = new ArrayList<>();
    @Option(names = "--thumbnails-every", paramLabel = "SECONDS",
        description = "a thumbnail every SECONDS, 0 for none (default ${DEFAULT-VALUE})")
    double thumbnailsEvery = ThumbnailSpec.DEFAULT_INTERVAL_MS / 1000.0;
    @Option(names = "--thumbnail-width", paramLabel = "PIXELS",
        description = "width of a thumbnail, even; the height keeps the display aspect (default ${DEFAULT-VALUE})")
    int thumbnailWidth = ThumbnailSpec.DEFAULT_WIDTH;
    @Option(names = "--thumbnail-grid", paramLabel = "CxR", converter = GridConverter.class,
        description = "thumbnails per JPEG sprite, COLUMNSxROWS (default 5x5)")
    Grid thumbnailGrid = new Grid(ThumbnailSpec.DEFAULT_COLUMNS, ThumbnailSpec.DEFAULT_ROWS);
    @Option(names = "--codecs", paramLabel = "h264[,av1]",
        description = "video codecs, each a whole ladder on the same segments, in order of preference"
            + " (default h264)")
    String codecs = "h264";
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    /** {@code --audio-lang} as stream index to BCP 47 tag. */
    private Map<Integer, String> audioLanguages() {
      Map<Integer, String> languages = new LinkedHashMap<>();
      for (String value : audioLanguages) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,3})=(.+)").matcher(value);
        if (!m.matches()) {
          throw new UsageException("--audio-lang must be INDEX=LANG like 1=fr, got '" + value + "'");
        }
        if (!Languages.isLanguage(m.group(2))) {
          throw new UsageException("--audio-lang " + value + ": '" + m.group(2)
              + "' is not a language tag (BCP 47 like fr or pt-BR, or ISO 639-2 like fre)");
        }
        languages.put(Integer.parseInt(m.group(1)), Languages.normalise(m.group(2)));
      }
      return languages;
    }

    TranscodeOptions toOptions() {
      if (name.isBlank() || category.isBlank()) {
        throw new UsageException("--name and --category must not be blank");
      }
      if (!(segmentSeconds > 0)) {
        throw new UsageException("--segment-seconds must be positive, got " + segmentSeconds);
      }
      CommandLines.atLeast("--segments-per-chunk", 1, segmentsPerChunk);
      CommandLines.atLeast("--min-chunks", 1, minChunks);
      CommandLines.atLeast("--audio-kbps", 1, audioKbps);
      if (maxRungs != null) {
        CommandLines.atLeast("--max-rungs", 1, maxRungs);
      }
      if (!(loudnessLufs >= -70 && loudnessLufs <= -5)) {
        throw new UsageException("--loudness-lufs must be between -70 and -5, got " + loudnessLufs);
      }
      if (!(truePeakDbtp >= -9 && truePeakDbtp <= 0)) {
        throw new UsageException("--true-peak-dbtp must be between -9 and 0, got " + truePeakDbtp);
      }
      if (!loudness.equals("on") && !loudness.equals("off")) {
        throw new UsageException("--loudness must be on or off, got '" + loudness + "'");
      }
      AudioSettings audio = new AudioSettings(audioLanguages(),
          new LoudnessTarget(loudness.equals("on"), loudnessLufs, truePeakDbtp));
      List<SubtitleFile> sidecars = subtitles.stream().map(SubtitleFile::parse).toList();
      Set<String> ids = new HashSet<>();
      for (SubtitleFile s : sidecars) {
        if (!ids.add(s.trackId())) {
          throw new UsageException("--subtitles names " + s.language() + s.kind().suffix()
              + " twice: one file per language and kind");
        }
      }
      List<VideoCodec> videoCodecs = codecList(codecs);
      CommandLines.between("--av1-preset", 0, 13, av1Preset);
      if (videoCodecs.contains(VideoCodec.AV1) && protect != Protect.CLEAR) {
        throw new UsageException("--protect " + protect + " cannot be used with --codecs " + codecs
            + ": AV1 rungs are not encrypted yet (protect an H.264-only title)");
      }
      // A negative thread count means the same as 0: libav chooses.
      return new TranscodeOptions(input, name, category, root, segmentSeconds, segmentsPerChunk, minChunks,
          granularity, maxRungs == null ? ALL_RUNGS : maxRungs, ladder,
          new EncoderSettings(preset, Math.max(0, threads), audioKbps, av1Preset), protect, keyMasterFile, audio,
          sidecars, thumbnails(), videoCodecs);
    }

    private ThumbnailSpec thumbnails() {
      long intervalMs = Math.round(thumbnailsEvery * 1000);
      if (!(thumbnailsEvery >= 0) || (thumbnailsEvery > 0 && intervalMs == 0)) {
        throw new UsageException("--thumbnails-every must be 0 (none) or at least 0.001 seconds, got "
            + thumbnailsEvery);
      }
      CommandLines.atLeast("--thumbnail-width", 16, thumbnailWidth);
      if (thumbnailWidth % 2 != 0) {
        throw new UsageException("--thumbnail-width must be even, got " + thumbnailWidth);
      }
      return new ThumbnailSpec(intervalMs, thumbnailWidth, thumbnailGrid.columns(), thumbnailGrid.rows());
    }

    /** "h264,av1" as codecs in that order; h264 must be among them, none twice. */
    static List<VideoCodec> codecList(String value) {
      List<VideoCodec> list = new ArrayList<>();
      for (String name : value.split(",", -1)) {
        VideoCodec codec;
        try {
          codec = VideoCodec.parse(name);
        } catch (IllegalArgumentException e) {
          throw new UsageException("--codecs must list h264 and av1 separated by commas, got '" + value + "'");
        }
        if (list.contains(codec)) {
          throw new UsageException("--codecs names " + codec + " twice in '" + value + "'");
        }
        list.add(codec);
      }
      if (!list.contains(VideoCodec.H264)) {
        throw new UsageException("--codecs must include h264, which every player decodes, got '" + value + "'");
      }
      return List.copyOf(list);
    }
  }

  static final class LadderConverter implements ITypeConverter<Ladder> {
    @Override
    public Ladder convert(String value) {
      return Arrays.stream(Ladder.values()).filter(l -> l.option.equals(value)).findFirst()
          .orElseThrow(() -> new TypeConversionException("must be per-title or fixed"));
    }
  }

  static final class ProtectConverter implements ITypeConverter<Protect> {
    @Override
    public Protect convert(String value) {
      return Arrays.stream(Protect.values()).filter(p -> p.option.equals(value)).findFirst()
          .orElseThrow(() -> new TypeConversionException("must be clear, cbcs or cenc"));
    }
  }

  /** COLUMNSxROWS, each 1 to 20 (a 20x20 sprite of 320-pixel thumbnails is already 6400 pixels wide). */
  record Grid(int columns, int rows) {}

  static final class GridConverter implements ITypeConverter<Grid> {
    @Override
    public Grid convert(String value) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,2})x([0-9]{1,2})").matcher(value);
      if (m.matches()) {
        int columns = Integer.parseInt(m.group(1));
        int rows = Integer.parseInt(m.group(2));
        if (columns >= 1 && columns <= 20 && rows >= 1 && rows <= 20) {
          return new Grid(columns, rows);
        }
      }
      throw new TypeConversionException("must be COLUMNSxROWS, each 1 to 20, like 5x5");
    }
  }

  static final class GranularityConverter implements ITypeConverter<Granularity> {
    @Override
    public Granularity convert(String value) {
      return Arrays.stream(Granularity.values()).filter(g -> g.option.equals(value)).findFirst()
          .orElseThrow(() -> new TypeConversionException("must be chunk or chunk-rung"));
    }
  }
}
