package io.caudal.transcode.core.audio;

import java.io.Serializable;

/**
 * What EBU R128 (ITU-R BS.1770) says of a stretch of audio.
 *
 * @param integratedLufs gated integrated loudness, LUFS (-70 or below: nothing above the absolute gate)
 * @param truePeakDbtp the highest true (4× oversampled) peak of any channel, dBTP
 */
public record Loudness(double integratedLufs, double truePeakDbtp) implements Serializable {
  /** Below the absolute gate: nothing loud enough to measure, so nothing to normalise. */
  public static final double GATE_LUFS = -70;
  /** The floor written for digital silence, whose peak is minus infinity. */
  public static final double FLOOR_DBTP = -120;

  public boolean isSilent() {
    return integratedLufs <= GATE_LUFS;
  }

  /** Rounded to hundredths, as reports and the catalog keep it. */
  public Loudness rounded() {
    return new Loudness(Math.round(integratedLufs * 100) / 100.0, Math.round(truePeakDbtp * 100) / 100.0);
  }
}
