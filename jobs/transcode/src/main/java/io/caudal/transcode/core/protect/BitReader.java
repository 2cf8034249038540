package io.caudal.transcode.core.protect;

/**
 * Reads bits and Exp-Golomb codes from a NAL unit's payload, skipping its emulation prevention
 * bytes (00 00 03), and tells how many bytes of the escaped NAL unit the bits read so far span.
 */
final class BitReader {
  private final byte[] data;
  private final int end;
  private int pos;
  private int bit;
  private int zeros;

  /** Reads {@code data[start, end)}: a NAL unit's bytes after its one-byte header. */
  BitReader(byte[] data, int start, int end) {
    this.data = data;
    this.pos = start;
    this.end = end;
    skipEmulationPrevention();
  }

  int u(int bits) {
    int value = 0;
    for (int i = 0; i < bits; i++) {
      value = (value << 1) | bit();
    }
    return value;
  }

  boolean flag() {
    return bit() == 1;
  }

  int ue() {
    int leadingZeros = 0;
    while (bit() == 0) {
      leadingZeros++;
      if (leadingZeros > 31) {
        throw new IllegalArgumentException("Exp-Golomb code longer than 32 bits");
      }
    }
    return leadingZeros == 0 ? 0 : (int) ((1L << leadingZeros) - 1 + Integer.toUnsignedLong(u(leadingZeros)));
  }

  int se() {
    int k = ue();
    return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
  }

  /** Bytes of the escaped input from its start up to and including the byte holding the last bit read. */
  int bytesSpanned(int start) {
    return pos - start + (bit > 0 ? 1 : 0);
  }

  private int bit() {
    if (pos >= end) {
      throw new IllegalArgumentException("NAL unit ends inside its header");
    }
    int b = (data[pos] >> (7 - bit)) & 1;
    if (++bit == 8) {
      bit = 0;
      zeros = data[pos] == 0 ? zeros + 1 : 0;
      pos++;
      skipEmulationPrevention();
    }
    return b;
  }

  private void skipEmulationPrevention() {
    if (zeros >= 2 && pos < end && data[pos] == 3) {
      pos++;
      zeros = 0;
    }
  }
}
