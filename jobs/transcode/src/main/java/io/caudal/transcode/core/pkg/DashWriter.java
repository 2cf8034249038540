package io.caudal.transcode.core.pkg;

import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.trick.ThumbnailTrack;
import io.caudal.schemas.TrackClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Writes a static MPEG-DASH MPD (ISO/IEC 23009-1, CMAF/live-profile style) over the same segment
 * files as HLS: SegmentTemplate with a SegmentTimeline of the measured segment durations.
 */
public final class DashWriter {
  private DashWriter() {}

  /**
   * The MPD. It names no content-steering server: the edge that serves the title inserts its own.
   * A protected title's adaptation sets each carry the mp4protection and ClearKey
   * ContentProtection of their key id; as an adaptation set has one default_KID, SD and HD rungs
   * (two keys) go into two video sets marked switchable.
   */
  public static String mpd(Presentation title) {
    ManifestProtection protection = title.protection();
    List<Track> video = title.video();
    List<Track> audioTracks = title.audioTracks();
    double duration = title.tracks().stream().mapToDouble(Track::durationSeconds).max().orElse(0);
    long maxSegment = (long) Math.ceil((video.isEmpty() ? audioTracks : video).stream()
        .mapToDouble(Track::longestSegmentSeconds).max().orElse(1));
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\"")
        .append(" profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\"")
        .append(" minBufferTime=\"PT").append(maxSegment).append("S\"")
        .append(" maxSegmentDuration=\"PT").append(maxSegment).append("S\"")
        .append(" mediaPresentationDuration=\"").append(isoDuration(duration)).append('"');
    if (protection.isProtected()) {
      x.append(" xmlns:cenc=\"urn:mpeg:cenc:2013\" xmlns:dashif=\"https://dashif.org/CPS\"");
    }
    x.append(">\n");
    x.append("  <Period id=\"0\" start=\"PT0S\">\n");
    List<List<Track>> videoSets = new ArrayList<>();
    if (protection.isProtected()) {
      Map<TrackClass, List<Track>> byClass = new LinkedHashMap<>();
      video.forEach(v -> byClass.computeIfAbsent(protection.kidOf(v.id()).trackClass(), c -> new ArrayList<>()).add(v));
      videoSets.addAll(byClass.values());
    } else if (!video.isEmpty()) {
      videoSets.addAll(byCodec(video));
    }
    // Video sets are 0, 2, 3 …: the first audio set keeps id 1 as in a clear title, later ones follow the video.
    List<String> videoIds = new ArrayList<>();
    for (int i = 0; i < videoSets.size(); i++) {
      videoIds.add(i == 0 ? "0" : Integer.toString(i + 1));
    }
    for (int i = 0; i < videoSets.size(); i++) {
      List<Track> set = videoSets.get(i);
      int maxW = set.stream().mapToInt(Track::width).max().orElse(0);
      int maxH = set.stream().mapToInt(Track::height).max().orElse(0);
      x.append("    <AdaptationSet id=\"").append(videoIds.get(i)).append("\" contentType=\"video\" mimeType=\"video/mp4\"")
          .append(" segmentAlignment=\"true\" startWithSAP=\"1\"")
          .append(" maxWidth=\"").append(maxW).append("\" maxHeight=\"").append(maxH).append('"')
          .append(" frameRate=\"").append(title.rate()).append("\">\n");
      contentProtection(x, protection, set.get(0));
      if (protection.isProtected() && videoSets.size() > 1) {
        List<String> others = new ArrayList<>(videoIds);
        others.remove(i);
        x.append("      <SupplementalProperty schemeIdUri=\"urn:mpeg:dash:adaptation-set-switching:2016\" value=\"")
            .append(String.join(",", others)).append("\"/>\n");
      }
      for (Track v : set) {
        x.append("      <Representation id=\"").append(v.id()).append("\" codecs=\"").append(v.codecs())
            .append("\" bandwidth=\"").append(v.peakBitsPerSecond())
            .append("\" width=\"").append(v.width()).append("\" height=\"").append(v.height())
            .append("\" sar=\"1:1\">\n");
        template(x, v, "        ");
        x.append("      </Representation>\n");
      }
      x.append("    </AdaptationSet>\n");
    }
    int nextId = Math.max(2, videoSets.size() + 1);
    for (int i = 0; i < title.audio().size(); i++) {
      Presentation.AudioRendition rendition = title.audio().get(i);
      Track audio = rendition.track();
      String id = i == 0 ? "1" : Integer.toString(nextId++);
      x.append("    <AdaptationSet id=\"").append(id).append("\" contentType=\"audio\" mimeType=\"audio/mp4\"")
          .append(" lang=\"").append(rendition.language()).append('"')
          .append(" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
      contentProtection(x, protection, audio);
      // Label belongs to the common part of the set, so it comes before Role (DASH-MPD.xsd's order).
      x.append("      <Label>").append(xml(rendition.name())).append("</Label>\n");
      x.append("      <Role schemeIdUri=\"urn:mpeg:dash:role:2011\" value=\"")
          .append(rendition.isDefault() ? "main" : "alternate").append("\"/>\n");
      x.append("      <Representation id=\"").append(audio.id()).append("\" codecs=\"").append(audio.codecs())
          .append("\" bandwidth=\"").append(audio.peakBitsPerSecond())
          .append("\" audioSamplingRate=\"").append(audio.timescale()).append("\">\n")
          .append("        <AudioChannelConfiguration schemeIdUri=")
          .append("\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
          .append(audio.channels()).append("\"/>\n");
      template(x, audio, "        ");
      x.append("      </Representation>\n    </AdaptationSet>\n");
    }
    text(x, title, nextId);
    thumbnails(x, title);
    return x.append("  </Period>\n</MPD>\n").toString();
  }

  /**
   * One text set per rendition, after the audio sets, each one whole WebVTT file by BaseURL (a
   * sidecar file needs no segment template). Label comes before Role, and BaseURL is the only
   * child of the Representation, in DASH-MPD.xsd's order.
   */
  private static void text(StringBuilder x, Presentation title, int firstId) {
    int id = firstId;
    for (Presentation.TextRendition t : title.text()) {
      x.append("    <AdaptationSet id=\"").append(id++).append("\" contentType=\"text\" mimeType=\"text/vtt\"")
          .append(" lang=\"").append(t.language()).append("\">\n")
          .append("      <Label>").append(xml(t.name())).append("</Label>\n")
          .append("      <Role schemeIdUri=\"urn:mpeg:dash:role:2011\" value=\"").append(t.kind().dashRole())
          .append("\"/>\n")
          .append("      <Representation id=\"").append(t.trackId()).append("\" bandwidth=\"")
          .append(Math.max(1, t.bitsPerSecond())).append("\">\n")
          .append("        <BaseURL>").append(xml(t.dir())).append("/full.vtt</BaseURL>\n")
          .append("      </Representation>\n    </AdaptationSet>\n");
    }
  }

  /** The DASH-IF thumbnail tiles scheme (IOP 4.3 section 6.2.6), which dash.js's thumbnail API reads. */
  public static final String THUMBNAIL_TILE_SCHEME = "http://dashif.org/thumbnail_tile";

  /**
   * The thumbnails' image AdaptationSet (DASH-IF IOP thumbnails): one Representation of the whole
   * sprite's size, one sprite per SegmentTemplate duration. The tile property is stated on the set
   * and again on the Representation, where dash.js (ThumbnailTracks) looks for it.
   */
  private static void thumbnails(StringBuilder x, Presentation title) {
    ThumbnailTrack thumbs = title.thumbnails();
    if (thumbs.isEmpty() || title.video().isEmpty()) {
      return;
    }
    String tiles = "<EssentialProperty schemeIdUri=\"" + THUMBNAIL_TILE_SCHEME + "\" value=\""
        + thumbs.columns() + "x" + thumbs.rows() + "\"/>\n";
    x.append("    <AdaptationSet id=\"").append(nextSetId(x)).append("\" contentType=\"image\" mimeType=\"image/jpeg\">\n")
        .append("      ").append(tiles)
        .append("      <SegmentTemplate media=\"").append(ThumbnailTrack.DIR).append("/tile-$Number%05d$.jpg\"")
        .append(" duration=\"").append(thumbs.spriteMs()).append("\" timescale=\"1000\" startNumber=\"1\"/>\n")
        .append("      <Representation id=\"thumbnails\" bandwidth=\"").append(thumbs.peakBitsPerSecond())
        .append("\" width=\"").append(thumbs.spriteWidth()).append("\" height=\"").append(thumbs.spriteHeight())
        .append("\">\n        ").append(tiles).append("      </Representation>\n    </AdaptationSet>\n");
  }

  /** One more than the highest AdaptationSet id written so far, so a set added last never repeats one. */
  private static int nextSetId(CharSequence written) {
    java.util.regex.Matcher ids = java.util.regex.Pattern.compile("<AdaptationSet id=\"(\\d+)\"").matcher(written);
    int max = -1;
    while (ids.find()) {
      max = Math.max(max, Integer.parseInt(ids.group(1)));
    }
    return max + 1;
  }

  /**
   * The rungs grouped by codec (the sample entry's four letters), in the order they come: one
   * adaptation set per codec, as a player switches between rungs within a set and picks the set
   * whose codec it decodes.
   */
  private static List<List<Track>> byCodec(List<Track> video) {
    Map<String, List<Track>> sets = new LinkedHashMap<>();
    video.forEach(v -> sets.computeIfAbsent(v.codecs() == null ? "" : v.codecs().split("\\.")[0],
        c -> new ArrayList<>()).add(v));
    return new ArrayList<>(sets.values());
  }

  /** Text as XML character data or attribute value. */
  static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** The set's ContentProtection: the common scheme with its default_KID, then ClearKey with its licence URL. */
  private static void contentProtection(StringBuilder x, ManifestProtection protection, Track first) {
    if (!protection.isProtected()) {
      return;
    }
    String kid = protection.kidOf(first.id()).uuid();
    x.append("      <ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"")
        .append(protection.schemeName()).append("\" cenc:default_KID=\"").append(kid).append("\"/>\n")
        .append("      <ContentProtection schemeIdUri=\"urn:uuid:").append(ManifestProtection.CLEARKEY_SYSTEM_ID)
        .append("\" value=\"ClearKey1.0\" cenc:default_KID=\"").append(kid).append("\">\n")
        .append("        <dashif:Laurl>").append(ManifestProtection.LICENCE_URL).append("</dashif:Laurl>\n")
        .append("      </ContentProtection>\n");
  }

  private static void template(StringBuilder x, Track t, String indent) {
    x.append(indent).append("<SegmentTemplate timescale=\"").append(t.timescale())
        .append("\" initialization=\"").append(t.dir()).append("/init.mp4\"")
        .append(" media=\"").append(t.dir()).append("/seg-$Number%05d$.m4s\" startNumber=\"1\">\n")
        .append(indent).append("  <SegmentTimeline>\n");
    List<Segment> segments = t.segments();
    for (int i = 0; i < segments.size(); ) {
      Segment s = segments.get(i);
      int repeat = 0;
      while (i + repeat + 1 < segments.size() && segments.get(i + repeat + 1).duration() == s.duration()) {
        repeat++;
      }
      x.append(indent).append("    <S t=\"").append(s.start()).append("\" d=\"").append(s.duration()).append('"');
      if (repeat > 0) {
        x.append(" r=\"").append(repeat).append('"');
      }
      x.append("/>\n");
      i += repeat + 1;
    }
    x.append(indent).append("  </SegmentTimeline>\n").append(indent).append("</SegmentTemplate>\n");
  }

  static String isoDuration(double seconds) {
    return String.format(Locale.ROOT, "PT%.3fS", seconds);
  }
}
