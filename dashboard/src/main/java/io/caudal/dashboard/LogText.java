package io.caudal.dashboard;

/**
 * Text a client sent, made fit for one log line: quoted, with quotes, backslashes, control
 * characters, line and paragraph separators and invisible format characters (such as bidi
 * overrides) written as escapes, and cut to a bounded length. A user name holding a newline then
 * cannot start a forged line of its own.
 */
final class LogText {

  /** The most characters of one value a log line shows. */
  static final int MAX_CHARS = 200;

  private LogText() {}

  /** The value in double quotes, escaped; {@code (none)} for null. */
  static String quoted(String text) {
    if (text == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8).append('"');
    int shown = 0;
    for (int i = 0; i < text.length() && shown < MAX_CHARS; i++, shown++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
    if (text.length() > MAX_CHARS) {
      out.append("…(").append(text.length()).append(" chars)");
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    if (Character.isISOControl(c)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.FORMAT;
  }
}
