package io.caudal.transcode.core.media;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.caudal.transcode.core.plan.ChunkPlan;
import io.caudal.transcode.core.plan.RungTarget;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Encodes one chunk of a title into every rung it is given, decoding the source once: frames
 * are read from the last keyframe before the chunk, put on the output's constant frame grid
 * (the nearest source frame at each output instant, as ffmpeg's fps filter does), turned
 * upright, then scaled and encoded per rung into a fragmented MP4 of one fragment per segment.
 */
public final class ChunkEncoder {
  private ChunkEncoder() {}

  /** Writes {@code <workDir>/<rungId>.mp4} for each rung and returns those files. */
  public static List<File> encode(File source, SourceInfo info, ChunkPlan plan, ChunkPlan.Chunk chunk,
      List<RungTarget> rungs, EncoderSettings settings, File workDir) {
    List<File> outputs = new ArrayList<>();
    List<Mp4Muxer> muxers = new ArrayList<>();
    List<VideoEncoder> encoders = new ArrayList<>();
    AVFrame current = av_frame_alloc();
    Rotator rotator = null;
    try (MediaInput input = new MediaInput(source.getPath()).openDecoder(MediaInput.Kind.VIDEO, settings.threads())) {
      for (RungTarget rung : rungs) {
        File out = new File(workDir, rung.id() + ".mp4");
        Mp4Muxer muxer = new Mp4Muxer(out.getPath());
        muxers.add(muxer);
        encoders.add(VideoEncoder.segmented(muxer, out.getPath(), rung, plan.frameRate(), plan.segmentFrames(), settings));
        muxer.startFragmented(plan.frameRate().timescale());
        outputs.add(out);
      }
      AVRational timeBase = input.timeBase();
      long startMicros = info.videoStartMicros();
      input.seekMicros(startMicros + chunk.decodeFromMicros());
      long halfFrame = plan.frameRate().frameTimeMicros(1) / 2;
      AVFrame pending = input.nextFrame();
      boolean haveCurrent = false;
      for (long g = chunk.startFrame(); g < chunk.endFrame(); g++) {
        long due = startMicros + plan.frameRate().frameTimeMicros(g) + halfFrame;
        while (pending != null && (micros(pending, timeBase) < due || !haveCurrent)) {
          if (haveCurrent && micros(pending, timeBase) >= due) {
            break;
          }
          av_frame_unref(current);
          av_frame_ref(current, pending);
          haveCurrent = true;
          pending = input.nextFrame();
        }
        if (!haveCurrent) {
          throw new MediaException(source.getPath(), "no video frame decodes at or after "
              + plan.frameRate().frameTimeMicros(g) / 1000 + " ms");
        }
        AVFrame picture = current;
        if (info.rotation() != 0) {
          if (rotator == null) {
            rotator = new Rotator(info.rotation(), current.width(), current.height(), current.format());
          }
          picture = rotator.apply(current);
        }
        for (VideoEncoder encoder : encoders) {
          encoder.encode(picture);
        }
      }
      for (int i = 0; i < encoders.size(); i++) {
        encoders.get(i).finish();
        muxers.get(i).finish();
      }
      return outputs;
    } finally {
      encoders.forEach(VideoEncoder::close);
      muxers.forEach(Mp4Muxer::close);
      if (rotator != null) {
        rotator.close();
      }
      av_frame_free(current);
    }
  }

  private static long micros(AVFrame frame, AVRational timeBase) {
    long ts = frame.best_effort_timestamp() != AV_NOPTS_VALUE ? frame.best_effort_timestamp() : frame.pts();
    return av_rescale_q(ts, timeBase, av_make_q(1, 1_000_000));
  }
}
