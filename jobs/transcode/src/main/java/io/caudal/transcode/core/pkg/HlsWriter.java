package io.caudal.transcode.core.pkg;

import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.text.TextKind;
import java.util.List;
import java.util.Locale;

/**
 * Writes HLS playlists (RFC 8216, version 7 for fMP4) from what was measured, not what was
 * asked: BANDWIDTH is the peak segment bitrate and AVERAGE-BANDWIDTH the mean, each including
 * the audio that plays with it.
 */
public final class HlsWriter {
  public static final String AUDIO_GROUP = "aac";
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
    if (!audio.isEmpty() && !video.isEmpty()) {
      for (Presentation.AudioRendition a : audio) {
        m.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(AUDIO_GROUP)
            .append("\",NAME=\"").append(a.name()).append("\",LANGUAGE=\"").append(a.language())
            .append("\",DEFAULT=").append(a.isDefault() ? "YES" : "NO").append(",AUTOSELECT=YES,CHANNELS=\"")
            .append(a.track().channels()).append("\",URI=\"").append(a.track().dir()).append("/playlist.m3u8\"\n");
      }
    }
    subtitles(m, title);
    // A variant's bandwidth counts the most demanding audio rendition that may play with it.
    long audioPeak = title.audioTracks().stream().mapToLong(Track::peakBitsPerSecond).max().orElse(0);
    long audioAverage = title.audioTracks().stream().mapToLong(Track::averageBitsPerSecond).max().orElse(0);
    String audioCodecs = title.audioTracks().stream().map(Track::codecs).distinct()
        .reduce((a, b) -> a + "," + b).orElse("");
    for (Track v : video) {
      m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.peakBitsPerSecond() + audioPeak)
          .append(",AVERAGE-BANDWIDTH=").append(v.averageBitsPerSecond() + audioAverage)
          .append(",CODECS=\"").append(v.codecs()).append(audio.isEmpty() ? "" : "," + audioCodecs).append('"')
          .append(",RESOLUTION=").append(v.width()).append('x').append(v.height())
          .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", title.rate().fps()));
      if (!audio.isEmpty()) {
        m.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
      }
      m.append(title.text().isEmpty() ? "" : ",SUBTITLES=\"" + SUBTITLE_GROUP + "\"");
      m.append('\n').append(v.dir()).append("/playlist.m3u8\n");
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
   * One EXT-X-MEDIA per text rendition. None is the default (a viewer turns subtitles on); each of a
   * known language may be auto-selected by the viewer's language (a forced one is then shown with
   * audio of its language); captions say what they transcribe and describe (CHARACTERISTICS), so a
   * player picks them for a viewer who asked for them, as the HLS authoring specification asks.
   */
  private static void subtitles(StringBuilder m, Presentation title) {
    for (Presentation.TextRendition t : title.text()) {
      m.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").append(SUBTITLE_GROUP)
          .append("\",NAME=\"").append(t.name()).append("\",LANGUAGE=\"").append(t.language())
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
