package io.caudal.transcode;

import io.caudal.transcode.media.AudioTranscoder;
import io.caudal.transcode.media.ChunkEncoder;
import io.caudal.transcode.media.EncoderSettings;
import io.caudal.transcode.media.SegmentDecoder;
import io.caudal.transcode.media.SourceInfo;
import io.caudal.transcode.mp4.Fmp4;
import io.caudal.transcode.pkg.Segment;
import io.caudal.transcode.plan.ChunkPlan;
import io.caudal.transcode.plan.Rung;
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
 * its rungs (or the whole audio track), cuts the output into segments on the title's timeline
 * and writes them to the staging folder; a verify task decodes a track's segments back.
 */
final class EncodeTask implements Serializable {
  /** Everything tasks share about one title. */
  /** @param plan null for a title without video; @param segmentMicros the segments' length */
  record Title(String sourceUri, SourceInfo info, ChunkPlan plan, List<Rung> ladder, long segmentMicros,
      EncoderSettings settings, String staging, HadoopConf conf) implements Serializable {}

  /** One unit of work: a chunk into some rungs, or (chunk null) the audio track. */
  record Work(ChunkPlan.Chunk chunk, List<Rung> rungs) implements Serializable {
    static Work audio() {
      return new Work(null, List.of());
    }

    boolean isAudio() {
      return chunk == null;
    }
  }

  /** What a task wrote of one track. */
  record TrackPart(String trackId, String codecs, int timescale, List<Segment> segments) implements Serializable {}

  static final String AUDIO = "audio";

  private EncodeTask() {}

  static String dirOf(String trackId) {
    return AUDIO.equals(trackId) ? AUDIO : "video/" + trackId;
  }

  static List<TrackPart> run(Title title, Work work) throws IOException {
    Configuration conf = title.conf().get();
    File source = LocalSource.copyOf(conf, title.sourceUri());
    File dir = Files.createTempDirectory("caudal-encode").toFile();
    try {
      return work.isAudio() ? audio(title, source, dir, conf) : video(title, work, source, dir, conf);
    } finally {
      deleteTree(dir);
    }
  }

  private static List<TrackPart> video(Title title, Work work, File source, File dir, Configuration conf)
      throws IOException {
    ChunkPlan plan = title.plan();
    ChunkPlan.Chunk chunk = work.chunk();
    List<File> files = ChunkEncoder.encode(source, title.info(), plan, chunk, work.rungs(), title.settings(), dir);
    long offset = chunk.startFrame() * plan.frameRate().frameTicks();
    List<TrackPart> parts = new ArrayList<>();
    for (int r = 0; r < files.size(); r++) {
      String id = work.rungs().get(r).id();
      Fmp4.File mp4 = Fmp4.parse(Files.readAllBytes(files.get(r).toPath()));
      if (mp4.fragments().size() != chunk.segmentCount()) {
        throw new TranscodeException(title.sourceUri() + ": chunk " + chunk.index() + " of " + id + " came out as "
            + mp4.fragments().size() + " segments, planned " + chunk.segmentCount());
      }
      List<Segment> segments = new ArrayList<>();
      for (int i = 0; i < mp4.fragments().size(); i++) {
        Fmp4.Fragment fragment = mp4.fragments().get(i);
        int number = chunk.firstSegment() + i + 1;
        if (!fragment.startsWithSync()) {
          throw new TranscodeException(title.sourceUri() + ": segment " + number + " of " + id + " does not start with an IDR frame");
        }
        segments.add(writeSegment(title, conf, id, Fmp4.rebase(fragment, offset, number), fragment, number, offset));
      }
      if (chunk.index() == 0) {
        TitleStore.write(conf, new Path(title.staging(), dirOf(id) + "/init.mp4"), mp4.init().bytes());
      }
      parts.add(new TrackPart(id, mp4.init().codecs(), mp4.init().timescale(), segments));
    }
    return parts;
  }

  private static List<TrackPart> audio(Title title, File source, File dir, Configuration conf) throws IOException {
    File out = new File(dir, "audio.mp4");
    long segmentSamples = Math.round(title.segmentMicros() * EncoderSettings.AUDIO_SAMPLE_RATE / 1e6);
    AudioTranscoder.encode(source, title.info().audioChannels(), segmentSamples, title.settings(), out);
    Fmp4.File mp4 = Fmp4.parse(Files.readAllBytes(out.toPath()));
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < mp4.fragments().size(); i++) {
      Fmp4.Fragment fragment = mp4.fragments().get(i);
      segments.add(writeSegment(title, conf, AUDIO, Fmp4.rebase(fragment, 0, i + 1), fragment, i + 1, 0));
    }
    TitleStore.write(conf, new Path(title.staging(), AUDIO + "/init.mp4"), mp4.init().bytes());
    return List.of(new TrackPart(AUDIO, mp4.init().codecs(), mp4.init().timescale(), segments));
  }

  private static Segment writeSegment(Title title, Configuration conf, String trackId, byte[] bytes,
      Fmp4.Fragment fragment, int number, long offset) throws IOException {
    Segment segment = new Segment(number, fragment.decodeTime() + offset, fragment.duration(), bytes.length,
        fragment.samples());
    TitleStore.write(conf, new Path(title.staging(), dirOf(trackId) + "/" + segment.fileName()), bytes);
    return segment;
  }

  /** Decodes every segment of a track on its own (init + segment); returns the problems found. */
  static List<String> verify(Title title, String trackId, List<Segment> segments) throws IOException {
    Configuration conf = title.conf().get();
    boolean video = !AUDIO.equals(trackId);
    String dir = dirOf(trackId);
    byte[] init = TitleStore.read(conf, new Path(title.staging(), dir + "/init.mp4"));
    File local = Files.createTempFile("caudal-verify", ".mp4").toFile();
    List<String> problems = new ArrayList<>();
    try {
      for (Segment s : segments) {
        byte[] media = TitleStore.read(conf, new Path(title.staging(), dir + "/" + s.fileName()));
        byte[] whole = new byte[init.length + media.length];
        System.arraycopy(init, 0, whole, 0, init.length);
        System.arraycopy(media, 0, whole, init.length, media.length);
        Files.write(local.toPath(), whole);
        try {
          SegmentDecoder.Decoded decoded = SegmentDecoder.decode(local, video);
          if (decoded.frames() != s.samples()) {
            problems.add(trackId + " segment " + s.number() + ": decoded " + decoded.frames() + " frames of " + s.samples());
          } else if (video && !decoded.startsWithKeyframe()) {
            problems.add(trackId + " segment " + s.number() + ": does not start with a keyframe");
          }
        } catch (RuntimeException e) {
          problems.add(trackId + " segment " + s.number() + ": does not decode: " + e.getMessage());
        }
      }
    } finally {
      Files.deleteIfExists(local.toPath());
    }
    return problems;
  }

  private static void deleteTree(File dir) throws IOException {
    try (Stream<java.nio.file.Path> paths = Files.walk(dir.toPath())) {
      for (java.nio.file.Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
