package io.caudal.transcode.core.protect;

import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.TrackClass;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;

/**
 * A protected title's content keys: one random key and key id per track class (audio, SD video,
 * HD video), so a licence for a weaker device's SD never unlocks HD. Prints key ids only.
 */
public final class TitleProtection implements Serializable {
  /** Video of up to this many lines is SD. */
  public static final int SD_MAX_LINES = 576;

  private final ProtectionScheme scheme;
  private final Map<TrackClass, byte[][]> keys;

  private TitleProtection(ProtectionScheme scheme, Map<TrackClass, byte[][]> keys) {
    this.scheme = scheme;
    this.keys = keys;
  }

  /** Fresh keys and key ids for every class, from {@code random} (a SecureRandom). */
  public static TitleProtection generate(ProtectionScheme scheme, SecureRandom random) {
    Map<TrackClass, byte[][]> keys = new EnumMap<>(TrackClass.class);
    for (TrackClass c : TrackClass.values()) {
      byte[] kid = new byte[16];
      byte[] key = new byte[16];
      random.nextBytes(kid);
      random.nextBytes(key);
      keys.put(c, new byte[][] {kid, key});
    }
    return new TitleProtection(scheme, keys);
  }

  public ProtectionScheme scheme() {
    return scheme;
  }

  /** The class of a track: audio, or video by its lines. */
  public static TrackClass classOf(boolean video, int height) {
    return !video ? TrackClass.AUDIO : height <= SD_MAX_LINES ? TrackClass.SD : TrackClass.HD;
  }

  public byte[] kid(TrackClass c) {
    return keys.get(c)[0].clone();
  }

  public byte[] key(TrackClass c) {
    return keys.get(c)[1].clone();
  }

  /** The key of one track; cbcs tracks get their own random constant IV. */
  public TrackKey forTrack(TrackClass c, SecureRandom random) {
    byte[] iv = null;
    if (scheme == ProtectionScheme.CBCS) {
      iv = new byte[16];
      random.nextBytes(iv);
    }
    return new TrackKey(scheme, c, kid(c), key(c), iv);
  }

  @Override
  public String toString() {
    return scheme + " title keys";
  }
}
