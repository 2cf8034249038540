package io.caudal.transcode.core.plan;

import java.io.Serializable;

/**
 * A stretch of the title on the output frame grid: frames {@code [start, end)}, decoded from
 * {@code decodeFromMicros} (relative to the video's start; a decoder seeks to the last keyframe
 * at or before it).
 */
public record Stretch(long start, long end, long decodeFromMicros) implements Serializable {
  public long frames() {
    return end - start;
  }
}
