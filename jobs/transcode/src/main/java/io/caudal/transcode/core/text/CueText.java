package io.caudal.transcode.core.text;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the text of other formats into WebVTT cue text. */
final class CueText {
  private static final Pattern TAG = Pattern.compile("<[^<>\\n]*>|\\{\\\\[^{}]*\\}");
  private static final Pattern KEPT = Pattern.compile("^</?([ibu])>$", Pattern.CASE_INSENSITIVE);

  private CueText() {}

  /**
   * SRT-style text: {@code <i>}, {@code <b>}, {@code <u>} kept, other tags and ASS overrides
   * dropped, everything else escaped.
   */
  static String fromTagged(String text) {
    StringBuilder out = new StringBuilder();
    Matcher m = TAG.matcher(text);
    int at = 0;
    while (m.find()) {
      out.append(escape(text.substring(at, m.start())));
      Matcher kept = KEPT.matcher(m.group());
      if (kept.matches()) {
        out.append(m.group().toLowerCase(Locale.ROOT));
      }
      at = m.end();
    }
    return out.append(escape(text.substring(at))).toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
