package io.caudal.transcode.core.pkg;

import io.caudal.transcode.core.plan.FrameRate;
import io.caudal.transcode.core.text.TextKind;
import io.caudal.transcode.core.trick.ThumbnailTrack;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the manifests of one title describe: the video rungs, the audio renditions, the frame
 * rate and the protection. Both writers take the same presentation, so HLS and DASH never
 * disagree on what a title holds.
 *
 * @param video the rungs, highest first; empty for an audio-only title
 * @param audio the audio renditions, the default first; empty for a silent title
 * @param rate the video's frame rate; null without video
 * @param text the subtitle and caption renditions (WebVTT); empty when the title has none
 * @param thumbnails the thumbnail sprites; {@link ThumbnailTrack#NONE} when the title has none
 */
public record Presentation(List<Track> video, List<AudioRendition> audio, FrameRate rate,
    ManifestProtection protection, List<TextRendition> text, ThumbnailTrack thumbnails) {

  /**
   * One audio rendition: a packaged track and what a player offers it as.
   *
   * @param language BCP 47 language tag ("en", "pt-BR"); "und" when the source does not say
   * @param name what a player lists it as ("English", "English 5.1")
   * @param isDefault the rendition a player starts with when the viewer has no preference
   */
  public record AudioRendition(Track track, String language, String name, boolean isDefault) {
    /** 2 for stereo, 6 for 5.1. */
    public int channels() {
      return track.channels();
    }

    /** The HLS audio group it belongs to: one per channel count ({@code aac-2ch}, {@code aac-6ch}). */
    public String hlsGroup() {
      return "aac-" + track.channels() + "ch";
    }
  }

  /**
   * One WebVTT rendition: segments on the video's boundaries for HLS, one whole file for DASH.
   *
   * @param trackId {@code text-<lang>[-forced|-sdh]}
   * @param dir its folder relative to the title ({@code text/en-sdh})
   * @param language BCP 47 language tag
   * @param name what a player lists it as ("English (SDH)")
   * @param bitsPerSecond the whole file's size over the title's duration, for DASH's bandwidth
   */
  public record TextRendition(String trackId, String dir, String language, String name, TextKind kind,
      long bitsPerSecond) {}

  /** A clear title with one unnamed audio track (or none), as a source without tags gives. */
  public static Presentation of(List<Track> video, Track audio, FrameRate rate) {
    return new Presentation(video,
        audio == null ? List.of() : List.of(new AudioRendition(audio, "und", "Main", true)), rate,
        ManifestProtection.CLEAR, List.of(), ThumbnailTrack.NONE);
  }

  public Presentation withProtection(ManifestProtection protection) {
    return new Presentation(video, audio, rate, protection, text, thumbnails);
  }

  public Presentation withText(List<TextRendition> renditions) {
    return new Presentation(video, audio, rate, protection, List.copyOf(renditions), thumbnails);
  }

  public Presentation withThumbnails(ThumbnailTrack thumbnails) {
    return new Presentation(video, audio, rate, protection, text, thumbnails);
  }

  public List<Track> audioTracks() {
    return audio.stream().map(AudioRendition::track).toList();
  }

  /** Every packaged media track: the rungs, then the audio renditions. */
  public List<Track> tracks() {
    List<Track> all = new ArrayList<>(video);
    all.addAll(audioTracks());
    return all;
  }
}
