package io.caudal.transcode.core.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the ASS events FFmpeg's text decoders hand back (mov_text, subrip, webvtt all decode to
 * {@code ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text}) into WebVTT cue text.
 */
public final class AssText {
  private static final Pattern OVERRIDE = Pattern.compile("\\{([^{}]*)\\}");
  private static final Pattern TAG = Pattern.compile("\\\\([ibu])([01]?)(?![0-9a-z])");

  private AssText() {}

  /** The cue text of one ASS event line (or of bare ASS text, when it has no fields). */
  public static String toCueText(String event) {
    String[] fields = event.split(",", 9);
    String text = fields.length == 9 ? fields[8] : event;
    text = text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", " ");
    StringBuilder out = new StringBuilder();
    Matcher m = OVERRIDE.matcher(text);
    int at = 0;
    while (m.find()) {
      out.append(CueText.escape(text.substring(at, m.start())));
      Matcher tag = TAG.matcher(m.group(1));
      while (tag.find()) {
        out.append("1".equals(tag.group(2)) ? "<" + tag.group(1) + ">" : "</" + tag.group(1) + ">");
      }
      at = m.end();
    }
    return out.append(CueText.escape(text.substring(at))).toString().strip();
  }
}
