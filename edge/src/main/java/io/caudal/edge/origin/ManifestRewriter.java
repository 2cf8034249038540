package io.caudal.edge.origin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the master playlist and the MPD transcode published so a player can move between
 * pathways (edge servers): edge adds the content-steering tag, pointing at its own steering
 * endpoint, and offers every variant (HLS) or base URL (DASH) once per pathway. Content steering is
 * edge's alone: transcode publishes manifests without it.
 *
 * <p>HLS (RFC 8216bis §4.4.6.6): each EXT-X-STREAM-INF is repeated per pathway with PATHWAY-ID and
 * absolute URIs on that pathway's host; every rendition group (audio in each channel layout,
 * subtitles, closed captions) is suffixed per pathway and repeated with its URI on that pathway, so
 * a player that switches pathway switches its audio and subtitles too. The I-frame playlists
 * (EXT-X-I-FRAME-STREAM-INF) and the thumbnails' image playlist (EXT-X-IMAGE-STREAM-INF) are repeated
 * the same way, each with its pathway's PATHWAY-ID. DASH (DASH-IF content steering): one
 * {@code <BaseURL serviceLocation="id">} per pathway at the MPD's level; the segment templates, and
 * the BaseURLs inside adaptation sets and representations (a subtitle track's {@code full.vtt}),
 * stay relative to it, so they carry the pathway's host and token.
 *
 * <p>Protected titles: a relative licence URL in the MPD ({@code <dashif:Laurl>}, published relative
 * to the MPD) becomes absolute on this server, so it carries the token of the manifest's URL wherever
 * a player resolves it (against the page, or a pathway's {@code BaseURL}). HLS playlists need no
 * rewrite: hls.js takes the licence URL from its configuration ({@code drmSystems}), which the player
 * page sets, and the key URIs are left as published.
 */
public final class ManifestRewriter {

  private static final Pattern GROUP_ID = Pattern.compile("GROUP-ID=\"([^\"]*)\"");
  /** A variant's reference to a rendition group; CLOSED-CAPTIONS=NONE is unquoted and stays as it is. */
  private static final Pattern GROUP_REFERENCE = Pattern.compile(
      "(?<![A-Z-])(AUDIO|VIDEO|SUBTITLES|CLOSED-CAPTIONS)=\"([^\"]*)\"");
  /** The URI attribute, not SERVER-URI or RELOAD-URI. */
  private static final Pattern URI = Pattern.compile("(?<![A-Z-])URI=\"([^\"]*)\"");
  /** Tags of playlists named by a URI attribute that a player fetches per pathway. */
  private static final List<String> URI_STREAM_TAGS = List.of("#EXT-X-I-FRAME-STREAM-INF:", "#EXT-X-IMAGE-STREAM-INF:");
  private static final Pattern CONTENT_STEERING = Pattern.compile("\\s*<ContentSteering[^>]*>.*?</ContentSteering>",
      Pattern.DOTALL);
  private static final Pattern BASE_URL = Pattern.compile("\\s*<BaseURL[^>]*>.*?</BaseURL>", Pattern.DOTALL);
  private static final Pattern PERIOD_OPEN = Pattern.compile("<Period\\b");
  private static final Pattern MPD_OPEN = Pattern.compile("<MPD\\b[^>]*>");
  /** DASH-IF's licence URL of a ContentProtection, {@code <dashif:Laurl>} (also spelt {@code laurl}). */
  private static final Pattern LICENCE_URL = Pattern.compile(
      "(<((?:[A-Za-z_][\\w.-]*:)?[Ll]aurl)\\b[^>]*>)\\s*([^<]*?)\\s*(</\\2\\s*>)");

  private ManifestRewriter() {}

  /**
   * @param master the master playlist as published
   * @param pathways pathway id to the base URL of the title on that pathway (ending in {@code /}), first is the
   *     pathway the player starts on
   * @param steeringUri this edge's HLS steering URI
   */
  public static String hlsMaster(String master, Map<String, String> pathways, String steeringUri) {
    String first = pathways.keySet().iterator().next();
    List<String> header = new ArrayList<>();
    List<String> media = new ArrayList<>();
    List<String[]> variants = new ArrayList<>();
    List<String> uriStreams = new ArrayList<>();
    String[] lines = master.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      // Titles published by older versions carry their own steering tag: edge's replaces it.
      if (line.isBlank() || line.startsWith("#EXT-X-CONTENT-STEERING")) {
        continue;
      }
      if (line.startsWith("#EXT-X-MEDIA:")) {
        media.add(line);
      } else if (URI_STREAM_TAGS.stream().anyMatch(line::startsWith)) {
        uriStreams.add(line);
      } else if (line.startsWith("#EXT-X-STREAM-INF:")) {
        String uri = i + 1 < lines.length ? lines[++i].trim() : "";
        variants.add(new String[] {line, uri});
      } else {
        header.add(line);
      }
    }
    StringBuilder out = new StringBuilder();
    header.forEach(line -> out.append(line).append('\n'));
    out.append("#EXT-X-CONTENT-STEERING:SERVER-URI=\"").append(steeringUri)
        .append("\",PATHWAY-ID=\"").append(first).append("\"\n");
    for (Map.Entry<String, String> pathway : pathways.entrySet()) {
      for (String line : media) {
        String renamed = GROUP_ID.matcher(line).replaceFirst(
            m -> Matcher.quoteReplacement("GROUP-ID=\"" + m.group(1) + "-" + pathway.getKey() + "\""));
        out.append(onPathway(renamed, pathway.getValue())).append('\n');
      }
    }
    for (Map.Entry<String, String> pathway : pathways.entrySet()) {
      for (String[] variant : variants) {
        String inf = GROUP_REFERENCE.matcher(variant[0]).replaceAll(m -> Matcher.quoteReplacement(
            m.group(1) + "=\"" + m.group(2) + "-" + pathway.getKey() + "\""));
        out.append(inf).append(",PATHWAY-ID=\"").append(pathway.getKey()).append("\"\n")
            .append(resolve(pathway.getValue(), variant[1])).append('\n');
      }
    }
    for (Map.Entry<String, String> pathway : pathways.entrySet()) {
      for (String line : uriStreams) {
        out.append(onPathway(line, pathway.getValue())).append(",PATHWAY-ID=\"").append(pathway.getKey())
            .append("\"\n");
      }
    }
    return out.toString();
  }

  /** A tag's URI attribute on a pathway: relative ones resolved against its base, absolute ones kept. */
  private static String onPathway(String tag, String base) {
    return URI.matcher(tag).replaceFirst(
        m -> Matcher.quoteReplacement("URI=\"" + resolve(base, m.group(1)) + "\""));
  }

  private static String resolve(String base, String uri) {
    try {
      return java.net.URI.create(base).resolve(uri).toString();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URI in the master playlist: " + uri, e);
    }
  }

  /**
   * @param mpd the MPD as published
   * @param pathways pathway id to the base URL of the title on that pathway (ending in {@code /})
   * @param steeringUri this edge's DASH steering URI
   */
  public static String dashMpd(String mpd, Map<String, String> pathways, String steeringUri) {
    String first = pathways.keySet().iterator().next();
    // MPDs published by older versions carry their own <ContentSteering>: edge's replaces it.
    String stripped = withoutMpdBaseUrls(CONTENT_STEERING.matcher(mpd).replaceAll(""));
    Matcher open = MPD_OPEN.matcher(stripped);
    if (!open.find()) {
      throw new IllegalArgumentException("not an MPD: no <MPD> element");
    }
    StringBuilder insert = new StringBuilder("\n  <ContentSteering defaultServiceLocation=\"")
        .append(xml(first)).append("\" queryBeforeStart=\"true\">").append(xml(steeringUri))
        .append("</ContentSteering>");
    pathways.forEach((id, base) -> insert.append("\n  <BaseURL serviceLocation=\"").append(xml(id)).append("\">")
        .append(xml(base)).append("</BaseURL>"));
    String licensed = absoluteLicenceUrls(stripped, pathways.values().iterator().next());
    open = MPD_OPEN.matcher(licensed);
    open.find();
    return licensed.substring(0, open.end()) + insert + licensed.substring(open.end());
  }

  /**
   * The MPD without the BaseURLs of the MPD element itself, which the pathways' replace; those in a
   * period, adaptation set or representation (a text track's {@code full.vtt}) are kept, relative to them.
   */
  private static String withoutMpdBaseUrls(String mpd) {
    Matcher period = PERIOD_OPEN.matcher(mpd);
    int end = period.find() ? period.start() : mpd.length();
    return BASE_URL.matcher(mpd.substring(0, end)).replaceAll("") + mpd.substring(end);
  }

  /** Relative licence URLs resolved against {@code mpdBase}, the MPD's folder on this server; absolute ones kept. */
  static String absoluteLicenceUrls(String mpd, String mpdBase) {
    // Fully named: URI here is the pattern of HLS's URI attribute.
    java.net.URI base = java.net.URI.create(mpdBase);
    return LICENCE_URL.matcher(mpd).replaceAll(m -> {
      String url = unxml(m.group(3));
      java.net.URI resolved;
      try {
        resolved = base.resolve(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a licence URL in the MPD: " + url, e);
      }
      return Matcher.quoteReplacement(m.group(1) + xml(resolved.toString()) + m.group(4));
    });
  }

  private static String unxml(String text) {
    return text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
