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
 * @param keyframeBytes bytes from the file's start to the end of its first sample (the moof, the mdat
 *     header and the IDR): the byte range of the segment's entry in an I-frame playlist; 0 when
 *     not measured (audio)
 */
public record Segment(int number, long start, long duration, long bytes, int samples, long keyframeBytes)
    implements Serializable {

  /** A segment whose key frame's byte range is not measured. */
  public Segment(int number, long start, long duration, long bytes, int samples) {
    this(number, start, duration, bytes, samples, 0);
  }

  /** Bits per second over this segment. */
  public double bitrate(int timescale) {
    return bytes * 8.0 * timescale / duration;
  }

  public String fileName() {
    return String.format("seg-%05d.m4s", number);
  }
}
