package io.caudal.transcode.core.text;

/** Line splitting shared by the text formats. */
final class Lines {
  private Lines() {}

  /** The lines of a text, without a byte-order mark; CRLF, CR and LF all end a line. */
  static String[] split(String content) {
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    return text.isEmpty() ? new String[0] : text.split("\r\n|\r|\n", -1);
  }
}
