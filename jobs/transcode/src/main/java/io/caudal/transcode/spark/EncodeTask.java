package io.caudal.transcode.spark;

import io.caudal.transcode.TranscodeException;
import io.caudal.transcode.core.audio.AudioRenditionPlan;
import io.caudal.transcode.core.audio.Loudness;
import io.caudal.transcode.core.audio.LoudnessMeter;
import io.caudal.transcode.core.audio.LoudnessNormaliser;
import io.caudal.transcode.core.audio.LoudnessTarget;
import io.caudal.transcode.core.media.AudioTranscoder;
import io.caudal.transcode.core.media.ChunkEncoder;
import io.caudal.transcode.core.media.EncoderSettings;
import io.caudal.transcode.core.media.RateQuality;
import io.caudal.transcode.core.media.SegmentDecoder;
import io.caudal.transcode.core.mp4.CencBoxes;
import io.caudal.transcode.core.mp4.Fmp4;
import io.caudal.transcode.core.protect.AvcSliceHeaders;
import io.caudal.transcode.core.protect.TrackKey;
import java.security.SecureRandom;
import io.caudal.transcode.core.pkg.Segment;
import io.caudal.transcode.core.plan.ChunkPlan;
import io.caudal.transcode.core.plan.RungTarget;
import io.caudal.transcode.core.plan.Stretch;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The work one Spark task does, and everything it needs to do it. A task encodes one chunk into
 * its rungs (or the whole audio track), cuts the output into segments on the title's timeline,
 * writes them to the staging folder and decodes each one back from the very bytes it wrote.
 * Verifying in the task that encoded, rather than in a later stage, fills the cores that wait
 * for the last chunk and reads nothing back from the FileSystem.
 */
final class EncodeTask implements Serializable {
  /** One unit of work: a chunk into some rungs, or (chunk null) one audio rendition. */
  record Work(ChunkPlan.Chunk chunk, List<RungTarget> rungs, String audioTrack) implements Serializable {
    Work(ChunkPlan.Chunk chunk, List<RungTarget> rungs) {
      this(chunk, rungs, null);
    }

    static Work audio(String trackId) {
      return new Work(null, List.of(), trackId);
    }

    boolean isAudio() {
      return chunk == null;
    }
  }

  /**
   * What a task wrote of one track, what verifying it found wrong (empty when nothing), and the
   * sum of the quality (see QualityScale) of the frames it measured against the source (video only).
   */
  record TrackPart(String trackId, String codecs, int timescale, List<Segment> segments, List<String> problems,
      double qualitySum, int measuredFrames, AudioLoudness loudness) implements Serializable {
    TrackPart(String trackId, String codecs, int timescale, List<Segment> segments, List<String> problems,
        double qualitySum, int measuredFrames) {
      this(trackId, codecs, timescale, segments, problems, qualitySum, measuredFrames, null);
    }
  }

  /**
   * An audio rendition's loudness: of the source stream in the rendition's layout, before
   * normalising, and of the packaged rendition decoded back.
   */
  record AudioLoudness(Loudness source, Loudness output, LoudnessTarget.Method method) implements Serializable {}

  /** Everything a task wrote, and the CPU time it took. */
  record Done(List<TrackPart> parts, long cpuNanos) implements Serializable {}

  /**
   * Every rung's quality is measured on every {@value}-th frame, the same frames for every rung, so
   * rungs are compared on the same pictures: about two a second at 30 fps (7200 a rung in an hour),
   * at a sixteenth of what every frame would cost (10 ms of CPU per 1080p source frame and 21 ms
   * per rung); on every 8th frame the transcode benchmark's title took about a tenth more CPU.
   */
  static final int QUALITY_STEP = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private EncodeTask() {}

  static String dirOf(String trackId) {
    return AudioRenditionPlan.isAudioTrack(trackId) ? AudioRenditionPlan.dirOf(trackId) : "video/" + trackId;
  }

  static Done run(TitleContext title, Work work) throws IOException {
    long cpu = ProbeTask.threadCpu();
    List<TrackPart> parts = encode(title, work);
    return new Done(parts, ProbeTask.threadCpu() - cpu);
  }

