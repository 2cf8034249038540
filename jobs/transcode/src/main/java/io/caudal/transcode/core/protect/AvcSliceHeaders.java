package io.caudal.transcode.core.protect;

import java.util.HashMap;
import java.util.Map;

/**
 * Measures H.264 slice headers (ITU-T H.264 7.3.3) with the parameter sets of a track's avcC, so
 * that subsample encryption leaves each slice's NAL header and slice header clear, as ISO/IEC
 * 23001-7 requires of AVC video.
 */
public final class AvcSliceHeaders {
  private static final int P = 0;
  private static final int B = 1;
  private static final int I = 2;
  private static final int SP = 3;
  private static final int SI = 4;

  private record Sps(int chromaArrayType, boolean separateColourPlane, int log2MaxFrameNum, int pocType,
      int log2MaxPocLsb, boolean deltaPicOrderAlwaysZero, boolean frameMbsOnly) {}

  private record Pps(int spsId, boolean cabac, boolean bottomFieldPicOrderPresent, int refIdxL0, int refIdxL1,
      boolean weightedPred, int weightedBipredIdc, boolean deblockingControl, boolean redundantPicCnt) {}

  private final int nalLengthSize;
  private final Map<Integer, Sps> spsById = new HashMap<>();
  private final Map<Integer, Pps> ppsById = new HashMap<>();

  private AvcSliceHeaders(int nalLengthSize) {
    this.nalLengthSize = nalLengthSize;
  }

  /** From the payload of an avcC box (AVCDecoderConfigurationRecord, ISO/IEC 14496-15 5.3.3.1). */
  public static AvcSliceHeaders fromAvcC(byte[] record) {
    AvcSliceHeaders headers = new AvcSliceHeaders((record[4] & 0x03) + 1);
    int p = 5;
    int sps = record[p++] & 0x1F;
    for (int i = 0; i < sps; i++) {
      int len = ((record[p] & 0xFF) << 8) | (record[p + 1] & 0xFF);
      headers.addSps(record, p + 2, p + 2 + len);
      p += 2 + len;
    }
    int pps = record[p++] & 0xFF;
    for (int i = 0; i < pps; i++) {
      int len = ((record[p] & 0xFF) << 8) | (record[p + 1] & 0xFF);
      headers.addPps(record, p + 2, p + 2 + len);
      p += 2 + len;
    }
    return headers;
  }

  /** Bytes of each NAL unit's length prefix in the samples. */
  public int nalLengthSize() {
    return nalLengthSize;
  }

  /**
   * Bytes of a slice NAL unit, counted from its first byte (the NAL header), up to and including
   * the last byte of its slice header.
   *
   * @param start the NAL header's offset in {@code data}
   * @param size the NAL unit's size
   */
  public int headerBytes(byte[] data, int start, int size) {
    int nalRefIdc = (data[start] >> 5) & 0x03;
    int nalType = data[start] & 0x1F;
    BitReader r = new BitReader(data, start + 1, start + size);
    r.ue(); // first_mb_in_slice
    int sliceType = r.ue() % 5;
    Pps pps = ppsById.get(r.ue());
    Sps sps = pps == null ? null : spsById.get(pps.spsId());
    if (sps == null) {
      throw new IllegalArgumentException("slice names a parameter set the track's avcC does not carry");
    }
    if (sps.separateColourPlane()) {
      r.u(2);
    }
    r.u(sps.log2MaxFrameNum());
    boolean fieldPic = false;
    if (!sps.frameMbsOnly()) {
      fieldPic = r.flag();
      if (fieldPic) {
        r.flag();
      }
    }
    if (nalType == 5) {
      r.ue(); // idr_pic_id
    }
    if (sps.pocType() == 0) {
      r.u(sps.log2MaxPocLsb());
      if (pps.bottomFieldPicOrderPresent() && !fieldPic) {
        r.se();
      }
    } else if (sps.pocType() == 1 && !sps.deltaPicOrderAlwaysZero()) {
      r.se();
      if (pps.bottomFieldPicOrderPresent() && !fieldPic) {
        r.se();
      }
    }
    if (pps.redundantPicCnt()) {
      r.ue();
    }
    if (sliceType == B) {
      r.flag(); // direct_spatial_mv_pred_flag
    }
    int refL0 = pps.refIdxL0();
    int refL1 = pps.refIdxL1();
    if (sliceType == P || sliceType == SP || sliceType == B) {
      if (r.flag()) { // num_ref_idx_active_override_flag
        refL0 = r.ue() + 1;
        if (sliceType == B) {
          refL1 = r.ue() + 1;
        }
      }
    }
    if (sliceType != I && sliceType != SI) {
      refPicListModification(r);
      if (sliceType == B) {
        refPicListModification(r);
      }
    }
    if ((pps.weightedPred() && (sliceType == P || sliceType == SP)) || (pps.weightedBipredIdc() == 1 && sliceType == B)) {
      predWeightTable(r, sps.chromaArrayType(), refL0, sliceType == B ? refL1 : 0);
    }
    if (nalRefIdc != 0) {
      decRefPicMarking(r, nalType == 5);
    }
    if (pps.cabac() && sliceType != I && sliceType != SI) {
      r.ue(); // cabac_init_idc
    }
    r.se(); // slice_qp_delta
    if (sliceType == SP || sliceType == SI) {
      if (sliceType == SP) {
        r.flag();
      }
      r.se();
    }
    if (pps.deblockingControl()) {
      if (r.ue() != 1) {
        r.se();
        r.se();
      }
    }
    return 1 + r.bytesSpanned(start + 1);
  }

