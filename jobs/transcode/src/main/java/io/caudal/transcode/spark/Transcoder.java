package io.caudal.transcode.spark;

import io.caudal.schemas.AudioTrack;
import io.caudal.schemas.CatalogEntry;
import io.caudal.transcode.core.audio.AudioReport;
import io.caudal.transcode.core.audio.AudioRenditionPlan;
import io.caudal.schemas.Rung;
import io.caudal.transcode.TranscodeException;
import io.caudal.transcode.TranscodeOptions;
import io.caudal.transcode.core.media.MediaException;
import io.caudal.transcode.core.media.Prober;
import io.caudal.transcode.core.media.SourceInfo;
import io.caudal.transcode.core.pkg.DashWriter;
import io.caudal.transcode.core.pkg.HlsWriter;
import io.caudal.transcode.core.pkg.LadderCheck;
import io.caudal.transcode.core.pkg.Presentation;
import io.caudal.transcode.core.pkg.Segment;
import io.caudal.transcode.core.pkg.Track;
import io.caudal.transcode.core.plan.ChunkPlan;
import io.caudal.transcode.core.media.RateQuality;
import io.caudal.transcode.core.plan.LadderBuilder;
import io.caudal.transcode.core.plan.LadderReport;
import io.caudal.transcode.core.plan.PerTitleLadder;
import io.caudal.transcode.core.plan.ProbePlan;
import io.caudal.transcode.core.plan.ProbePoint;
import io.caudal.transcode.core.plan.QualityScale;
import io.caudal.transcode.core.plan.ResolutionTiers;
import io.caudal.transcode.core.plan.RungTarget;
import io.caudal.transcode.core.plan.Size;
import io.caudal.transcode.core.plan.Stretch;
import io.caudal.transcode.core.plan.VideoCodec;
import io.caudal.schemas.ContentKey;
import io.caudal.schemas.TitleKeys;
import io.caudal.schemas.TrackClass;
import io.caudal.schemas.protect.MasterKey;
import io.caudal.transcode.core.pkg.ManifestProtection;
import io.caudal.transcode.core.protect.TitleProtection;
import io.caudal.transcode.core.protect.TrackKey;
import io.caudal.schemas.TextTrack;
import io.caudal.transcode.core.media.TextStreamReader;
import io.caudal.transcode.core.text.Cues;
import io.caudal.transcode.core.text.SubtitleFiles;
import io.caudal.transcode.core.text.SubtitleFormatException;
import io.caudal.transcode.core.text.TextKind;
import io.caudal.transcode.core.text.TextSource;
import io.caudal.transcode.core.text.WebVttWriter;
import io.caudal.transcode.core.trick.ThumbnailTrack;
import java.io.File;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The transcode pipeline for one title: probe → plan → encode chunk × rung in parallel (each task
 * decoding back what it wrote) → check the ladder → package HLS and DASH → publish atomically →
 * catalog row. It is handed its Spark context; everything engine-free lives in the core packages
 * (plan, media, mp4, pkg).
 */
public final class Transcoder {
  /** Length of the titleId: a prefix of the source's SHA-256. */
  static final int TITLE_ID_HEX = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JavaSparkContext spark;
  private final TranscodeOptions options;
  private final TitleStore store;
  private final Progress progress;

  /**
   * What the run did.
   *
   * @param published false when the same content was already published
   */
  public record Result(String titleId, String titleUri, boolean published, List<Track> tracks, long durationMs) {}

  public Transcoder(JavaSparkContext spark, TranscodeOptions options, Progress progress) {
    this.spark = spark;
    this.options = options;
    this.store = new TitleStore(options.root());
    this.progress = progress;
  }

