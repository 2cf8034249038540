package io.caudal.transcode.core.pkg;

import io.caudal.transcode.core.media.SourceInfo;
import io.caudal.transcode.core.plan.ChunkPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks across tracks that decide whether a title may be published: equal segment counts
 * and boundaries on every rung (±1 frame), total duration within one frame of the source,
 * continuous audio, H.264 no higher than High profile level 4.2, and AV1 no higher than Main
 * profile, Main tier, level 5.1, 8 bit.
 */
public final class LadderCheck {
  /** H.264 level_idc 42 = level 4.2. */
  static final int MAX_LEVEL_IDC = 42;
  static final int HIGH_PROFILE_IDC = 100;
  /** AV1 seq_level_idx 13 = level 5.1 (4K at 60 fps): what AV1 decoders in browsers and TVs take. */
  static final int MAX_AV1_LEVEL_IDX = 13;
  /** An AAC frame; the encoder's last frame may be partly padding. */
  static final long AAC_FRAME = 1024;

  private LadderCheck() {}

  /**
   * A rung whose measured quality is below that of the rung under it (the next in the list, which
   * is highest first) costs more bits for a worse picture: the title fails.
   *
   * @param ids the rungs, highest first
   * @param quality their measured quality, in the same order
   */
  public static List<String> qualityProblems(List<String> ids, List<Double> quality) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i + 1 < ids.size(); i++) {
      if (quality.get(i) < quality.get(i + 1)) {
        problems.add(String.format(Locale.ROOT, "%s: measured quality %.2f (estimated VMAF) is below %.2f of %s under it",
            ids.get(i), quality.get(i), quality.get(i + 1), ids.get(i + 1)));
      }
    }
    return problems;
  }

  /**
   * Problems found with several audio renditions, one line each: besides the video's checks, every
   * rendition continuous and as long as the source stream it was made from (which is the video's
   * length when the source's streams are alike; the segments follow the video's boundaries).
   *
   * @param audioSourceMicros each audio rendition's source stream duration, by track id
   */
  public static List<String> problems(List<Track> video, List<Track> audio, Map<String, Long> audioSourceMicros,
      ChunkPlan plan, SourceInfo source) {
    List<String> problems = new ArrayList<>(problems(video, null, plan, source));
    for (Track a : audio) {
      problems.addAll(audioProblems(a, audioSourceMicros.getOrDefault(a.id(), source.audioDurationMicros())));
    }
    return problems;
  }

  private static List<String> audioProblems(Track audio, long sourceMicros) {
    List<String> problems = new ArrayList<>();
    String name = audio.id();
    List<Segment> segments = audio.segments();
    for (int i = 1; i < segments.size(); i++) {
      Segment prev = segments.get(i - 1);
      if (prev.start() + prev.duration() != segments.get(i).start()) {
        problems.add(name + ": discontinuity before segment " + segments.get(i).number());
      }
    }
    long sourceTicks = Math.round(sourceMicros * (double) audio.timescale() / 1e6);
    if (Math.abs(audio.durationTicks() - sourceTicks) > 2 * AAC_FRAME) {
      problems.add(String.format(Locale.ROOT, "%s: lasts %.3f s, the source's audio %.3f s",
          name, audio.durationSeconds(), sourceMicros / 1e6));
    }
    return problems;
  }

  /** Problems found, one line each; empty when the title is fit to publish. */
  public static List<String> problems(List<Track> video, Track audio, ChunkPlan plan, SourceInfo source) {
    List<String> problems = new ArrayList<>();
    if (!video.isEmpty()) {
      long frame = plan.frameRate().frameTicks();
      Track reference = video.get(0);
      for (Track t : video) {
        if (t.segments().size() != plan.segmentCount()) {
          problems.add(t.id() + ": " + t.segments().size() + " segments, planned " + plan.segmentCount());
          continue;
        }
        for (int i = 0; i < t.segments().size(); i++) {
          Segment s = t.segments().get(i);
          Segment r = reference.segments().get(i);
          if (Math.abs(s.start() - r.start()) > frame || Math.abs(s.start() + s.duration() - r.start() - r.duration()) > frame) {
            problems.add(String.format(Locale.ROOT, "%s: segment %d spans %d+%d, but %s spans %d+%d",
                t.id(), s.number(), s.start(), s.duration(), reference.id(), r.start(), r.duration()));
          }
          if (i > 0) {
            Segment prev = t.segments().get(i - 1);
            if (prev.start() + prev.duration() != s.start()) {
              problems.add(t.id() + ": gap or overlap before segment " + s.number());
            }
          }
        }
        long sourceTicks = Math.round(source.videoDurationMicros() * (double) t.timescale() / 1e6);
        if (Math.abs(t.durationTicks() - sourceTicks) > frame) {
          problems.add(String.format(Locale.ROOT, "%s: lasts %.3f s, the source's video %.3f s (more than a frame apart)",
              t.id(), t.durationSeconds(), source.videoDurationMicros() / 1e6));
        }
        problems.addAll(t.codecs() != null && t.codecs().startsWith("av01.") ? av1Problems(t) : h264Problems(t));
      }
    }
    if (audio != null) {
      problems.addAll(audioProblems(audio, source.audioDurationMicros()));
    }
    return problems;
  }

  /** av01.P.LLT.DD…: Main profile (0), Main tier, a level decoders take, 8 bit. */
  private static List<String> av1Problems(Track t) {
    String[] parts = t.codecs().split("\\.");
    if (parts.length < 4 || !parts[1].matches("\\d") || !parts[2].matches("\\d\\d[MH]") || !parts[3].matches("\\d\\d")) {
      return List.of(t.id() + ": codec '" + t.codecs() + "' is not an AV1 codecs string");
    }
    List<String> problems = new ArrayList<>();
    if (!parts[1].equals("0")) {
      problems.add(t.id() + ": AV1 profile " + parts[1] + " is above Main");
    }
    int level = Integer.parseInt(parts[2].substring(0, 2));
    if (level > MAX_AV1_LEVEL_IDX || parts[2].endsWith("H")) {
      problems.add(t.id() + ": AV1 level " + (2 + level / 4) + "." + level % 4 + (parts[2].endsWith("H") ? " High tier" : "")
          + " is above 5.1 Main tier");
    }
    if (!parts[3].equals("08")) {
      problems.add(t.id() + ": AV1 bit depth " + Integer.parseInt(parts[3]) + " is not 8");
    }
    return problems;
  }

  private static List<String> h264Problems(Track t) {
    String codecs = t.codecs();
    if (codecs == null || !codecs.matches("avc1\\.[0-9a-fA-F]{6}")) {
      return List.of(t.id() + ": codec '" + codecs + "' is not H.264 (avc1)");
    }
    int profile = Integer.parseInt(codecs.substring(5, 7), 16);
    int level = Integer.parseInt(codecs.substring(9, 11), 16);
    List<String> problems = new ArrayList<>();
    if (profile > HIGH_PROFILE_IDC) {
      problems.add(t.id() + ": H.264 profile_idc " + profile + " is above High");
    }
    if (level > MAX_LEVEL_IDC) {
      problems.add(t.id() + ": H.264 level " + level / 10.0 + " is above 4.2");
    }
    return problems;
  }
}
