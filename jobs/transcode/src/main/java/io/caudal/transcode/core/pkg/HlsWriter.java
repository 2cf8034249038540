package io.caudal.transcode.core.pkg;

import io.caudal.transcode.core.plan.FrameRate;
import java.util.ArrayList;
import io.caudal.transcode.core.text.TextKind;
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