  public Result run() throws IOException {
    Configuration conf = spark.hadoopConfiguration();
    String input = options.input();
    // Refuse before any work when the keys could not be stored.
    MasterKey master = masterKey(options);
    File local;
    try {
      local = LocalSource.copyOf(conf, input);
    } catch (FileNotFoundException e) {
      throw new TranscodeException(input + ": no such file");
    } catch (IOException e) {
      throw new TranscodeException(input + ": cannot be read: " + TitleStore.rootCause(e));
    }
    // Sidecar subtitles are read first: a malformed file stops the run before any work.
    Sidecars sidecars = readSidecars(conf);
    String titleId = titleId(LocalSource.contentHash(local), options.protect(), sidecars.digests());
    String titleUri = store.titleDir(titleId).toString();
    if (store.isPublished(conf, titleId) && store.hasCatalogRow(conf, titleId)) {
      progress.line("title " + titleId + " is already published at " + titleUri + "; nothing to do");
      return new Result(titleId, titleUri, false, List.of(), 0);
    }
    SourceInfo info;
    try {
      info = Prober.probe(local);
    } catch (MediaException e) {
      throw new TranscodeException(input + ": " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
    }
    List<AudioRenditionPlan> audio = audioRenditions(info);
    List<TextSource> textSources = textSources(local, info, sidecars.sources());
    long segmentMicros = Math.round(options.segmentSeconds() * 1e6);
    ChunkPlan plan = info.hasVideo()
        ? ChunkPlan.plan(info.videoDurationMicros(), info.outputRate(), segmentMicros, options.segmentsPerChunk(),
            options.minChunks(), info.keyframeMicros())
        : null;
    Probed probed = null;
    List<RungTarget> ladder = List.of();
    if (info.hasVideo() && options.ladder() == TranscodeOptions.Ladder.PER_TITLE) {
      probed = probe(conf, info, plan, VideoCodec.H264);
      ladder = probed.ladder().targets(plan.segmentMicros() / 1e6);
      if (options.maxRungs() > 0 && ladder.size() > options.maxRungs()) {
        ladder = List.copyOf(ladder.subList(0, options.maxRungs()));
      }
    } else if (info.hasVideo()) {
      ladder = LadderBuilder.build(info.displayWidth(), info.displayHeight(), plan.frameRate(), options.maxRungs());
    }
    List<LadderReport.CodecProbe> otherCodecs = new ArrayList<>();
    if (info.hasVideo()) {
      ladder = withOtherCodecs(conf, info, plan, ladder, otherCodecs);
    }
    progress.line(describe(info, plan, ladder));
    if (!audio.isEmpty()) {
      progress.line("audio renditions " + audio.stream().map(a -> a.trackId() + " \"" + a.name() + "\"").toList()
          + (options.audio().loudness().normalise()
              ? String.format(java.util.Locale.ROOT, ", loudness to %.1f LUFS, true peak at most %.1f dBTP",
                  options.audio().loudness().lufs(), options.audio().loudness().truePeakDbtp())
              : ", loudness kept"));
    }

    TitleProtection protection = options.protect().scheme()
        .map(scheme -> TitleProtection.generate(scheme, RANDOM)).orElse(null);
    Map<String, TrackKey> keys = protection == null ? Map.of() : trackKeys(protection, audio, ladder);
    if (protection != null) {
      progress.line("protecting with " + protection.scheme().toString().toLowerCase(java.util.Locale.ROOT)
          + ", key ids " + keys.values().stream().map(k -> k.trackClass() + " " + k.kidHex()).distinct().toList());
    }
    Path staging = store.createStaging(conf, titleId);
    try {
      TitleContext title = new TitleContext(input, info, plan, ladder,
          plan != null ? plan.segmentMicros() : segmentMicros, options.encoder(), staging.toString(),
          new HadoopConf(conf), keys, audio, options.audio().loudness());
      Encoded encoded = encode(title);
      List<Track> tracks = encoded.tracks();
      List<Track> video = tracks.stream().filter(Track::video).toList();
      List<Track> audioTracks = audio.stream().map(a -> tracks.stream().filter(t -> t.id().equals(a.trackId()))
          .findFirst().orElseThrow()).toList();
      Map<String, Long> audioSourceMicros = new LinkedHashMap<>();
      audio.forEach(a -> audioSourceMicros.put(a.trackId(), info.audioStreams().get(a.sourceIndex()).durationMicros()));
      List<String> problems = new ArrayList<>(LadderCheck.problems(video, audioTracks, audioSourceMicros, plan, info));
      problems.addAll(encoded.problems());
      // Each codec's ladder is its own: a rung is judged against the rung under it in the same codec.
      for (VideoCodec codec : options.codecs()) {
        List<Track> rungs = video.stream().filter(t -> codecOf(title.ladder(), t.id()) == codec).toList();
        problems.addAll(LadderCheck.qualityProblems(rungs.stream().map(Track::id).toList(),
            rungs.stream().map(t -> encoded.quality().get(t.id())).toList()));
      }
      if (!problems.isEmpty()) {
        throw new TranscodeException(input + ": not published, verification failed: " + String.join("; ", problems));
      }
      List<Presentation.AudioRendition> renditions = new ArrayList<>();
      for (int i = 0; i < audio.size(); i++) {
        AudioRenditionPlan a = audio.get(i);
        renditions.add(new Presentation.AudioRendition(audioTracks.get(i), a.language(), a.name(), a.isDefault()));
      }
      List<PackagedText> text = writeText(conf, staging, textSources,
          video.isEmpty() ? (audioTracks.isEmpty() ? null : audioTracks.get(0)) : video.get(0));
      writeManifests(conf, staging, video, renditions, plan, keys,
          text.stream().map(PackagedText::rendition).toList(), encoded.thumbnails());
      if (store.isPublished(conf, titleId)) {
        // An earlier run got as far as the rename: its keys are the ones its segments need.
        store.deleteQuietly(conf, staging);
      } else {
        store.publish(conf, staging, titleId, protection == null ? null : titleKeys(titleId, protection, keys, master));
      }
      if (info.hasVideo()) {
        writeReport(conf, report(titleId, probed, ladder, video, encoded, otherCodecs));
      }
      List<AudioTrack> audioRows = audioRows(audio, audioTracks, encoded.loudness());
      if (!audio.isEmpty()) {
        writeAudioReport(conf, titleId, info, audio, audioRows, encoded.loudness());
      }
      store.addCatalogRow(conf, catalogEntry(titleId, info, ladder, video, audioRows, encoded.quality())
          .setTextTracks(text.isEmpty() ? null : text.stream().map(PackagedText::catalogRow).toList())
          .setThumbnails(thumbnailsRow(encoded.thumbnails())).build());
      long durationMs = Math.round(info.durationMicros() / 1000.0);
      return new Result(titleId, titleUri, true, tracks, durationMs);
    } catch (IOException | RuntimeException e) {
      store.deleteQuietly(conf, staging);
      throw e;
    }
  }

  /**
   * The master key a protected title's keys are wrapped with, from {@code --key-master-file}, else
   * {@code $CAUDAL_KEY_MASTER}, else the local root's own; null for a clear title.
   *
   * @throws io.caudal.schemas.cli.UsageException when a protected title has none (a shared root)
   */
  public static MasterKey masterKey(TranscodeOptions options) throws IOException {
    if (options.protect().scheme().isEmpty()) {
      return null;
    }
    return MasterKey.resolve(options.root(),
        options.keyMasterFile() == null ? null : java.nio.file.Path.of(options.keyMasterFile()),
        System.getenv(MasterKey.ENV));
  }

  /**
   * The title's id: a prefix of the source's SHA-256 for a clear title without sidecar files (as
   * titles have always been named), else of the SHA-256 of that hash, the scheme of a protected
   * title and each sidecar's language, kind and content hash. The same source clear and protected
   * are two titles, a corrected subtitle file makes a new title rather than nothing, and a re-run
   * with the same inputs finds its own.
   *
   * @param sidecars {@code <lang><kind suffix>=<SHA-256 of the file>} of each {@code --subtitles} file
   */
  static String titleId(String contentHash, TranscodeOptions.Protect protect, List<String> sidecars) {
    StringBuilder identity = new StringBuilder(contentHash);
    if (protect != TranscodeOptions.Protect.CLEAR) {
      identity.append("\nprotect=").append(protect);
    }
    // In a stable order: the order of the options says nothing about the title.
    sidecars.stream().sorted().forEach(s -> identity.append("\nsubtitles=").append(s));
    String hash = identity.length() == contentHash.length() ? contentHash
        : LocalSource.sha256Hex(identity.toString().getBytes(StandardCharsets.UTF_8));
    return hash.substring(0, TITLE_ID_HEX);
  }

  /**
   * One key per track: the rung's class by its lines, or audio (every audio rendition shares the
   * AUDIO class key); cbcs tracks each get a constant IV.
   */
  private static Map<String, TrackKey> trackKeys(TitleProtection protection, List<AudioRenditionPlan> audio,
      List<RungTarget> ladder) {
    Map<String, TrackKey> keys = new LinkedHashMap<>();
    for (RungTarget rung : ladder) {
      keys.put(rung.id(), protection.forTrack(TitleProtection.classOf(true, rung.height()), RANDOM));
    }
    for (AudioRenditionPlan a : audio) {
      keys.put(a.trackId(), protection.forTrack(TrackClass.AUDIO, RANDOM));
    }
    return keys;
  }

  /** The renditions of the source's audio streams; an {@code --audio-lang} for a stream it lacks is refused. */
  private List<AudioRenditionPlan> audioRenditions(SourceInfo info) {
    int streams = info.audioStreams().size();
    for (int index : options.audio().languages().keySet()) {
      if (index >= streams) {
        throw new TranscodeException(options.input() + ": --audio-lang " + index + "=" + options.audio().languages()
            .get(index) + " names audio stream " + index + ", but the source has " + streams + " audio stream"
            + (streams == 1 ? "" : "s") + (streams == 0 ? "" : " (0-" + (streams - 1) + ")"));
      }
    }
    return AudioRenditionPlan.of(info.audioStreams(), options.audio().languages());
  }

  /** The catalog's audio renditions, the default first, with their loudness before and after. */
  private static List<AudioTrack> audioRows(List<AudioRenditionPlan> audio, List<Track> tracks,
      Map<String, EncodeTask.AudioLoudness> loudness) {
    List<AudioTrack> rows = new ArrayList<>();
    for (int i = 0; i < audio.size(); i++) {
      AudioRenditionPlan a = audio.get(i);
      Track t = tracks.get(i);
      EncodeTask.AudioLoudness l = loudness.get(a.trackId());
      rows.add(AudioTrack.newBuilder()
          .setTrackId(a.trackId()).setLanguage(a.language()).setName(a.name()).setChannels(t.channels())
          .setCodecs(t.codecs()).setIsDefault(a.isDefault()).setBytes(t.bytes())
          .setSourceLufs(l.source().integratedLufs()).setSourceTruePeakDbtp(l.source().truePeakDbtp())
          .setOutputLufs(l.output().integratedLufs()).setOutputTruePeakDbtp(l.output().truePeakDbtp())
          .build());
    }
    return rows;
  }

  /** {@code <root>/reports/transcode/<titleId>/audio.json}: every rendition's source, method and loudness. */
  private void writeAudioReport(Configuration conf, String titleId, SourceInfo info, List<AudioRenditionPlan> audio,
      List<AudioTrack> rows, Map<String, EncodeTask.AudioLoudness> loudness) throws IOException {
    List<AudioReport.Rendition> renditions = new ArrayList<>();
    for (int i = 0; i < audio.size(); i++) {
      AudioRenditionPlan a = audio.get(i);
      AudioTrack row = rows.get(i);
      EncodeTask.AudioLoudness l = loudness.get(a.trackId());
      renditions.add(new AudioReport.Rendition(a, info.audioStreams().get(a.sourceIndex()), row.getCodecs(),
          row.getBytes(), l.method(), options.audio().loudness().gainDb(l.source()), l.source(), l.output()));
    }
    Path path = new Path(options.root(), "reports/transcode/" + titleId + "/audio.json");
    TitleStore.write(conf, path, utf8(new AudioReport(titleId, options.audio().loudness(), renditions).json()));
    progress.line("audio report " + path);
  }

  /** The keys of the classes the title's tracks use, wrapped with the master key. */
  private static TitleKeys titleKeys(String titleId, TitleProtection protection, Map<String, TrackKey> keys,
      MasterKey master) {
    List<ContentKey> content = keys.values().stream().map(TrackKey::trackClass).distinct().sorted()
        .map(c -> new ContentKey(c, HexFormat.of().formatHex(protection.kid(c)), master.wrap(protection.key(c))))
        .toList();
    return TitleKeys.newBuilder().setTitleId(titleId).setScheme(protection.scheme()).setMasterKeyId(master.id())
        .setCreatedAt(System.currentTimeMillis()).setKeys(content).build();
  }

  /**
   * The tracks as encoded, what decoding their segments back found wrong, each video track's
   * measured quality (estimated VMAF) and the encode tasks' CPU time.
   */
  private record Encoded(List<Track> tracks, List<String> problems, Map<String, Double> quality, long cpuNanos,
      Map<String, EncodeTask.AudioLoudness> loudness, ThumbnailTrack thumbnails) {}

  /** The complexity probe's plan, points and CPU time, and the ladder chosen from them. */
  private record Probed(ProbePlan plan, List<ProbePoint> points, PerTitleLadder.Ladder ladder, long cpuNanos) {}

  /**
   * The ladder of every codec in the order of preference: H.264's as chosen, each other codec's
   * on its own probe's hull (per-title, the same stretches and sizes encoded with that codec at
   * its own rate factors) or at H.264's fixed sizes with its fraction of their bitrates.
   */
  private List<RungTarget> withOtherCodecs(Configuration conf, SourceInfo info, ChunkPlan plan,
      List<RungTarget> h264, List<LadderReport.CodecProbe> reported) {
    List<RungTarget> all = new ArrayList<>();
    for (VideoCodec codec : options.codecs()) {
      if (codec == VideoCodec.H264) {
        all.addAll(h264);
      } else if (options.ladder() == TranscodeOptions.Ladder.PER_TITLE) {
        Probed probed = probe(conf, info, plan, codec);
        List<RungTarget> rungs = probed.ladder().targets(plan.segmentMicros() / 1e6);
        all.addAll(options.maxRungs() > 0 && rungs.size() > options.maxRungs()
            ? rungs.subList(0, options.maxRungs()) : rungs);
        reported.add(new LadderReport.CodecProbe(codec, probed.plan(), probed.points(), probed.ladder(), 0,
            probed.cpuNanos() / 1e9));
      } else {
        h264.forEach(r -> all.add(r.as(codec, codec.fixedKbpsFraction())));
        reported.add(new LadderReport.CodecProbe(codec, null, List.of(), null, codec.fixedKbpsFraction(), 0));
      }
    }
    return List.copyOf(all);
  }

  private static VideoCodec codecOf(List<RungTarget> ladder, String rungId) {
    return ladder.stream().filter(r -> r.id().equals(rungId)).map(RungTarget::codec).findFirst().orElse(null);
  }

  /** Runs the probe of {@code codec} as Spark tasks (one per sampled stretch and size) and chooses its rungs. */
  private Probed probe(Configuration conf, SourceInfo info, ChunkPlan plan, VideoCodec codec) {
    ProbePlan sized = ProbePlan.of(plan, ResolutionTiers.sizes(info.displayWidth(), info.displayHeight()));
    ProbePlan probePlan = new ProbePlan(sized.windows(), sized.sizes(), codec.probeCrfs());
    List<ProbeTask.Work> works = new ArrayList<>();
    for (Stretch window : probePlan.windows()) {
      for (Size size : probePlan.sizes()) {
        works.add(new ProbeTask.Work(options.input(), new HadoopConf(conf), info, plan.frameRate(), plan.segmentFrames(),
            window, size, probePlan.crfs(), options.encoder(), codec));
      }
    }
    progress.stage("probe " + codec + " " + probePlan.windows().size() + " stretches x " + probePlan.sizes().size() + " sizes x "
        + probePlan.crfs().length + " rate factors", works.size());
    List<ProbeTask.Result> results = spark.parallelize(works, works.size()).map(ProbeTask::run).collect();
    double fps = plan.frameRate().fps();
    List<ProbePoint> points = new ArrayList<>();
    for (Size size : probePlan.sizes()) {
      for (int c = 0; c < probePlan.crfs().length; c++) {
        long bytes = 0;
        long frames = 0;
        double quality = 0;
        long measured = 0;
        for (ProbeTask.Result r : results) {
          if (r.size().equals(size)) {
            RateQuality.Measured m = r.measured().get(c);
            bytes += m.bytes();
            frames += m.frames();
            quality += m.qualitySum();
            measured += m.measured();
          }
        }
        double kbps = bytes * 8.0 / (frames / fps) / 1000;
        points.add(new ProbePoint(size, probePlan.crfs()[c], Math.round(kbps * 10) / 10.0,
            Math.round(quality / measured * 1000) / 1000.0));
      }
    }
    long cpu = results.stream().mapToLong(ProbeTask.Result::cpuNanos).sum();
    List<RungTarget> fixed = LadderBuilder.build(info.displayWidth(), info.displayHeight(), plan.frameRate(), 0)
        .stream().map(r -> codec == VideoCodec.H264 ? r : r.as(codec, codec.fixedKbpsFraction())).toList();
    PerTitleLadder.Ladder chosen = PerTitleLadder.choose(points, PerTitleLadder.Targets.defaults(), codec, fixed);
    if (chosen.rungs().get(0).reason().equals(PerTitleLadder.FIXED_REASON)) {
      progress.line(codec + " per-title: the probe's quality spans under two steps at every size and rate (grain or"
          + " noise); the fixed ladder is used");
    }
    return new Probed(probePlan, List.copyOf(points), chosen, cpu);
  }

  private LadderReport report(String titleId, Probed probed, List<RungTarget> ladder, List<Track> video,
      Encoded encoded, List<LadderReport.CodecProbe> otherCodecs) {
    List<LadderReport.EncodedRung> rungs = new ArrayList<>();
    for (Track t : video) {
      RungTarget rung = ladder.stream().filter(r -> r.id().equals(t.id())).findFirst().orElseThrow();
      rungs.add(new LadderReport.EncodedRung(t.id(), t.width(), t.height(), rung.targetKbps(),
          (int) Math.round(t.averageBitsPerSecond() / 1000.0), (int) Math.round(t.peakBitsPerSecond() / 1000.0),
          Math.round(encoded.quality().get(t.id()) * 1000) / 1000.0, rung.codec()));
    }
    double otherProbeCpu = otherCodecs.stream().mapToDouble(LadderReport.CodecProbe::probeCpuSeconds).sum();
    return probed == null
        ? new LadderReport(titleId, options.ladder().toString(), null, null, List.of(), null, rungs, 0,
            encoded.cpuNanos() / 1e9, otherCodecs)
        : new LadderReport(titleId, options.ladder().toString(), PerTitleLadder.Targets.defaults(), probed.plan(),
            probed.points(), probed.ladder(), rungs, probed.cpuNanos() / 1e9 + otherProbeCpu, encoded.cpuNanos() / 1e9,
            otherCodecs);
  }

  /** {@code <root>/reports/transcode/<titleId>/ladder.json} and {@code ladder.svg}. */
  private void writeReport(Configuration conf, LadderReport report) throws IOException {
    Path dir = new Path(options.root(), "reports/transcode/" + report.titleId());
    TitleStore.write(conf, new Path(dir, "ladder.json"), utf8(report.json()));
    TitleStore.write(conf, new Path(dir, "ladder.svg"), utf8(report.svg()));
    progress.line(String.format(java.util.Locale.ROOT, "ladder report %s (probe CPU %.1f s, encode CPU %.1f s)",
        dir, report.probeCpuSeconds(), report.encodeCpuSeconds()));
  }

  private Encoded encode(TitleContext title) {
    List<EncodeTask.Work> works = new ArrayList<>();
    // One short task per audio rendition, each over the whole stream; measured, their place at
    // the head of the queue does not change when the last chunk finishes.
    title.audio().forEach(a -> works.add(EncodeTask.Work.audio(a.trackId())));
    if (title.plan() != null) {
      for (ChunkPlan.Chunk chunk : title.plan().chunks()) {
        if (options.granularity() == TranscodeOptions.Granularity.CHUNK) {
          works.add(new EncodeTask.Work(chunk, title.ladder()));
        } else {
          title.ladder().forEach(rung -> works.add(new EncodeTask.Work(chunk, List.of(rung))));
        }
      }
    }
    boolean thumbnails = title.plan() != null && !options.thumbnails().isOff();
    progress.stage(thumbnails ? "encode and verify, thumbnails" : "encode and verify", works.size() + (thumbnails ? 1 : 0));
    JavaFutureAction<List<ThumbnailTask.Done>> thumbnailJob = thumbnails ? startThumbnails(title) : null;
    List<EncodeTask.Done> done;
    try {
      done = spark.parallelize(works, works.size())
          .map(work -> EncodeTask.run(title, work))
          .collect();
    } catch (RuntimeException e) {
      stop(thumbnailJob);
      throw e;
    }
    List<List<EncodeTask.TrackPart>> results = done.stream().map(EncodeTask.Done::parts).toList();
    Map<String, List<EncodeTask.TrackPart>> byTrack = new LinkedHashMap<>();
    title.ladder().forEach(r -> byTrack.put(r.id(), new ArrayList<>()));
    results.forEach(parts -> parts.forEach(p -> byTrack.computeIfAbsent(p.trackId(), k -> new ArrayList<>()).add(p)));
    List<Track> tracks = new ArrayList<>();
    for (Map.Entry<String, List<EncodeTask.TrackPart>> e : byTrack.entrySet()) {
      tracks.add(assemble(e.getKey(), e.getValue(), title));
    }
    List<String> problems = results.stream().flatMap(List::stream).flatMap(p -> p.problems().stream()).toList();
    Map<String, Double> quality = new LinkedHashMap<>();
    for (Map.Entry<String, List<EncodeTask.TrackPart>> e : byTrack.entrySet()) {
      if (!AudioRenditionPlan.isAudioTrack(e.getKey())) {
        double sum = e.getValue().stream().mapToDouble(EncodeTask.TrackPart::qualitySum).sum();
        int measured = e.getValue().stream().mapToInt(EncodeTask.TrackPart::measuredFrames).sum();
        quality.put(e.getKey(), sum / Math.max(1, measured));
      }
    }
    Map<String, EncodeTask.AudioLoudness> loudness = new LinkedHashMap<>();
    results.forEach(parts -> parts.stream().filter(p -> p.loudness() != null)
        .forEach(p -> loudness.put(p.trackId(), p.loudness())));
    return new Encoded(tracks, problems, quality, done.stream().mapToLong(EncodeTask.Done::cpuNanos).sum(), loudness,
        thumbnailJob == null ? ThumbnailTrack.NONE : thumbnails(thumbnailJob));
  }

  /**
   * Starts the thumbnail sprites as a job of one task, submitted before the encode's so the
   * scheduler runs it beside the encode tasks rather than after them.
   */
  private JavaFutureAction<List<ThumbnailTask.Done>> startThumbnails(TitleContext title) {
    var spec = options.thumbnails();
    return spark.parallelize(List.of(spec), 1).map(s -> ThumbnailTask.run(title, s)).collectAsync();
  }

  private ThumbnailTrack thumbnails(JavaFutureAction<List<ThumbnailTask.Done>> job) {
    try {
      ThumbnailTask.Done done = job.get().get(0);
      ThumbnailTrack made = done.thumbnails();
      progress.line(String.format(java.util.Locale.ROOT, "%d thumbnails of %dx%d in %d sprites (CPU %.1f s)",
          made.count(), made.width(), made.height(), made.sprites(), done.cpuNanos() / 1e9));
      return made;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TranscodeException(options.input() + ": interrupted while making thumbnails");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new TranscodeException(options.input() + ": thumbnails failed: " + TitleStore.rootCause(e));
    }
  }

  /**
   * Waits for the thumbnail job when the encode failed, whatever its outcome, so nothing writes
   * into the staging folder once it is removed. Cancelling would not do: Spark does not stop a
   * running task, and the thumbnail task is short.
   */
  private static void stop(JavaFutureAction<?> job) {
    if (job == null) {
      return;
    }
    try {
      job.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
      // The encode's failure is the one reported.
    }
  }

  private static Track assemble(String id, List<EncodeTask.TrackPart> parts, TitleContext title) {
    List<String> codecs = parts.stream().map(EncodeTask.TrackPart::codecs).distinct().toList();
    if (codecs.size() != 1) {
      throw new TranscodeException(title.sourceUri() + ": chunks of " + id + " disagree on codec: " + codecs);
    }
    List<Segment> segments = parts.stream().flatMap(p -> p.segments().stream())
        .sorted(Comparator.comparingInt(Segment::number)).toList();
    boolean video = !AudioRenditionPlan.isAudioTrack(id);
    RungTarget rung = title.ladder().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    int channels = video ? 0 : title.audioOf(id).channels();
    return new Track(id, EncodeTask.dirOf(id), video, rung == null ? 0 : rung.width(), rung == null ? 0 : rung.height(),
        codecs.get(0), parts.get(0).timescale(), channels, segments);
  }

  private void writeManifests(Configuration conf, Path staging, List<Track> video,
      List<Presentation.AudioRendition> audio, ChunkPlan plan, Map<String, TrackKey> keys,
      List<Presentation.TextRendition> text, ThumbnailTrack thumbnails) throws IOException {
    ManifestProtection protection = keys.isEmpty() ? ManifestProtection.CLEAR
        : new ManifestProtection(options.protect().scheme().orElseThrow(), keys.entrySet().stream().collect(
            Collectors.toMap(Map.Entry::getKey, e -> new ManifestProtection.Kid(e.getValue().kidHex(),
                e.getValue().trackClass()))));
    Presentation title = new Presentation(video, audio, plan == null ? null : plan.frameRate(), protection, text,
        thumbnails);
    for (Track t : title.tracks()) {
      TitleStore.write(conf, new Path(staging, t.dir() + "/playlist.m3u8"), utf8(HlsWriter.media(t, protection)));
    }
    writeTrickPlaylists(conf, staging, title);
    TitleStore.write(conf, new Path(staging, "master.m3u8"), utf8(HlsWriter.master(title)));
    TitleStore.write(conf, new Path(staging, "manifest.mpd"), utf8(DashWriter.mpd(title)));
  }

  /** The {@code --subtitles} files parsed, and each one's part of the title's identity ({@link #titleId}). */
  private record Sidecars(List<TextSource> sources, List<String> digests) {}

  /** Each {@code --subtitles} file, read and parsed; a missing or malformed one stops the run. */
  private Sidecars readSidecars(Configuration conf) {
    List<TextSource> sources = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (TranscodeOptions.SubtitleFile file : options.subtitles()) {
      byte[] content;
      try {
        Path path = new Path(file.uri());
        try (java.io.InputStream in = path.getFileSystem(conf).open(path)) {
          content = in.readAllBytes();
        }
      } catch (FileNotFoundException e) {
        throw new TranscodeException(file.uri() + ": no such file (--subtitles)");
      } catch (IOException e) {
        throw new TranscodeException(file.uri() + ": cannot be read: " + TitleStore.rootCause(e));
      }
      try {
        sources.add(new TextSource(file.language(), file.kind(), new Path(file.uri()).getName(),
            SubtitleFiles.parse(file.uri(), content)));
      } catch (SubtitleFormatException e) {
        throw new TranscodeException(e.getMessage() + "; nothing published");
      }
      digests.add(file.language() + file.kind().suffix() + "=" + LocalSource.sha256Hex(content));
    }
    return new Sidecars(sources, digests);
  }

  /**
   * The title's text tracks: the source's own text streams, then the sidecar files; a sidecar
   * replaces a stream of the same language and kind, and of two such streams the first is kept.
   */
  private List<TextSource> textSources(File local, SourceInfo info, List<TextSource> sidecars) {
    List<TextStreamReader.TextStream> streams;
    try {
      streams = TextStreamReader.read(local, info.hasVideo() ? info.videoStartMicros() : 0);
    } catch (MediaException e) {
      throw new TranscodeException(options.input() + ": its text streams cannot be read: "
          + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
    }
    Map<String, TextSource> byId = new LinkedHashMap<>();
    for (TextStreamReader.TextStream stream : streams) {
      TextKind kind = stream.forced() ? TextKind.FORCED : stream.hearingImpaired() ? TextKind.CAPTION : TextKind.SUBTITLE;
      TextSource source = new TextSource(stream.language(), kind, "stream:" + stream.index(), stream.cues());
      if (byId.putIfAbsent(source.trackId(), source) != null) {
        progress.line("text stream " + stream.index() + " (" + stream.codec() + ") left out: "
            + byId.get(source.trackId()).origin() + " is already " + source.trackId());
      }
    }
    for (TextSource sidecar : sidecars) {
      TextSource replaced = byId.put(sidecar.trackId(), sidecar);
      if (replaced != null) {
        progress.line(sidecar.trackId() + ": " + sidecar.origin() + " replaces the source's " + replaced.origin());
      }
    }
    return List.copyOf(byId.values());
  }

  /** A text rendition as written, with what its catalog row says. */
  private record PackagedText(Presentation.TextRendition rendition, TextTrack catalogRow) {}

  /**
   * Writes each text track into the staging folder: {@code full.vtt}, and {@code seg-NNNNN.vtt}
   * with their playlist on the boundaries of {@code timeline}'s segments. Cues past the timeline's
   * end are cut there or dropped, as the progress line says.
   */
  private List<PackagedText> writeText(Configuration conf, Path staging, List<TextSource> sources, Track timeline)
      throws IOException {
    if (sources.isEmpty() || timeline == null) {
      return List.of();
    }
    List<Segment> segments = timeline.segments();
    long[] boundaries = new long[segments.size() + 1];
    for (int i = 0; i < segments.size(); i++) {
      boundaries[i] = Math.round(segments.get(i).start() * 1e6 / timeline.timescale());
    }
    Segment last = segments.get(segments.size() - 1);
    boundaries[segments.size()] = Math.round((last.start() + last.duration()) * 1e6 / timeline.timescale());
    long mpegTs = Math.round(segments.get(0).start() * 90_000.0 / timeline.timescale());
    long endMillis = boundaries[segments.size()] / 1000;
    double seconds = (boundaries[segments.size()] - boundaries[0]) / 1e6;
    List<PackagedText> packaged = new ArrayList<>();
    for (TextSource source : sources) {
      Cues.Fitted fitted = Cues.fit(source.cues(), endMillis);
      progress.line(source.trackId() + " from " + source.origin() + ": " + fitted.describe());
      Path dir = new Path(staging, source.dir());
      byte[] full = utf8(WebVttWriter.full(fitted.cues()));
      TitleStore.write(conf, new Path(dir, "full.vtt"), full);
      List<String> files = WebVttWriter.segments(fitted.cues(), boundaries, mpegTs);
      for (int i = 0; i < files.size(); i++) {
        TitleStore.write(conf, new Path(dir, WebVttWriter.segmentName(i + 1)), utf8(files.get(i)));
      }
      TitleStore.write(conf, new Path(dir, "playlist.m3u8"), utf8(WebVttWriter.playlist(boundaries)));
      Presentation.TextRendition rendition = new Presentation.TextRendition(source.trackId(), source.dir(),
          source.language(), source.name(), source.kind(), (long) Math.ceil(full.length * 8 / Math.max(0.001, seconds)));
      packaged.add(new PackagedText(rendition, TextTrack.newBuilder().setTrackId(source.trackId())
          .setLanguage(source.language()).setName(source.name()).setKind(source.kind().catalogName())
          .setCues(fitted.cues().size()).setOrigin(source.origin()).build()));
    }
    return packaged;
  }

  /** Each rung's I-frame playlist and the thumbnails' image playlist. */
  private static void writeTrickPlaylists(Configuration conf, Path staging, Presentation title) throws IOException {
    for (Track v : title.video()) {
      if (HlsWriter.hasIFrames(v)) {
        TitleStore.write(conf, new Path(staging, v.dir() + "/" + HlsWriter.IFRAMES),
            utf8(HlsWriter.iframes(v, title.protection())));
      }
    }
    if (!title.thumbnails().isEmpty()) {
      TitleStore.write(conf, new Path(staging, ThumbnailTrack.DIR + "/" + HlsWriter.IMAGES),
          utf8(HlsWriter.images(title.thumbnails())));
    }
  }

  /** The catalog row's thumbnails; null when the title has none. */
  private static io.caudal.schemas.Thumbnails thumbnailsRow(ThumbnailTrack t) {
    return t.isEmpty() ? null : io.caudal.schemas.Thumbnails.newBuilder().setIntervalMs(t.intervalMs())
        .setWidth(t.width()).setHeight(t.height()).setColumns(t.columns()).setRows(t.rows()).setCount(t.count())
        .build();
  }

  private CatalogEntry.Builder catalogEntry(String titleId, SourceInfo info, List<RungTarget> ladder, List<Track> video,
      List<AudioTrack> audio, Map<String, Double> quality) {
    List<Rung> rungs = new ArrayList<>();
    for (Track t : video) {
      RungTarget rung = ladder.stream().filter(r -> r.id().equals(t.id())).findFirst().orElseThrow();
      rungs.add(Rung.newBuilder()
          .setRungId(t.id()).setWidth(t.width()).setHeight(t.height()).setCodecs(t.codecs())
          .setTargetKbps(rung.targetKbps())
          .setAverageKbps((int) Math.round(t.averageBitsPerSecond() / 1000.0))
          .setPeakKbps((int) Math.round(t.peakBitsPerSecond() / 1000.0))
          .setBytes(t.bytes())
          .setVmafEstimate(Math.round(quality.get(t.id()) * 1000) / 1000.0)
          .build());
    }
    return CatalogEntry.newBuilder()
        .setTitleId(titleId).setName(options.name()).setCategory(options.category())
        .setDurationMs(Math.round(info.durationMicros() / 1000.0))
        .setWidth(info.hasVideo() ? info.displayWidth() : 0).setHeight(info.hasVideo() ? info.displayHeight() : 0)
        .setHasVideo(info.hasVideo()).setHasAudio(info.hasAudio())
        .setLadder(rungs)
        // Every rendition's bytes: what the title's audio costs to store.
        .setAudioBytes(audio.stream().mapToLong(AudioTrack::getBytes).sum())
        .setAudioTracks(audio.isEmpty() ? null : audio)
        .setSegmentDurationMs(Math.round(options.segmentSeconds() * 1000))
        .setSourceUri(options.input())
        .setCreatedAt(System.currentTimeMillis())
        .setRatingCount(0)
        .setRatingAverage(null);
  }

  private static String describe(SourceInfo info, ChunkPlan plan, List<RungTarget> ladder) {
    StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "source %.2f s", info.durationMicros() / 1e6));
    if (info.hasVideo()) {
      s.append(String.format(java.util.Locale.ROOT, ", video %dx%d%s at %s fps%s", info.displayWidth(), info.displayHeight(),
          info.rotation() != 0 ? " (rotated " + info.rotation() + "°)" : "", plan.frameRate(),
          info.variableRate() ? " (variable, resampled)" : ""));
      s.append(", ").append(plan.segmentCount()).append(" segments in ").append(plan.chunks().size())
          .append(" chunks, ladder ").append(ladder.stream().map(RungTarget::id).toList());
    } else {
      s.append(", no video");
    }
    s.append(info.hasAudio() ? ", audio " + info.audioStreams().stream()
        .map(a -> (a.language() == null ? "untagged" : a.language()) + " " + a.layout()).toList() : ", no audio");
    return s.toString();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
