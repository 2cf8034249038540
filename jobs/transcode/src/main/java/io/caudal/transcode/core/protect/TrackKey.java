package io.caudal.transcode.core.protect;

import io.caudal.schemas.ProtectionScheme;
import io.caudal.schemas.TrackClass;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * How one track is encrypted: scheme, key id, content key and (cbcs) the track's constant IV.
 * Its {@code toString} names the key id only: a key must never reach a log.
 */
public final class TrackKey implements Serializable {
  private final ProtectionScheme scheme;
  private final TrackClass trackClass;
  private final byte[] kid;
  private final byte[] key;
  private final byte[] constantIv;

  public TrackKey(ProtectionScheme scheme, TrackClass trackClass, byte[] kid, byte[] key, byte[] constantIv) {
    if (kid.length != 16 || key.length != 16) {
      throw new IllegalArgumentException("key ids and keys are 16 bytes");
    }
    if ((scheme == ProtectionScheme.CBCS) != (constantIv != null)) {
      throw new IllegalArgumentException("cbcs, and only cbcs, takes a constant IV");
    }
    this.scheme = scheme;
    this.trackClass = trackClass;
    this.kid = kid.clone();
    this.key = key.clone();
    this.constantIv = constantIv == null ? null : constantIv.clone();
  }

  public ProtectionScheme scheme() {
    return scheme;
  }

  public TrackClass trackClass() {
    return trackClass;
  }

  public byte[] kid() {
    return kid.clone();
  }

  /** The content key; for encrypting and for verifying, never for printing. */
  public byte[] key() {
    return key.clone();
  }

  /** The cbcs constant IV; null for cenc. */
  public byte[] constantIv() {
    return constantIv == null ? null : constantIv.clone();
  }

  /** The key id as 32 lowercase hex digits. */
  public String kidHex() {
    return HexFormat.of().formatHex(kid);
  }

  /**
   * An encryptor for one fragment of this track; cenc starts at a random IV, so no two fragments
   * under one key (rungs of a class share it) are likely to reuse a counter.
   *
   * @param video the track's slice header reader, or null for audio
   */
  public SampleEncryptor encryptor(AvcSliceHeaders video, SecureRandom random) {
    if (scheme == ProtectionScheme.CBCS) {
      return SampleEncryptor.cbcs(key, constantIv, video);
    }
    byte[] iv = new byte[8];
    random.nextBytes(iv);
    return SampleEncryptor.cenc(key, iv, video);
  }

  @Override
  public String toString() {
    return scheme + " " + trackClass + " kid " + kidHex();
  }
}
