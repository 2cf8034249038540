package io.caudal.transcode.core.plan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How a title is cut for parallel encoding: output segments of a whole number of frames, and
 * chunks of whole segments, so that no segment straddles two chunks and every chunk starts on
 * an IDR frame that is also a segment boundary.
 *
 * @param frameRate output frame rate (constant)
 * @param segmentFrames frames per segment (the last segment may be shorter)
 * @param totalFrames frames in the title
 * @param chunks the chunks, in order
 */
public record ChunkPlan(FrameRate frameRate, int segmentFrames, long totalFrames, List<Chunk> chunks)
    implements Serializable {

  /**
   * One unit of parallel work.
   *
   * @param index 0-based chunk number
   * @param firstSegment 0-based index of the chunk's first segment
   * @param segmentCount segments in the chunk
   * @param startFrame first output frame (inclusive)
   * @param endFrame last output frame (exclusive)
   * @param decodeFromMicros where a decoder must start: the last source keyframe at or before
   *     the chunk's start, so that the first frame it needs decodes cleanly
   */
  public record Chunk(int index, int firstSegment, int segmentCount, long startFrame, long endFrame,
      long decodeFromMicros) implements Serializable {
    public long frameCount() {
      return endFrame - startFrame;
    }
  }

  public int segmentCount() {
    return (int) ((totalFrames + segmentFrames - 1) / segmentFrames);
  }

  /** Nominal segment duration in microseconds (the last segment may be shorter). */
  public long segmentMicros() {
    return frameRate.frameTimeMicros(segmentFrames);
  }

  /**
   * Plans a title.
   *
   * @param durationMicros duration of the video stream
   * @param frameRate output frame rate
   * @param segmentMicros wanted segment duration; rounded to a whole number of frames
   * @param segmentsPerChunk segments per chunk
   * @param keyframeMicros the source's keyframe times, ascending (may be sparse or empty)
   */
  public static ChunkPlan plan(long durationMicros, FrameRate frameRate, long segmentMicros,
      int segmentsPerChunk, long[] keyframeMicros) {
    if (durationMicros <= 0) {
      throw new IllegalArgumentException("duration must be positive, got " + durationMicros + " µs");
    }
    if (segmentMicros <= 0 || segmentsPerChunk <= 0) {
      throw new IllegalArgumentException("segment duration and segments per chunk must be positive");
    }
    int segmentFrames = (int) Math.max(1, frameRate.framesIn(segmentMicros));
    long totalFrames = Math.max(1, frameRate.framesIn(durationMicros));
    int segments = (int) ((totalFrames + segmentFrames - 1) / segmentFrames);
    List<Chunk> chunks = new ArrayList<>();
    for (int first = 0; first < segments; first += segmentsPerChunk) {
      int count = Math.min(segmentsPerChunk, segments - first);
      long start = (long) first * segmentFrames;
      long end = Math.min(totalFrames, (long) (first + count) * segmentFrames);
      long decodeFrom = lastAtOrBefore(keyframeMicros, frameRate.frameTimeMicros(start));
      chunks.add(new Chunk(chunks.size(), first, count, start, end, decodeFrom));
    }
    return new ChunkPlan(frameRate, segmentFrames, totalFrames, List.copyOf(chunks));
  }

  /**
   * Plans a title in chunks of at most {@code segmentsPerChunk} segments, smaller when that would
   * give fewer than {@code minChunks} chunks, so that a short title still spreads over many tasks.
   * Chunk boundaries shape the encoder's rate control, so the plan depends on the title and these
   * two numbers only, never on the cluster's size: a rerun anywhere gives the same bytes.
   */
  public static ChunkPlan plan(long durationMicros, FrameRate frameRate, long segmentMicros,
      int segmentsPerChunk, int minChunks, long[] keyframeMicros) {
    if (minChunks <= 0) {
      throw new IllegalArgumentException("minimum chunks must be positive, got " + minChunks);
    }
    ChunkPlan plan = plan(durationMicros, frameRate, segmentMicros, segmentsPerChunk, keyframeMicros);
    if (plan.chunks().size() >= minChunks) {
      return plan;
    }
    int perChunk = Math.max(1, (plan.segmentCount() + minChunks - 1) / minChunks);
    return perChunk >= segmentsPerChunk ? plan
        : plan(durationMicros, frameRate, segmentMicros, perChunk, keyframeMicros);
  }

  private static long lastAtOrBefore(long[] sortedMicros, long micros) {
    long best = 0;
    for (long t : sortedMicros) {
      if (t > micros) {
        break;
      }
      best = t;
    }
    return best;
  }
}
