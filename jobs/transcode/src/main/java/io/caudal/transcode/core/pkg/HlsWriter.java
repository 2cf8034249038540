package io.caudal.transcode.core.pkg;

import io.caudal.transcode.core.plan.FrameRate;
import java.util.ArrayList;
import io.caudal.transcode.core.text.TextKind;
import io.caudal.transcode.core.trick.ThumbnailTrack;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes HLS playlists (RFC 8216, version 7 for fMP4) from what was measured, not what was
 * asked: BANDWIDTH is the peak segment bitrate and AVERAGE-BANDWIDTH the mean, each including
 * the audio that plays with it.
 */
public final class HlsWriter {
  /** The audio group of stereo renditions, the one every player can play. */
  public static final String AUDIO_GROUP = "aac-2ch";
  public static final String SUBTITLE_GROUP = "subs";
  /** File name of a rung's I-frame playlist, in the rung's folder. */
  public static final String IFRAMES = "iframes.m3u8";
  /** File name of the thumbnails' image media playlist, in {@link ThumbnailTrack#DIR}. */
  public static final String IMAGES = "playlist.m3u8";

  private HlsWriter() {}

  /**
   * The master playlist. It names no content-steering server: the edge that serves the title
   * inserts its own. A protected title's lists one EXT-X-SESSION-KEY per key id, so a player can
   * ask for its licence before it loads a media playlist.
   */
  public static String master(Presentation title) {
    ManifestProtection protection = title.protection();
    List<Track> video = title.video();
    List<Presentation.AudioRendition> audio = title.audio();
    StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    if (protection.isProtected()) {
      title.tracks().stream().map(t -> protection.kidOf(t.id())).distinct().forEach(kid ->
          m.append("#EXT-X-SESSION-KEY:").append(protection.hlsKeyAttributes(kid)).append('\n'));
    }
    subtitles(m, title);
    if (!audio.isEmpty() && !video.isEmpty()) {
      audioGroups(m, title);
    } else {
      for (Track v : video) {
        variant(m, title, v, List.of(), null);
      }
    }
    trickPlay(m, title);
    if (video.isEmpty()) {
      for (Track a : title.audioTracks()) {
        m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(a.peakBitsPerSecond())
            .append(",AVERAGE-BANDWIDTH=").append(a.averageBitsPerSecond())
            .append(",CODECS=\"").append(a.codecs()).append('"')
            .append(title.text().isEmpty() ? "" : ",SUBTITLES=\"" + SUBTITLE_GROUP + "\"").append('\n')
            .append(a.dir()).append("/playlist.m3u8\n");
      }
    }
    return m.toString();
  }

  /**
   * One AUDIO group per channel count ({@code aac-2ch}, then {@code aac-6ch}), each rendition with
   * its LANGUAGE, NAME and CHANNELS, one DEFAULT per group (the title's default, or in a group
   * without it the first rendition of its language, else the group's first), then every video
   * rung once per group.
   */
  private static void audioGroups(StringBuilder m, Presentation title) {
    Map<String, List<Presentation.AudioRendition>> groups = new TreeMap<>();
    title.audio().forEach(a -> groups.computeIfAbsent(a.hlsGroup(), g -> new ArrayList<>()).add(a));
    String defaultLanguage = title.audio().stream().filter(Presentation.AudioRendition::isDefault)
        .map(Presentation.AudioRendition::language).findFirst().orElse(title.audio().get(0).language());
    for (Map.Entry<String, List<Presentation.AudioRendition>> group : groups.entrySet()) {
      List<Presentation.AudioRendition> members = group.getValue();
      Presentation.AudioRendition chosen = members.stream().filter(Presentation.AudioRendition::isDefault).findFirst()
          .or(() -> members.stream().filter(a -> a.language().equals(defaultLanguage)).findFirst())
          .orElse(members.get(0));
      for (Presentation.AudioRendition a : members) {
        m.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(group.getKey())
            .append("\",NAME=\"").append(quoted(a.name())).append("\",LANGUAGE=\"").append(a.language())
            .append("\",DEFAULT=").append(a == chosen ? "YES" : "NO").append(",AUTOSELECT=YES,CHANNELS=\"")
            .append(a.channels()).append("\",URI=\"").append(a.track().dir()).append("/playlist.m3u8\"\n");
      }
    }
    for (Map.Entry<String, List<Presentation.AudioRendition>> group : groups.entrySet()) {
      List<Track> tracks = group.getValue().stream().map(Presentation.AudioRendition::track).toList();
      for (Track v : title.video()) {
        variant(m, title, v, tracks, group.getKey());
      }
    }
  }

