package io.caudal.transcode.core.protect;

import java.util.List;

/**
 * What a sample's senc entry records: its per-sample IV (empty for a constant IV) and its
 * subsamples (empty for whole-sample encryption).
 */
public record EncryptedSample(byte[] iv, List<Subsample> subsamples) {
  /** Bytes of this entry in senc (and so its saiz size). */
  public int auxInfoSize(boolean withSubsamples) {
    return iv.length + (withSubsamples ? 2 + 6 * subsamples.size() : 0);
  }
}