  private static List<TrackPart> encode(TitleContext title, Work work) throws IOException {
    Configuration conf = title.conf().get();
    File source = LocalSource.copyOf(conf, title.sourceUri());
    File dir = Files.createTempDirectory("caudal-encode").toFile();
    try {
      return work.isAudio() ? audio(title, title.audioOf(work.audioTrack()), source, dir, conf)
          : video(title, work, source, dir, conf);
    } finally {
      deleteTree(dir);
    }
  }

  private static List<TrackPart> video(TitleContext title, Work work, File source, File dir, Configuration conf)
      throws IOException {
    ChunkPlan plan = title.plan();
    ChunkPlan.Chunk chunk = work.chunk();
    List<File> files = ChunkEncoder.encode(source, title.info(), plan, chunk, work.rungs(), title.settings(), dir);
    long offset = chunk.startFrame() * plan.frameRate().frameTicks();
    List<RateQuality.Measured> quality = RateQuality.measure(source, title.info(), plan.frameRate(),
        new Stretch(chunk.startFrame(), chunk.endFrame(), chunk.decodeFromMicros()), files, QUALITY_STEP,
        title.settings());
    List<TrackPart> parts = new ArrayList<>();
    for (int r = 0; r < files.size(); r++) {
      String id = work.rungs().get(r).id();
      Fmp4.File mp4 = Fmp4.parse(Files.readAllBytes(files.get(r).toPath()));
      if (mp4.fragments().size() != chunk.segmentCount()) {
        throw new TranscodeException(title.sourceUri() + ": chunk " + chunk.index() + " of " + id + " came out as "
            + mp4.fragments().size() + " segments, planned " + chunk.segmentCount());
      }
      List<Segment> segments = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      TrackKey key = title.keyOf(id);
      byte[] init = key == null ? mp4.init().bytes() : CencBoxes.protectInit(mp4.init().bytes(), key);
      AvcSliceHeaders slices = key == null ? null : CencBoxes.sliceHeaders(mp4.init().bytes());
      long trexSize = Fmp4.trexSampleSize(mp4.init().bytes());
      for (int i = 0; i < mp4.fragments().size(); i++) {
        Fmp4.Fragment fragment = mp4.fragments().get(i);
        int number = chunk.firstSegment() + i + 1;
        if (!fragment.startsWithSync()) {
          problems.add(id + " segment " + number + ": does not start with an IDR frame");
        }
        byte[] bytes = protect(Fmp4.rebase(fragment, offset, number), key, slices);
        // Measured on the bytes as published: protection adds senc, saiz and saio to the moof.
        long keyframeBytes = Fmp4.firstSampleEnd(bytes, trexSize);
        Segment segment = writeSegment(title, conf, id, bytes, fragment, number, offset, keyframeBytes);
        segments.add(segment);
        problems.addAll(decodeBack(dir, id, init, bytes, segment, key));
      }
      if (chunk.index() == 0) {
        TitleStore.write(conf, new Path(title.staging(), dirOf(id) + "/init.mp4"), init);
      }
      parts.add(new TrackPart(id, mp4.init().codecs(), mp4.init().timescale(), segments, problems,
          quality.get(r).qualitySum(), quality.get(r).measured()));
    }
    return parts;
  }

  /**
   * One audio rendition: its source stream measured in the rendition's layout and the loudness
   * filter chosen ({@link LoudnessNormaliser}), encoded through it, cut on the video's
   * boundaries, every segment decoded back, and the whole packaged track measured again.
   */
  private static List<TrackPart> audio(TitleContext title, AudioRenditionPlan rendition, File source, File dir,
      Configuration conf) throws IOException {
    LoudnessNormaliser.Plan plan = LoudnessNormaliser.plan(source, rendition.sourceIndex(), rendition.layout(),
        title.loudness());
    PackagedAudio done = packageAudio(title, rendition, source, dir, conf, plan.filter());
    return List.of(new TrackPart(rendition.trackId(), done.codecs(), done.timescale(), done.segments(),
        done.problems(), 0, 0, new AudioLoudness(plan.before().rounded(), done.loudness().rounded(), plan.method())));
  }