  private static void refPicListModification(BitReader r) {
    if (r.flag()) {
      int idc;
      while ((idc = r.ue()) != 3) {
        if (idc > 5) {
          throw new IllegalArgumentException("bad modification_of_pic_nums_idc " + idc);
        }
        r.ue();
      }
    }
  }

  private static void predWeightTable(BitReader r, int chromaArrayType, int refL0, int refL1) {
    r.ue();
    if (chromaArrayType != 0) {
      r.ue();
    }
    for (int count : new int[] {refL0, refL1}) {
      for (int i = 0; i < count; i++) {
        if (r.flag()) {
          r.se();
          r.se();
        }
        if (chromaArrayType != 0 && r.flag()) {
          r.se();
          r.se();
          r.se();
          r.se();
        }
      }
    }
  }

  private static void decRefPicMarking(BitReader r, boolean idr) {
    if (idr) {
      r.flag();
      r.flag();
      return;
    }
    if (r.flag()) { // adaptive_ref_pic_marking_mode_flag
      int op;
      while ((op = r.ue()) != 0) {
        if (op == 1 || op == 3) {
          r.ue();
        }
        if (op == 2) {
          r.ue();
        }
        if (op == 3 || op == 6) {
          r.ue();
        }
        if (op == 4) {
          r.ue();
        }
      }
    }
  }

  private void addSps(byte[] data, int start, int end) {
    BitReader r = new BitReader(data, start + 1, end);
    int profile = r.u(8);
    r.u(16); // constraint flags, level_idc
    int id = r.ue();
    int chromaFormat = 1;
    boolean separateColourPlane = false;
    if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
        || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139 || profile == 134
        || profile == 135) {
      chromaFormat = r.ue();
      if (chromaFormat == 3) {
        separateColourPlane = r.flag();
      }
      r.ue();
      r.ue();
      r.flag();
      if (r.flag()) { // seq_scaling_matrix_present_flag
        for (int i = 0; i < (chromaFormat == 3 ? 12 : 8); i++) {
          if (r.flag()) {
            skipScalingList(r, i < 6 ? 16 : 64);
          }
        }
      }
    }
    int log2MaxFrameNum = r.ue() + 4;
    int pocType = r.ue();
    int log2MaxPocLsb = 0;
    boolean deltaAlwaysZero = false;
    if (pocType == 0) {
      log2MaxPocLsb = r.ue() + 4;
    } else if (pocType == 1) {
      deltaAlwaysZero = r.flag();
      r.se();
      r.se();
      int cycle = r.ue();
      for (int i = 0; i < cycle; i++) {
        r.se();
      }
    }
    r.ue(); // max_num_ref_frames
    r.flag();
    r.ue();
    r.ue();
    boolean frameMbsOnly = r.flag();
    spsById.put(id, new Sps(separateColourPlane ? 0 : chromaFormat, separateColourPlane, log2MaxFrameNum, pocType,
        log2MaxPocLsb, deltaAlwaysZero, frameMbsOnly));
  }

  private static void skipScalingList(BitReader r, int size) {
    int last = 8;
    int next = 8;
    for (int j = 0; j < size; j++) {
      if (next != 0) {
        next = (last + r.se() + 256) % 256;
      }
      last = next == 0 ? last : next;
    }
  }

  private void addPps(byte[] data, int start, int end) {
    BitReader r = new BitReader(data, start + 1, end);
    int id = r.ue();
    int spsId = r.ue();
    boolean cabac = r.flag();
    boolean bottomField = r.flag();
    if (r.ue() != 0) {
      throw new IllegalArgumentException("H.264 slice groups (FMO) are not supported");
    }
    int refL0 = r.ue() + 1;
    int refL1 = r.ue() + 1;
    boolean weightedPred = r.flag();
    int weightedBipred = r.u(2);
    r.se();
    r.se();
    r.se();
    boolean deblocking = r.flag();
    r.flag();
    boolean redundant = r.flag();
    ppsById.put(id, new Pps(spsId, cabac, bottomField, refL0, refL1, weightedPred, weightedBipred, deblocking,
        redundant));
  }
}
