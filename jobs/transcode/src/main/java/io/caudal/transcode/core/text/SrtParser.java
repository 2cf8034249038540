package io.caudal.transcode.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SubRip (.srt): numbered cues with {@code hh:mm:ss,mmm} times. The usual inline tags
 * {@code <i>}, {@code <b>}, {@code <u>} are kept; {@code <font>} and ASS overrides such as
 * {@code {\an8}} are dropped.
 */
public final class SrtParser {
  private static final Pattern TIMING = Pattern.compile(
      "^(\\d{1,3}):(\\d{2}):(\\d{2})[,.](\\d{1,3})[ \\t]*-->[ \\t]*(\\d{1,3}):(\\d{2}):(\\d{2})[,.](\\d{1,3})(?:[ \\t].*)?$");

  private SrtParser() {}

  public static List<Cue> parse(String file, String content) {
    String[] lines = Lines.split(content);
    List<Cue> cues = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      if (lines[i].isBlank()) {
        i++;
        continue;
      }
      int timingLine = lines[i].strip().matches("\\d+") ? i + 1 : i;
      if (timingLine >= lines.length || !lines[timingLine].contains("-->")) {
        int line = Math.min(timingLine, lines.length - 1) + 1;
        throw new SubtitleFormatException(file, line, timingLine == i
            ? "expected a cue number or a timing line, got '" + lines[i].strip() + "'"
            : "expected a timing line (00:00:01,000 --> 00:00:02,000) after cue number " + lines[i].strip());
      }
      Matcher m = TIMING.matcher(lines[timingLine].strip());
      if (!m.matches()) {
        throw new SubtitleFormatException(file, timingLine + 1,
            "bad timing line '" + lines[timingLine].strip() + "' (expected 00:00:01,000 --> 00:00:02,000)");
      }
      long start = millis(m, 1);
      long end = millis(m, 5);
      if (end < start) {
        throw new SubtitleFormatException(file, timingLine + 1, "cue ends before it starts");
      }
      List<String> text = new ArrayList<>();
      int j = timingLine + 1;
      for (; j < lines.length && !lines[j].isBlank(); j++) {
        if (lines[j].contains("-->")) {
          throw new SubtitleFormatException(file, j + 1, "timing line inside cue text (a blank line missing before it?)");
        }
        text.add(lines[j]);
      }
      cues.add(new Cue(start, end, CueText.fromTagged(String.join("\n", text))));
      i = j;
    }
    return cues;
  }

  private static long millis(Matcher m, int group) {
    String fraction = m.group(group + 3);
    // "1,5" means 500 ms, as players read it.
    long ms = Long.parseLong((fraction + "00").substring(0, 3));
    return ((Long.parseLong(m.group(group)) * 60 + Long.parseLong(m.group(group + 1))) * 60
        + Long.parseLong(m.group(group + 2))) * 1000 + ms;
  }
}
