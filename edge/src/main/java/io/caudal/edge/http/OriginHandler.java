package io.caudal.edge.http;

import io.caudal.edge.collect.Cmcd;
import io.caudal.edge.collect.CmcdCollector;
import io.caudal.edge.entitle.Entitlement;
import io.caudal.edge.origin.ByteRange;
import io.caudal.edge.origin.ContentTypes;
import io.caudal.edge.origin.ManifestRewriter;
import io.caudal.edge.origin.TitleFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The origin: {@code /t/<token>/vod/<title>/<file>} serves a title's files to a player whose playback
 * token grants them, with the master playlist and the MPD rewritten for this server's pathways;
 * {@code /vod/...} without a token is refused.
 */
public final class OriginHandler {

  static final String SIGNED_PREFIX = "/t/";

  private final Entitlement entitlement;
  private final TitleFiles files;
  private final Supplier<Map<String, String>> pathways;
  private final String hlsSteeringUri;
  private final String dashSteeringUri;
  private final CmcdCollector cmcd;
  private final EdgeMetrics metrics;

  /**
   * @param pathways pathway id to base URL, this server first, as the fleet shows them at each request
   * @param publicUrl this server's base URL, where players fetch steering manifests
   * @param region this server's region, whose steering manifests its manifests point at
   * @param cmcd takes the CMCD data riding on media requests
   */
  public OriginHandler(Entitlement entitlement, TitleFiles files, Supplier<Map<String, String>> pathways,
      String publicUrl, String region, CmcdCollector cmcd, EdgeMetrics metrics) {
    this.entitlement = entitlement;
    this.files = files;
    this.pathways = pathways;
    this.hlsSteeringUri = publicUrl + SteeringHandler.Format.HLS.path(region);
    this.dashSteeringUri = publicUrl + SteeringHandler.Format.DASH.path(region);
    this.cmcd = cmcd;
    this.metrics = metrics;
  }

  /** {@code /t/<token>/vod/<title>/<file>} */
  public void serve(Exchange x) throws IOException {
    // Entitlement reads the path as sent, so encoded dots and separators stay visible to it.
    String tokenAndPath = x.path().substring(SIGNED_PREFIX.length());
    Entitlement.Granted granted;
    try {
      granted = entitlement.check(tokenAndPath, System.currentTimeMillis() / 1000);
    } catch (Entitlement.Refused e) {
      x.error(403, e.getMessage());
      return;
    }
    String title = granted.token().titleId();
    cmcd.collectAlongside(x.query().getValue(Cmcd.QUERY_ARGUMENT), x::requestHeader, granted.token().userId(), title);
    String titlePath = granted.titlePath();
    Optional<TitleFiles.Lookup> lookup = files.read(titlePath);
    if (lookup.isEmpty()) {
      x.error(404, "no such file: vod/" + titlePath);
      return;
    }
    metrics.cache(lookup.get().cacheHit());
    TitleFiles.FileBytes file = lookup.get().file();
    String fileName = titlePath.substring(title.length() + 1);
    if (fileName.equals("master.m3u8") || fileName.equals("manifest.mpd")) {
      String token = tokenAndPath.substring(0, tokenAndPath.indexOf('/'));
      sendManifest(x, fileName, file, token, title);
    } else {
      sendFile(x, fileName, file);
    }
  }

  /** {@code /vod/...} */
  public void refuseUnsigned(Exchange x) {
    x.error(403, "unsigned request: playback URLs carry a token, /t/<token>/vod/<title>/...;"
        + " get one with bin/caudal edge --sign USER TITLE");
  }

  /** The master playlist or the MPD, offering every pathway with this token in its URLs. */
  private void sendManifest(Exchange x, String fileName, TitleFiles.FileBytes file, String token, String title) {
    Map<String, String> bases = new LinkedHashMap<>();
    pathways.get().forEach((id, url) -> bases.put(id, url + SIGNED_PREFIX + token + "/vod/" + title + "/"));
    String published = new String(file.bytes(), StandardCharsets.UTF_8);
    String rewritten = fileName.endsWith(".m3u8")
        ? ManifestRewriter.hlsMaster(published, bases, hlsSteeringUri)
        : ManifestRewriter.dashMpd(published, bases, dashSteeringUri);
    x.header("Cache-Control", "no-cache");
    x.send(200, ContentTypes.of(fileName), rewritten.getBytes(StandardCharsets.UTF_8));
  }

  /** Any other file as published: validators, caching, and single byte ranges. */
  private void sendFile(Exchange x, String fileName, TitleFiles.FileBytes file) {
    x.header("ETag", file.etag());
    x.header("Accept-Ranges", "bytes");
    x.header("Access-Control-Expose-Headers", "Content-Length, Content-Range, ETag");
    // Segments never change once published; playlists may be republished, so they revalidate.
    x.header("Cache-Control", ContentTypes.isManifest(fileName) ? "no-cache" : "private, max-age=31536000, immutable");
    String ifNoneMatch = x.requestHeader(HttpHeader.IF_NONE_MATCH);
    if (ifNoneMatch != null && (ifNoneMatch.equals(file.etag()) || ifNoneMatch.equals("*"))) {
      x.sendEmpty(304);
      return;
    }
    byte[] bytes = file.bytes();
    if (fileName.endsWith(".m4s")) {
      metrics.segmentServed();
    }
    Optional<ByteRange> range;
    try {
      range = ByteRange.parse(x.requestHeader(HttpHeader.RANGE), bytes.length);
    } catch (ByteRange.Unsatisfiable e) {
      x.header("Content-Range", "bytes */" + bytes.length);
      x.error(416, "range not satisfiable for a file of " + bytes.length + " bytes");
      return;
    }
    String type = ContentTypes.of(fileName);
    if (range.isPresent()) {
      ByteRange r = range.get();
      x.header("Content-Range", r.contentRange(bytes.length));
      x.send(206, type, ByteBuffer.wrap(bytes, (int) r.first(), (int) r.length()), r.length());
    } else {
      x.send(200, type, ByteBuffer.wrap(bytes), bytes.length);
    }
  }
}
