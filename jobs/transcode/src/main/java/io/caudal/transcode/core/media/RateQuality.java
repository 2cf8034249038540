package io.caudal.transcode.core.media;

import io.caudal.transcode.core.plan.DetailLoss;
import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.plan.RungTarget;
import io.caudal.transcode.core.plan.VideoCodec;
import io.caudal.transcode.core.plan.Size;
import io.caudal.transcode.core.plan.Stretch;
import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * The complexity probe's encodes and every quality measurement of the job: what an encode cost
 * in bits and what it kept of the source, measured by {@link QualityMeter} against the source's
 * own grid frames at display size.
 */
public final class RateQuality {
  /**
   * The probe measures every third frame (ten of a one-second stretch): measuring costs about as
   * much as the probe's small encodes, and neighbouring frames score alike.
   */
  static final int PROBE_QUALITY_STEP = 3;

  private RateQuality() {}

  /**
   * What one encode of a stretch of the source gave.
   *
   * @param bytes coded bytes (no container), 0 when not counted
   * @param frames frames encoded
   * @param qualitySum the sum of the measured frames' quality
   * @param measured frames measured
   */
  public record Measured(long bytes, int frames, double qualitySum, int measured) implements Serializable {}

  /**
   * Encodes {@code stretch} at {@code size} once per constant rate factor, with the title's GOP
   * and encoder settings, and measures each encode.
   */
  public static List<Measured> probe(File source, SourceInfo info, FrameRate rate, int segmentFrames, Stretch stretch,
      Size size, int[] crfs, EncoderSettings settings, File workDir) {
    return probe(source, info, rate, segmentFrames, stretch, size, crfs, settings, workDir, VideoCodec.H264);
  }

  /** {@link #probe(File, SourceInfo, FrameRate, int, Stretch, Size, int[], EncoderSettings, File)} with {@code codec}. */
  public static List<Measured> probe(File source, SourceInfo info, FrameRate rate, int segmentFrames, Stretch stretch,
      Size size, int[] crfs, EncoderSettings settings, File workDir, VideoCodec codec) {
    List<File> files = new ArrayList<>();
    List<Mp4Muxer> muxers = new ArrayList<>();
    List<VideoEncoder> encoders = new ArrayList<>();
    long[] bytes = new long[crfs.length];
    RungTarget target = RungTarget.capped("probe", size, 0).as(codec, 1);
    try (SourceFrames frames = frames(source, info, rate, stretch, settings)) {
      for (int crf : crfs) {
        File out = new File(workDir, "probe-" + size + "-crf" + crf + ".mp4");
        Mp4Muxer muxer = new Mp4Muxer(out.getPath());
        muxers.add(muxer);
        encoders.add(VideoEncoder.constantQuality(muxer, out.getPath(), target, rate, segmentFrames, settings, crf));
        muxer.startFragmented(rate.timescale());
        files.add(out);
      }
      for (AVFrame picture = frames.next(); picture != null; picture = frames.next()) {
        for (VideoEncoder encoder : encoders) {
          encoder.encode(picture);
        }
      }
      for (int i = 0; i < encoders.size(); i++) {
        encoders.get(i).finish();
        muxers.get(i).finish();
        // The probe's stretch is shorter than a segment but starts with an IDR as a segment does:
        // count that IDR at the share it has in a whole segment, so the bitrate predicts the rung's.
        long idr = encoders.get(i).firstPacketBytes();
        long length = stretch.frames();
        bytes[i] = encoders.get(i).payloadBytes() - idr
            + Math.round(idr * Math.min(1.0, (double) length / segmentFrames));
      }
    } finally {
      encoders.forEach(VideoEncoder::close);
      muxers.forEach(Mp4Muxer::close);
    }
    List<Measured> measured = measure(source, info, rate, stretch, files, PROBE_QUALITY_STEP, settings);
    List<Measured> withBytes = new ArrayList<>();
    for (int i = 0; i < measured.size(); i++) {
      Measured m = measured.get(i);
      withBytes.add(new Measured(bytes[i], m.frames(), m.qualitySum(), m.measured()));
      files.get(i).delete();
    }
    return withBytes;
  }

  /**
   * Measures each of {@code encoded} (files that hold exactly the stretch's frames, in order)
   * against the source, every {@code step}-th frame; the source is decoded once for all of them.
   */
  public static List<Measured> measure(File source, SourceInfo info, FrameRate rate, Stretch stretch,
      List<File> encoded, int step, EncoderSettings settings) {
    List<MediaInput> inputs = new ArrayList<>();
    List<QualityMeter> meters = new ArrayList<>();
    int[] decoded = new int[encoded.size()];
    FrameScaler sourceLuma = null;
    try (SourceFrames frames = frames(source, info, rate, stretch, settings)) {
      for (File f : encoded) {
        inputs.add(MediaInput.ownOutput(f.getPath()).openDecoder(MediaInput.Kind.VIDEO, settings.threads()));
        meters.add(new QualityMeter(f.getPath()));
      }
      long n = 0;
      for (AVFrame picture = frames.next(); picture != null; picture = frames.next(), n++) {
        DetailLoss.Reference reference = null;
        if (n % step == 0) {
          if (sourceLuma == null) {
            sourceLuma = QualityMeter.sourceLuma(source.getPath(), picture.width(), picture.height());
          }
          reference = QualityMeter.reference(sourceLuma, picture);
        }
        for (int i = 0; i < inputs.size(); i++) {
          AVFrame frame = inputs.get(i).nextFrame();
          if (frame == null) {
            throw new MediaException(encoded.get(i).getPath(), "ends after " + decoded[i] + " frames");
          }
          decoded[i]++;
          if (reference != null) {
            meters.get(i).add(reference, frame);
          }
        }
      }
      List<Measured> result = new ArrayList<>();
      for (int i = 0; i < meters.size(); i++) {
        QualityMeter m = meters.get(i);
        result.add(new Measured(0, decoded[i], m.qualitySum(), m.frames()));
      }
      return result;
    } finally {
      inputs.forEach(MediaInput::close);
      meters.forEach(QualityMeter::close);
      if (sourceLuma != null) {
        sourceLuma.close();
      }
    }
  }

  private static SourceFrames frames(File source, SourceInfo info, FrameRate rate, Stretch stretch,
      EncoderSettings settings) {
    return new SourceFrames(source.getPath(), info, rate, stretch.start(), stretch.end(), stretch.decodeFromMicros(),
        settings.threads());
  }
}
