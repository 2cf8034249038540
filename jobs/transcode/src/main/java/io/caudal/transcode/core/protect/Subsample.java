package io.caudal.transcode.core.protect;

import java.io.Serializable;

/**
 * One subsample of a protected sample (ISO/IEC 23001-7 senc entry): so many bytes left clear,
 * then so many protected.
 */
public record Subsample(int clearBytes, long protectedBytes) implements Serializable {
  /** BytesOfClearData is 16 bits in senc. */
  public static final int MAX_CLEAR = 0xFFFF;

  public Subsample {
    if (clearBytes < 0 || clearBytes > MAX_CLEAR || protectedBytes < 0) {
      throw new IllegalArgumentException("subsample " + clearBytes + "+" + protectedBytes + " out of range");
    }
  }
}
