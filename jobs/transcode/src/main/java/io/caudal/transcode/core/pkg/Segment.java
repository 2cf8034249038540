package io.caudal.transcode.core.pkg;

import java.io.Serializable;

/**
 * One media segment as measured after encoding.
 *
 * @param number 1-based segment number (the file name's number)
 * @param start decode time of its first sample, in the track's timescale
 * @param duration in the track's timescale
 * @param bytes size of the segment file
 * @param samples frames (video) or AAC frames (audio) in it
 */
public record Segment(int number, long start, long duration, long bytes, int samples) implements Serializable {
  /** Bits per second over this segment. */
  public double bitrate(int timescale) {
    return bytes * 8.0 * timescale / duration;
  }

  public String fileName() {
    return String.format("seg-%05d.m4s", number);
  }
}
