package io.caudal.transcode.core.pkg;

import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.TrackClass;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * What the manifests say of a title's protection: its scheme and each track's key id (never a
 * key). {@link #CLEAR} for a clear title.
 *
 * @param scheme null when clear
 * @param kids key id and class by track id
 */
public record ManifestProtection(ProtectionScheme scheme, Map<String, Kid> kids) {
  public static final ManifestProtection CLEAR = new ManifestProtection(null, Map.of());

  /** ClearKey's DRM system id (W3C EME, DASH-IF IOP). */
  public static final String CLEARKEY_SYSTEM_ID = "e2719d58-a985-b3c9-781a-b030af78d30e";
  /**
   * The licence URL, relative to the manifest at {@code /t/<token>/vod/<title>/manifest.mpd}: edge's
   * {@code /t/<token>/licence/clearkey}. Edge makes it absolute when it serves the manifest.
   */
  public static final String LICENCE_URL = "../../licence/clearkey";

  /** A key id (32 hex digits) and the class of the tracks it locks. */
  public record Kid(String hex, TrackClass trackClass) {
    /** As DASH's cenc:default_KID writes it: 8-4-4-4-12. */
    public String uuid() {
      return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
          + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    /** The HLS key URI hls.js reads a ClearKey key id from: a data URI of the 16 bytes, base64. */
    public String dataUri() {
      return "data:text/plain;base64," + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }
  }

  public boolean isProtected() {
    return scheme != null;
  }

  /** The key id of a track; fails for a track the title has no key for. */
  public Kid kidOf(String trackId) {
    Kid kid = kids.get(trackId);
    if (kid == null) {
      throw new IllegalArgumentException("no key id for track " + trackId);
    }
    return kid;
  }

  /** The scheme as the manifests write it: cbcs or cenc. */
  public String schemeName() {
    return scheme == ProtectionScheme.CBCS ? "cbcs" : "cenc";
  }

  /** The HLS key attributes of a key id: METHOD, URI, KEYFORMAT, KEYFORMATVERSIONS. */
  String hlsKeyAttributes(Kid kid) {
    return "METHOD=" + (scheme == ProtectionScheme.CBCS ? "SAMPLE-AES" : "SAMPLE-AES-CTR") + ",URI=\"" + kid.dataUri()
        + "\",KEYFORMAT=\"org.w3.clearkey\",KEYFORMATVERSIONS=\"1\"";
  }
}
