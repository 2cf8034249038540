package io.caudal.transcode.core.protect;

import java.util.ArrayList;
import java.util.List;

/** The NAL units of one AVC sample in MP4's length-prefixed form (ISO/IEC 14496-15). */
public final class NalUnits {
  private NalUnits() {}

  /**
   * One NAL unit inside a sample.
   *
   * @param offset where its length prefix starts, from the sample's start
   * @param size bytes of the NAL unit itself, after the prefix
   */
  public record Nal(int offset, int size, int type) {}

  /** H.264 nal_unit_type of a coded slice (non-IDR) and of an IDR slice: the VCL units we protect. */
  public static boolean isSlice(int type) {
    return type == 1 || type == 5;
  }

  /**
   * Splits a sample into NAL units.
   *
   * @throws IllegalArgumentException when a length prefix runs past the sample
   */
  public static List<Nal> split(byte[] data, int offset, int length, int lengthSize) {
    List<Nal> nals = new ArrayList<>();
    int p = 0;
    while (p < length) {
      if (p + lengthSize > length) {
        throw new IllegalArgumentException("sample ends inside a NAL length prefix at byte " + p);
      }
      long size = 0;
      for (int i = 0; i < lengthSize; i++) {
        size = (size << 8) | (data[offset + p + i] & 0xFF);
      }
      if (size < 1 || p + lengthSize + size > length) {
        throw new IllegalArgumentException("NAL unit of " + size + " bytes at byte " + p + " overruns the sample of "
            + length + " bytes");
      }
      nals.add(new Nal(p, (int) size, data[offset + p + lengthSize] & 0x1F));
      p += lengthSize + (int) size;
    }
    return nals;
  }
}
