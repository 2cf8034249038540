package io.caudal.transcode.core.media;

import io.caudal.transcode.core.plan.ChunkPlan;
import io.caudal.transcode.core.plan.RungTarget;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;

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
    try (SourceFrames frames = new SourceFrames(source.getPath(), info, plan.frameRate(), chunk.startFrame(),
        chunk.endFrame(), chunk.decodeFromMicros(), settings.threads())) {
      for (RungTarget rung : rungs) {
        File out = new File(workDir, rung.id() + ".mp4");
        Mp4Muxer muxer = new Mp4Muxer(out.getPath());
        muxers.add(muxer);
        encoders.add(VideoEncoder.segmented(muxer, out.getPath(), rung, plan.frameRate(), plan.segmentFrames(), settings));
        muxer.startFragmented(plan.frameRate().timescale());
        outputs.add(out);
      }
      for (AVFrame picture = frames.next(); picture != null; picture = frames.next()) {
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
    }
  }
}
