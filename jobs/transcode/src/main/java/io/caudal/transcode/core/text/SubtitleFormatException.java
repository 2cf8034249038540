package io.caudal.transcode.core.text;

/** A subtitle file that cannot be read; the message names the file, the line and the cause. */
public class SubtitleFormatException extends RuntimeException {
  private final String file;
  private final int line;

  public SubtitleFormatException(String file, int line, String cause) {
    super(file + ": line " + line + ": " + cause);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  /** 1-based line of the problem. */
  public int line() {
    return line;
  }
}
