package io.caudal.transcode.core.audio;

import io.caudal.transcode.core.lang.Languages;
import io.caudal.transcode.core.media.AudioStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One audio rendition to make: which source stream, in which layout, called what.
 *
 * @param trackId {@code audio-<lang>-<N>ch}
 * @param dir {@code audio/<lang>-<N>ch}
 * @param sourceIndex the source's audio stream, counted from 0
 * @param language BCP 47, "und" when neither the stream nor {@code --audio-lang} says
 * @param name what a player lists it as: "English", "Français 5.1"
 * @param channels 2 (stereo, a downmix of a 5.1 stream) or 6 (5.1)
 * @param isDefault the first stream's stereo rendition
 */
public record AudioRenditionPlan(String trackId, String dir, int sourceIndex, String language, String name,
    int channels, boolean isDefault) implements Serializable {

  public static final String TRACK_PREFIX = "audio-";

  /** The layout it is encoded in, as libavutil names it. */
  public String layout() {
    return channels == 6 ? "5.1" : "stereo";
  }

  /** Whether a track id names an audio rendition. */
  public static boolean isAudioTrack(String trackId) {
    return trackId.startsWith(TRACK_PREFIX);
  }

  /** The folder of an audio rendition's files, relative to the title. */
  public static String dirOf(String trackId) {
    return "audio/" + trackId.substring(TRACK_PREFIX.length());
  }

  /**
   * The renditions of a source's audio streams, the default first: for each stream in order a
   * stereo rendition and, for a 5.1 stream, a 5.1 one. A stream's language is its own tag, else
   * the operator's ({@code languages}, by stream index), else "und". A second stream of one
   * language gets its index in its id ({@code audio-en-a1-2ch}) and its name ("English (2)").
   */
  public static List<AudioRenditionPlan> of(List<AudioStream> streams, Map<Integer, String> languages) {
    List<AudioRenditionPlan> plans = new ArrayList<>();
    Set<String> languagesSeen = new HashSet<>();
    Map<String, Integer> namesSeen = new HashMap<>();
    for (AudioStream stream : streams) {
      String language = Languages.normalise(stream.language());
      if (Languages.UNDETERMINED.equals(language) && languages.containsKey(stream.index())) {
        language = Languages.normalise(languages.get(stream.index()));
      }
      String key = languagesSeen.add(language) ? language : language + "-a" + stream.index();
      String name = Languages.nameOf(language);
      int seen = namesSeen.merge(name, 1, Integer::sum);
      if (seen > 1) {
        name = name + " (" + seen + ")";
      }
      List<Integer> layouts = stream.isSurround() ? List.of(2, 6) : List.of(2);
      for (int channels : layouts) {
        String id = TRACK_PREFIX + key + "-" + channels + "ch";
        plans.add(new AudioRenditionPlan(id, dirOf(id), stream.index(), language,
            channels == 6 ? name + " 5.1" : name, channels, plans.isEmpty()));
      }
    }
    return List.copyOf(plans);
  }
}
