package io.caudal.transcode.core.pkg;

import io.caudal.transcode.core.plan.FrameRate;
import java.util.List;
import java.util.Locale;

/**
 * Writes HLS playlists (RFC 8216, version 7 for fMP4) from what was measured, not what was
 * asked: BANDWIDTH is the peak segment bitrate and AVERAGE-BANDWIDTH the mean, each including
 * the audio that plays with it.
 */
public final class HlsWriter {
  public static final String AUDIO_GROUP = "aac";

  private HlsWriter() {}

  /**
   * The master playlist. It names no content-steering server: the edge that serves the title
   * inserts its own.
   *
   * @param audio the audio track, or null for a title without sound
   */
  public static String master(List<Track> video, Track audio, FrameRate rate) {
    return master(video, audio, rate, ManifestProtection.CLEAR);
  }

  /**
   * The master playlist; a protected title's lists one EXT-X-SESSION-KEY per key id, so a player
   * can ask for its licence before it loads a media playlist.
   */
  public static String master(List<Track> video, Track audio, FrameRate rate, ManifestProtection protection) {
    StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    if (protection.isProtected()) {
      List<Track> tracks = new java.util.ArrayList<>(video);
      if (audio != null) {
        tracks.add(audio);
      }
      tracks.stream().map(t -> protection.kidOf(t.id())).distinct().forEach(kid ->
          m.append("#EXT-X-SESSION-KEY:").append(protection.hlsKeyAttributes(kid)).append('\n'));
    }
    if (audio != null && !video.isEmpty()) {
      m.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(AUDIO_GROUP)
          .append("\",NAME=\"Main\",LANGUAGE=\"und\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"")
          .append(audio.channels()).append("\",URI=\"").append(audio.dir()).append("/playlist.m3u8\"\n");
    }
    for (Track v : video) {
      long peak = v.peakBitsPerSecond() + (audio == null ? 0 : audio.peakBitsPerSecond());
      long average = v.averageBitsPerSecond() + (audio == null ? 0 : audio.averageBitsPerSecond());
      m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(peak)
          .append(",AVERAGE-BANDWIDTH=").append(average)
          .append(",CODECS=\"").append(v.codecs()).append(audio == null ? "" : "," + audio.codecs()).append('"')
          .append(",RESOLUTION=").append(v.width()).append('x').append(v.height())
          .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", rate.fps()));
      if (audio != null) {
        m.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
      }
      m.append('\n').append(v.dir()).append("/playlist.m3u8\n");
    }
    if (video.isEmpty() && audio != null) {
      m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(audio.peakBitsPerSecond())
          .append(",AVERAGE-BANDWIDTH=").append(audio.averageBitsPerSecond())
          .append(",CODECS=\"").append(audio.codecs()).append("\"\n")
          .append(audio.dir()).append("/playlist.m3u8\n");
    }
    return m.toString();
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
