package io.caudal.transcode.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads WebVTT (W3C WebVTT, the parts a cue needs): cues with their settings; NOTE, STYLE and REGION blocks skipped. */
public final class WebVttParser {
  private static final Pattern TIMING = Pattern.compile("^(\\S+)[ \\t]+-->[ \\t]+(\\S+)(?:[ \\t]+(.*))?$");
  private static final Pattern TIMESTAMP = Pattern.compile("^(?:(\\d{2,}):)?([0-5]\\d):([0-5]\\d)\\.(\\d{3})$");

  private WebVttParser() {}

  public static List<Cue> parse(String file, String content) {
    String[] lines = Lines.split(content);
    if (lines.length == 0 || !lines[0].matches("^WEBVTT([ \\t].*)?$")) {
      throw new SubtitleFormatException(file, 1, "not WebVTT: the first line must be WEBVTT");
    }
    List<Cue> cues = new ArrayList<>();
    int i = 1;
    while (i < lines.length && !lines[i].isBlank()) {
      if (lines[i].contains("-->")) {
        throw new SubtitleFormatException(file, i + 1, "a blank line must end the header before the first cue");
      }
      i++; // the header's own lines
    }
    while (i < lines.length) {
      if (lines[i].isBlank()) {
        i++;
        continue;
      }
      String first = lines[i];
      if (first.matches("^(NOTE|STYLE|REGION)([ \\t].*)?$") && !first.contains("-->")) {
        i = endOfBlock(lines, i);
        continue;
      }
      int timingLine = first.contains("-->") ? i : i + 1;
      if (timingLine >= lines.length || !lines[timingLine].contains("-->")) {
        throw new SubtitleFormatException(file, timingLine + 1 > lines.length ? lines.length : timingLine + 1,
            "expected a cue timing line (00:00:01.000 --> 00:00:02.000)");
      }
      Matcher m = TIMING.matcher(lines[timingLine].strip());
      if (!m.matches()) {
        throw new SubtitleFormatException(file, timingLine + 1, "bad cue timing line '" + lines[timingLine] + "'");
      }
      long start = timestamp(file, timingLine + 1, m.group(1));
      long end = timestamp(file, timingLine + 1, m.group(2));
      if (end < start) {
        throw new SubtitleFormatException(file, timingLine + 1,
            "cue ends (" + m.group(2) + ") before it starts (" + m.group(1) + ")");
      }
      StringBuilder text = new StringBuilder();
      int j = timingLine + 1;
      for (; j < lines.length && !lines[j].isBlank(); j++) {
        if (lines[j].contains("-->")) {
          throw new SubtitleFormatException(file, j + 1, "'-->' inside cue text (a blank line missing before this cue?)");
        }
        text.append(text.length() > 0 ? "\n" : "").append(lines[j]);
      }
      cues.add(new Cue(start, end, text.toString(), m.group(3) == null ? "" : m.group(3).strip()));
      i = j;
    }
    return cues;
  }

  /** Milliseconds of a WebVTT timestamp ({@code [hh:]mm:ss.ttt}). */
  static long timestamp(String file, int line, String value) {
    Matcher m = TIMESTAMP.matcher(value);
    if (!m.matches()) {
      throw new SubtitleFormatException(file, line, "bad timestamp '" + value + "' (expected [hh:]mm:ss.ttt)");
    }
    long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    return ((hours * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3))) * 1000
        + Long.parseLong(m.group(4));
  }

  private static int endOfBlock(String[] lines, int i) {
    while (i < lines.length && !lines[i].isBlank()) {
      i++;
    }
    return i;
  }
}