  /** A video variant; its bandwidth counts the most demanding audio rendition of its group. */
  private static void variant(StringBuilder m, Presentation title, Track v, List<Track> audio, String group) {
    long audioPeak = audio.stream().mapToLong(Track::peakBitsPerSecond).max().orElse(0);
    long audioAverage = audio.stream().mapToLong(Track::averageBitsPerSecond).max().orElse(0);
    String audioCodecs = audio.stream().map(Track::codecs).distinct().reduce((a, b) -> a + "," + b).orElse("");
    m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.peakBitsPerSecond() + audioPeak)
        .append(",AVERAGE-BANDWIDTH=").append(v.averageBitsPerSecond() + audioAverage)
        .append(",CODECS=\"").append(v.codecs()).append(audio.isEmpty() ? "" : "," + audioCodecs).append('"')
        .append(",RESOLUTION=").append(v.width()).append('x').append(v.height())
        .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", title.rate().fps()));
    if (group != null) {
      m.append(",AUDIO=\"").append(group).append('"');
    }
    m.append(title.text().isEmpty() ? "" : ",SUBTITLES=\"" + SUBTITLE_GROUP + "\"");
    m.append('\n').append(v.dir()).append("/playlist.m3u8\n");
  }

  /** A quoted-string attribute value cannot hold a double quote or a line break (RFC 8216 4.2). */
  private static String quoted(String text) {
    return text.replace('"', '\'').replace('\n', ' ').replace('\r', ' ');
  }

  /**
   * One EXT-X-MEDIA per text rendition. None is the default (a viewer turns subtitles on); each of a
   * known language may be auto-selected by the viewer's language (a forced one is then shown with
   * audio of its language); captions say what they transcribe and describe (CHARACTERISTICS), so a
   * player picks them for a viewer who asked for them, as the HLS authoring specification asks.
   */
  private static void subtitles(StringBuilder m, Presentation title) {
    for (Presentation.TextRendition t : title.text()) {
      m.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").append(SUBTITLE_GROUP)
          .append("\",NAME=\"").append(quoted(t.name())).append("\",LANGUAGE=\"").append(t.language())
          .append("\",DEFAULT=NO,AUTOSELECT=").append("und".equals(t.language()) ? "NO" : "YES")
          .append(",FORCED=").append(t.kind() == TextKind.FORCED ? "YES" : "NO");
      if (t.kind() == TextKind.CAPTION) {
        m.append(",CHARACTERISTICS=\"public.accessibility.transcribes-spoken-dialog,")
            .append("public.accessibility.describes-music-and-sound\"");
      }
      m.append(",URI=\"").append(t.dir()).append("/playlist.m3u8\"\n");
    }
  }

  /**
   * The master's trick-play entries: each rung's I-frame playlist (BANDWIDTH the peak of its
   * key frames' bytes over their segments' durations, as RFC 8216 defines it for I-frame
   * streams) and the thumbnails' image playlist (the image media playlist specification v0.4,
   * as Roku and AWS Elemental read it; RESOLUTION is the sprite's).
   */
  private static void trickPlay(StringBuilder m, Presentation title) {
    for (Track v : title.video()) {
      if (hasIFrames(v)) {
        m.append("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=").append(peakIFrameBitsPerSecond(v))
            .append(",AVERAGE-BANDWIDTH=").append(averageIFrameBitsPerSecond(v))
            .append(",CODECS=\"").append(v.codecs()).append('"')
            .append(",RESOLUTION=").append(v.width()).append('x').append(v.height())
            .append(",URI=\"").append(v.dir()).append("/").append(IFRAMES).append("\"\n");
      }
    }
    ThumbnailTrack thumbs = title.thumbnails();
    if (!thumbs.isEmpty() && !title.video().isEmpty()) {
      m.append("#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=").append(thumbs.peakBitsPerSecond())
          .append(",RESOLUTION=").append(thumbs.spriteWidth()).append('x').append(thumbs.spriteHeight())
          .append(",CODECS=\"jpeg\",URI=\"").append(ThumbnailTrack.DIR).append('/').append(IMAGES).append("\"\n");
    }
  }

  /** Whether every segment of a video track has its key frame's byte range measured. */
  public static boolean hasIFrames(Track track) {
    return track.video() && !track.segments().isEmpty()
        && track.segments().stream().allMatch(s -> s.keyframeBytes() > 0);
  }

  static long peakIFrameBitsPerSecond(Track track) {
    return (long) Math.ceil(track.segments().stream()
        .mapToDouble(s -> s.keyframeBytes() * 8.0 * track.timescale() / s.duration()).max().orElse(0));
  }

  static long averageIFrameBitsPerSecond(Track track) {
    return (long) Math.ceil(track.segments().stream().mapToLong(Segment::keyframeBytes).sum() * 8.0
        / track.durationSeconds());
  }

  /**
   * A rung's I-frame playlist (RFC 8216 4.3.3.6): one entry per segment, whose byte range covers
   * the segment's moof and its IDR sample, lasting until the next segment's IDR. A protected
   * rung's carries the same EXT-X-KEY as its media playlist.
   */
  public static String iframes(Track track, ManifestProtection protection) {
    if (!hasIFrames(track)) {
      throw new IllegalArgumentException(track.id() + " has no measured key frames");
    }
    StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n")
        .append("#EXT-X-TARGETDURATION:").append(targetDuration(track)).append('\n')
        .append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-I-FRAMES-ONLY\n")
        .append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    if (protection.isProtected()) {
      m.append("#EXT-X-KEY:").append(protection.hlsKeyAttributes(protection.kidOf(track.id()))).append('\n');
    }
    m.append("#EXT-X-MAP:URI=\"init.mp4\"\n");
    for (Segment s : track.segments()) {
      m.append(String.format(Locale.ROOT, "#EXTINF:%.6f,\n", (double) s.duration() / track.timescale()))
          .append("#EXT-X-BYTERANGE:").append(s.keyframeBytes()).append("@0\n")
          .append(s.fileName()).append('\n');
    }
    return m.append("#EXT-X-ENDLIST\n").toString();
  }

  /**
   * The thumbnails' image media playlist (image media playlist specification v0.4): one entry per
   * sprite, lasting as long as the thumbnails it holds, with its tile layout.
   */
  public static String images(ThumbnailTrack thumbs) {
    long longestMs = thumbs.spriteMs();
    StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n")
        .append("#EXT-X-TARGETDURATION:").append(Math.max(1, (longestMs + 999) / 1000)).append('\n')
        .append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-IMAGES-ONLY\n");
    String tiles = String.format(Locale.ROOT, "#EXT-X-TILES:RESOLUTION=%dx%d,LAYOUT=%dx%d,DURATION=%.3f\n",
        thumbs.width(), thumbs.height(), thumbs.columns(), thumbs.rows(), thumbs.intervalMs() / 1000.0);
    for (int n = 1; n <= thumbs.sprites(); n++) {
      m.append(String.format(Locale.ROOT, "#EXTINF:%.3f,\n", thumbs.thumbnailsIn(n) * thumbs.intervalMs() / 1000.0))
          .append(tiles).append(ThumbnailTrack.fileName(n)).append('\n');
    }
    return m.append("#EXT-X-ENDLIST\n").toString();
  }

  private static long targetDuration(Track track) {
    long target = 0;
    for (Segment s : track.segments()) {
      target = Math.max(target, Math.round((double) s.duration() / track.timescale()));
    }
    return Math.max(1, target);
  }

  /** A VOD media playlist of one track; its URIs are relative to the track's folder. */
  public static String media(Track track) {
    return media(track, ManifestProtection.CLEAR);
  }

  /**
   * A VOD media playlist of one track; a protected track's EXT-X-KEY (before the EXT-X-MAP, so it
   * applies to every segment) carries its key id as hls.js reads it for ClearKey.
   */
  public static String media(Track track, ManifestProtection protection) {
    long target = 0;
    for (Segment s : track.segments()) {
      target = Math.max(target, Math.round((double) s.duration() / track.timescale()));
    }
    StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n")
        .append("#EXT-X-TARGETDURATION:").append(Math.max(1, target)).append('\n')
        .append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    if (protection.isProtected()) {
      m.append("#EXT-X-KEY:").append(protection.hlsKeyAttributes(protection.kidOf(track.id()))).append('\n');
    }
    m.append("#EXT-X-MAP:URI=\"init.mp4\"\n");
    for (Segment s : track.segments()) {
      m.append(String.format(Locale.ROOT, "#EXTINF:%.6f,\n", (double) s.duration() / track.timescale()))
          .append(s.fileName()).append('\n');
    }
    return m.append("#EXT-X-ENDLIST\n").toString();
  }
}
