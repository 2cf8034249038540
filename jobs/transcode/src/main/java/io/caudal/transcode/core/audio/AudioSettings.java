package io.caudal.transcode.core.audio;

import java.io.Serializable;
import java.util.Map;

/**
 * What the operator said about a title's audio.
 *
 * @param languages languages of source audio streams by index (from 0), for streams whose tags
 *     do not say ({@code --audio-lang INDEX=LANG}), BCP 47
 * @param loudness the loudness target, or levels kept ({@code --loudness off})
 */
public record AudioSettings(Map<Integer, String> languages, LoudnessTarget loudness) implements Serializable {
  public AudioSettings {
    languages = Map.copyOf(languages);
  }

  public static AudioSettings defaults() {
    return new AudioSettings(Map.of(), LoudnessTarget.defaults());
  }
}