  /** A packaged audio rendition and its loudness decoded back. */
  private record PackagedAudio(String codecs, int timescale, List<Segment> segments, List<String> problems,
      Loudness loudness) {}

  private static PackagedAudio packageAudio(TitleContext title, AudioRenditionPlan rendition, File source, File dir,
      Configuration conf, String filter) throws IOException {
    String id = rendition.trackId();
    File out = new File(dir, "audio.mp4");
    long segmentSamples = Math.round(title.segmentMicros() * EncoderSettings.AUDIO_SAMPLE_RATE / 1e6);
    AudioTranscoder.encode(source, rendition.sourceIndex(), rendition.layout(), filter, segmentSamples,
        title.settings(), out);
    Fmp4.File mp4 = Fmp4.parse(Files.readAllBytes(out.toPath()));
    List<Segment> segments = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    TrackKey key = title.keyOf(id);
    byte[] init = key == null ? mp4.init().bytes() : CencBoxes.protectInit(mp4.init().bytes(), key);
    File packaged = new File(dir, "packaged.mp4");
    try (var whole = Files.newOutputStream(packaged.toPath())) {
      whole.write(init);
      for (int i = 0; i < mp4.fragments().size(); i++) {
        Fmp4.Fragment fragment = mp4.fragments().get(i);
        byte[] bytes = protect(Fmp4.rebase(fragment, 0, i + 1), key, null);
        Segment segment = writeSegment(title, conf, id, bytes, fragment, i + 1, 0, 0);
        segments.add(segment);
        problems.addAll(decodeBack(dir, id, init, bytes, segment, key));
        whole.write(bytes);
      }
    }
    TitleStore.write(conf, new Path(title.staging(), dirOf(id) + "/init.mp4"), init);
    // What a viewer hears: the published bytes, decrypted when protected.
    Loudness after = LoudnessMeter.ofPackaged(packaged, key == null ? null : key.key());
    return new PackagedAudio(mp4.init().codecs(), mp4.init().timescale(), segments, problems, after);
  }

  /** The fragment encrypted with the track's key (a fresh IV sequence per fragment), or as it is when clear. */
  private static byte[] protect(byte[] fragment, TrackKey key, AvcSliceHeaders slices) {
    return key == null ? fragment : CencBoxes.protectFragment(fragment, key.encryptor(slices, RANDOM));
  }

  private static Segment writeSegment(TitleContext title, Configuration conf, String trackId, byte[] bytes,
      Fmp4.Fragment fragment, int number, long offset, long keyframeBytes) throws IOException {
    Segment segment = new Segment(number, fragment.decodeTime() + offset, fragment.duration(), bytes.length,
        fragment.samples(), keyframeBytes);
    TitleStore.write(conf, new Path(title.staging(), dirOf(trackId) + "/" + segment.fileName()), bytes);
    return segment;
  }

  /**
   * Decodes one segment on its own (init + segment, as a player that joins there would) and
   * checks it yields the frames its track run states, starting on a keyframe.
   */
  private static List<String> decodeBack(File dir, String trackId, byte[] init, byte[] media, Segment s, TrackKey key)
      throws IOException {
    File local = new File(dir, "verify-" + trackId + ".mp4");
    try (var out = Files.newOutputStream(local.toPath())) {
      out.write(init);
      out.write(media);
    }
    boolean video = !AudioRenditionPlan.isAudioTrack(trackId);
    try {
      // A protected segment is decrypted with the title's key as it is read back.
      SegmentDecoder.Decoded decoded = SegmentDecoder.decode(local, video, key == null ? null : key.key());
      if (decoded.frames() != s.samples()) {
        return List.of(trackId + " segment " + s.number() + ": decoded " + decoded.frames() + " frames of " + s.samples());
      }
      if (video && !decoded.startsWithKeyframe()) {
        return List.of(trackId + " segment " + s.number() + ": does not start with a keyframe");
      }
      return List.of();
    } catch (RuntimeException e) {
      return List.of(trackId + " segment " + s.number() + ": does not decode: " + e.getMessage());
    }
  }

  static void deleteTree(File dir) throws IOException {
    try (Stream<java.nio.file.Path> paths = Files.walk(dir.toPath())) {
      for (java.nio.file.Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
