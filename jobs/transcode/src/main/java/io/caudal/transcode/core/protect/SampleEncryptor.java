package io.caudal.transcode.core.protect;

import io.caudal.schemas.ProtectionScheme;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts samples in place per ISO/IEC 23001-7 and says what their senc entries must record.
 *
 * <ul>
 *   <li>{@code cbcs}: AES-128-CBC with a constant IV (tenc default_constant_IV), restarted at every
 *       subsample. Video: each slice's protected range follows its slice header and is encrypted
 *       in the 1:9 pattern (one 16-byte block encrypted, nine clear); a trailing partial block stays
 *       clear. Audio: whole-sample, every whole block encrypted, no pattern; a trailing partial
 *       block stays clear.
 *   <li>{@code cenc}: AES-128-CTR, an 8-byte IV per sample (the counter's high half; the low half
 *       counts blocks from 0), the key stream running on across a sample's protected ranges.
 *       Video: each slice's protected range is the largest multiple of 16 bytes that ends the NAL
 *       unit after its slice header. Audio: whole-sample. The next sample's IV is this one's plus one.
 * </ul>
 * Non-VCL NAL units (SPS, PPS, SEI, AUD …) and slices with under 16 bytes after the header stay
 * wholly clear. One instance per track and fragment; not thread-safe.
 */
public final class SampleEncryptor {
  static final int BLOCK = 16;
  /** cbcs video pattern: crypt 1 block, skip 9. */
  public static final int CRYPT_BLOCKS = 1;
  public static final int SKIP_BLOCKS = 9;

  private final ProtectionScheme scheme;
  private final AvcSliceHeaders video;
  private final byte[] constantIv;
  private final byte[] nextIv;
  private final Cipher cipher;
  private final SecretKeySpec key;

  private SampleEncryptor(ProtectionScheme scheme, byte[] key, AvcSliceHeaders video, byte[] constantIv,
      byte[] firstIv) {
    this.scheme = scheme;
    this.video = video;
    this.constantIv = constantIv;
    this.nextIv = firstIv;
    this.key = new SecretKeySpec(key, "AES");
    try {
      if (scheme == ProtectionScheme.CBCS) {
        // CBC chaining is done here: the pattern skips blocks that are not part of the chain.
        cipher = Cipher.getInstance("AES/ECB/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, this.key);
      } else {
        cipher = Cipher.getInstance("AES/CTR/NoPadding");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks AES", e);
    }
  }

  /** cbcs with the track's 16-byte constant IV; {@code video} null for audio. */
  public static SampleEncryptor cbcs(byte[] key, byte[] constantIv, AvcSliceHeaders video) {
    if (constantIv.length != BLOCK) {
      throw new IllegalArgumentException("cbcs takes a 16-byte constant IV");
    }
    return new SampleEncryptor(ProtectionScheme.CBCS, key, video, constantIv.clone(), null);
  }

  /** cenc starting at the 8-byte IV {@code firstIv}; {@code video} null for audio. */
  public static SampleEncryptor cenc(byte[] key, byte[] firstIv, AvcSliceHeaders video) {
    if (firstIv.length != 8) {
      throw new IllegalArgumentException("cenc takes 8-byte IVs");
    }
    return new SampleEncryptor(ProtectionScheme.CENC, key, video, null, firstIv.clone());
  }

  public boolean usesSubsamples() {
    return video != null;
  }

  /** IV bytes per senc entry: 0 for cbcs (constant IV), 8 for cenc. */
  public int perSampleIvSize() {
    return scheme == ProtectionScheme.CBCS ? 0 : 8;
  }

  /** The subsamples a video sample is split into, without encrypting it. */
  public List<Subsample> subsamples(byte[] data, int offset, int length) {
    List<Subsample> out = new ArrayList<>();
    long clear = 0;
    for (NalUnits.Nal nal : NalUnits.split(data, offset, length, video.nalLengthSize())) {
      int prefix = video.nalLengthSize();
      long whole = prefix + nal.size();
      if (!NalUnits.isSlice(nal.type())) {
        clear += whole;
        continue;
      }
      int header = prefix + video.headerBytes(data, offset + nal.offset() + prefix, nal.size());
      long rest = whole - header;
      long protectedBytes = scheme == ProtectionScheme.CENC ? rest - rest % BLOCK : rest;
      if (protectedBytes < BLOCK) {
        clear += whole;
        continue;
      }
      clear += whole - protectedBytes;
      while (clear > Subsample.MAX_CLEAR) { // a clear run too long for one entry
        out.add(new Subsample(Subsample.MAX_CLEAR, 0));
        clear -= Subsample.MAX_CLEAR;
      }
      out.add(new Subsample((int) clear, protectedBytes));
      clear = 0;
    }
    while (clear > 0) {
      int take = (int) Math.min(clear, Subsample.MAX_CLEAR);
      out.add(new Subsample(take, 0));
      clear -= take;
    }
    return out;
  }

  /** Encrypts {@code data[offset, offset+length)} in place. */
  public EncryptedSample encrypt(byte[] data, int offset, int length) {
    List<Subsample> subsamples = video == null ? List.of() : subsamples(data, offset, length);
    byte[] iv = scheme == ProtectionScheme.CENC ? nextIv.clone() : new byte[0];
    try {
      if (scheme == ProtectionScheme.CENC) {
        byte[] counter = new byte[BLOCK];
        System.arraycopy(iv, 0, counter, 0, 8);
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counter));
        if (video == null) {
          cipher.update(data, offset, length, data, offset);
        } else {
          int p = offset;
          for (Subsample s : subsamples) {
            p += s.clearBytes();
            if (s.protectedBytes() > 0) {
              cipher.update(data, p, (int) s.protectedBytes(), data, p);
            }
            p += (int) s.protectedBytes();
          }
        }
        increment(nextIv);
      } else if (video == null) {
        cbc(data, offset, length / BLOCK, 0);
      } else {
        int p = offset;
        for (Subsample s : subsamples) {
          p += s.clearBytes();
          cbc(data, p, (int) (s.protectedBytes() / BLOCK), SKIP_BLOCKS);
          p += (int) s.protectedBytes();
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES failed", e);
    }
    return new EncryptedSample(iv, subsamples);
  }

  /**
   * CBC over {@code blocks} blocks from {@code p}, starting from the constant IV; after each
   * encrypted block {@code skip} blocks are left clear (0: every block encrypted).
   */
  private void cbc(byte[] data, int p, int blocks, int skip) throws GeneralSecurityException {
    byte[] chain = constantIv.clone();
    for (int b = 0; b < blocks; b += 1 + skip) {
      int at = p + b * BLOCK;
      for (int i = 0; i < BLOCK; i++) {
        data[at + i] ^= chain[i];
      }
      cipher.update(data, at, BLOCK, data, at);
      System.arraycopy(data, at, chain, 0, BLOCK);
    }
  }

  /** Adds one to a big-endian counter. */
  static void increment(byte[] counter) {
    for (int i = counter.length - 1; i >= 0; i--) {
      if (++counter[i] != 0) {
        return;
      }
    }
  }
}
