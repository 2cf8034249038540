package io.caudal.transcode.core.audio;

import java.io.File;
import java.io.Serializable;

/**
 * Decides how one audio stream, in one rendition's layout, gets to the loudness target: the first
 * of the two passes. It measures the stream and chooses the filter ({@link LoudnessTarget}); when
 * that filter is the limiter, it also runs it on the stream and measures what comes out, as
 * limiting takes loudness off the peaks: a result more than half a LU off the target is aimed
 * again by what it missed. The second pass is the encode through the filter chosen.
 */
public final class LoudnessNormaliser {
  private LoudnessNormaliser() {}

  /**
   * @param before the stream's loudness in the rendition's layout
   * @param filter the chain to encode through; null to keep the levels
   */
  public record Plan(Loudness before, LoudnessTarget.Method method, String filter) implements Serializable {}

  public static Plan plan(File source, int audioIndex, String layout, LoudnessTarget target) {
    Loudness before = LoudnessMeter.ofStream(source, audioIndex, layout);
    LoudnessTarget.Method method = target.methodFor(before);
    String filter = target.filterFor(before);
    if (method == LoudnessTarget.Method.LIMITED) {
      Loudness trial = LoudnessMeter.ofFiltered(source, audioIndex, layout, filter);
      double missed = target.lufs() - trial.integratedLufs();
      if (Math.abs(missed) > LoudnessTarget.LIMITER_RETRY_LU) {
        filter = target.filterFor(before, missed);
      }
    }
    return new Plan(before, method, filter);
  }
}
