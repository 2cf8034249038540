package io.caudal.transcode.core.media;

import io.caudal.transcode.core.plan.FrameRate;
import java.io.Serializable;

/**
 * What probing found in a source file.
 *
 * @param durationMicros duration of the longest stream
 * @param width coded width of the video (0 without video)
 * @param height coded height of the video
 * @param rotation clockwise display rotation in degrees: 0, 90, 180 or 270
 * @param nominalRate the stream's declared frame rate (null without video)
 * @param averageRate frames per second actually found
 * @param variableRate whether frame durations vary beyond timestamp rounding
 * @param videoStartMicros presentation time of the first video frame
 * @param keyframeMicros the video keyframes' presentation times relative to the first frame, ascending
 * @param videoFrames video packets found
 * @param audioChannels 0 without audio (of the first audio stream)
 * @param audioStreams every audio stream, in the container's order; empty without audio
 */
public record SourceInfo(String path, long durationMicros, boolean hasVideo, boolean hasAudio,
    int width, int height, int rotation, FrameRate nominalRate, FrameRate averageRate,
    boolean variableRate, long videoStartMicros, long[] keyframeMicros, long videoFrames, long videoDurationMicros,
    int audioChannels, int audioSampleRate, long audioDurationMicros, java.util.List<AudioStream> audioStreams)
    implements Serializable {

  /** A source with at most one audio stream, described by the first-stream fields alone. */
  public SourceInfo(String path, long durationMicros, boolean hasVideo, boolean hasAudio, int width, int height,
      int rotation, FrameRate nominalRate, FrameRate averageRate, boolean variableRate, long videoStartMicros,
      long[] keyframeMicros, long videoFrames, long videoDurationMicros, int audioChannels, int audioSampleRate,
      long audioDurationMicros) {
    this(path, durationMicros, hasVideo, hasAudio, width, height, rotation, nominalRate, averageRate, variableRate,
        videoStartMicros, keyframeMicros, videoFrames, videoDurationMicros, audioChannels, audioSampleRate,
        audioDurationMicros, hasAudio
            ? java.util.List.of(new AudioStream(0, -1, null, null, audioChannels,
                audioChannels == 6 ? "5.1" : audioChannels == 1 ? "mono" : "stereo", audioSampleRate,
                audioDurationMicros))
            : java.util.List.of());
  }

  /** Width as displayed, after rotation. */
  public int displayWidth() {
    return rotation % 180 == 0 ? width : height;
  }

  public int displayHeight() {
    return rotation % 180 == 0 ? height : width;
  }

  /** The rate the output is encoded at. */
  public FrameRate outputRate() {
    return FrameRate.forOutput(nominalRate, averageRate, variableRate);
  }
}
