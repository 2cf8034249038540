package io.caudal.transcode.core.media;

import java.io.Serializable;

/**
 * One audio stream of a source, as probing found it.
 *
 * @param index its place among the source's audio streams, from 0 ({@code --audio-lang INDEX=LANG})
 * @param streamIndex its index among all of the container's streams
 * @param language the stream's language tag as the container has it ("eng", "fre", "en"), or null
 * @param title the stream's title tag, or null
 * @param channels channel count
 * @param layout the channel layout as libavutil describes it ("stereo", "5.1", "5.1(side)")
 * @param sampleRate samples per second
 * @param durationMicros from its first to the end of its last packet
 */
public record AudioStream(int index, int streamIndex, String language, String title, int channels, String layout,
    int sampleRate, long durationMicros) implements Serializable {

  /** Whether it is a 5.1 (six-channel) stream. */
  public boolean isSurround() {
    return channels == 6;
  }
}
