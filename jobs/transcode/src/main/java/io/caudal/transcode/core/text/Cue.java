package io.caudal.transcode.core.text;

import java.io.Serializable;

/**
 * One cue on the title's timeline.
 *
 * @param startMillis when it appears, milliseconds from the first video frame
 * @param endMillis when it goes, exclusive
 * @param text WebVTT cue text: lines separated by '\n', {@code <i>}, {@code <b>}, {@code <u>} for
 *     styling, and {@code &amp;}, {@code &lt;}, {@code &gt;} escaped
 * @param settings WebVTT cue settings ("line:0 align:start"), empty when none
 */
public record Cue(long startMillis, long endMillis, String text, String settings) implements Serializable {
  public Cue(long startMillis, long endMillis, String text) {
    this(startMillis, endMillis, text, "");
  }

  /** Whether it is shown at some instant of [fromMillis, toMillis). */
  public boolean overlaps(long fromMillis, long toMillis) {
    return startMillis < toMillis && endMillis > fromMillis;
  }

  /** The text with its markup removed and entities decoded: what a viewer reads. */
  public String plainText() {
    return text.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
