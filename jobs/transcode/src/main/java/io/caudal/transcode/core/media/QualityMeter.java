package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;

import io.caudal.transcode.core.plan.DetailLoss;
import io.caudal.transcode.core.plan.QualityScale;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Measures an encoded stream against the source it was made from, frame by frame: each encoded
 * picture is scaled back to the source's display size (bicubic, as a player would) and its luma
 * compared with the source's by {@link DetailLoss}; {@link QualityScale} puts each frame on the
 * job's quality scale, and the mean over the frames given is the stream's quality.
 *
 * <p>The source side is prepared once per frame with {@link #reference(FrameScaler, AVFrame)}
 * and shared by the meters of every encode of that frame.
 */
public final class QualityMeter implements AutoCloseable {
  private final String file;
  private FrameScaler scaler;
  private double qualitySum;
  private int frames;

  /** A meter for the encoded stream in {@code file} (named in errors). */
  public QualityMeter(String file) {
    this.file = file;
  }

  /** A scaler that puts source pictures into the 8-bit luma the references are made from. */
  public static FrameScaler sourceLuma(String file, int width, int height) {
    return new FrameScaler(file, width, height, AV_PIX_FMT_GRAY8);
  }

  /** The source picture as the reference every encode of it is compared with. */
  public static DetailLoss.Reference reference(FrameScaler sourceLuma, AVFrame source) {
    AVFrame luma = sourceLuma.scale(source);
    return DetailLoss.reference(luma(luma), luma.width(), luma.height(), luma.width());
  }

  /** Compares one encoded picture with the reference of the same instant. */
  public void add(DetailLoss.Reference reference, AVFrame encoded) {
    if (scaler == null) {
      scaler = new FrameScaler(file, reference.width(), reference.height(), AV_PIX_FMT_GRAY8);
    }
    AVFrame luma = scaler.scale(encoded);
    qualitySum += QualityScale.fromDetailLoss(DetailLoss.of(reference, luma(luma), luma.width()));
    frames++;
  }

  /** The frame's luma plane, rows packed. */
  private static byte[] luma(AVFrame f) {
    int w = f.width();
    byte[] plane = new byte[w * f.height()];
    for (int y = 0; y < f.height(); y++) {
      f.data(0).position((long) y * f.linesize(0)).get(plane, y * w, w);
    }
    return plane;
  }

  /** The sum of the frames' quality, to be added up over chunks. */
  public double qualitySum() {
    return qualitySum;
  }

  /** Frames compared. */
  public int frames() {
    return frames;
  }

  @Override
  public void close() {
    if (scaler != null) {
      scaler.close();
    }
  }
}
