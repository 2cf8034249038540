package io.caudal.transcode.core.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Reads a sidecar subtitle file of any supported format, chosen by its extension or else its content. */
public final class SubtitleFiles {
  /** The formats read. */
  public enum Format { WEBVTT, SRT, TTML }

  private SubtitleFiles() {}

  /**
   * The cues of a file, as written (not yet cleaned).
   *
   * @param name the file's name, for the format and for error messages
   * @throws SubtitleFormatException naming the file, the line and the cause
   */
  public static List<Cue> parse(String name, byte[] content) {
    Format format = formatOf(name, content);
    return switch (format) {
      case TTML -> TtmlParser.parse(name, content);
      case WEBVTT -> WebVttParser.parse(name, utf8(name, content));
      case SRT -> SrtParser.parse(name, utf8(name, content));
    };
  }

  /** By extension (.vtt, .srt, .ttml/.xml/.dfxp), else by the first characters. */
  public static Format formatOf(String name, byte[] content) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".vtt") || lower.endsWith(".webvtt")) {
      return Format.WEBVTT;
    }
    if (lower.endsWith(".srt")) {
      return Format.SRT;
    }
    if (lower.endsWith(".ttml") || lower.endsWith(".xml") || lower.endsWith(".dfxp")) {
      return Format.TTML;
    }
    String head = new String(content, 0, Math.min(content.length, 64), StandardCharsets.UTF_8)
        .replace("\uFEFF", "").stripLeading();
    if (head.startsWith("WEBVTT")) {
      return Format.WEBVTT;
    }
    if (head.startsWith("<")) {
      return Format.TTML;
    }
    if (head.matches("(?s)^\\d+\\s*\\R.*")) {
      return Format.SRT;
    }
    throw new SubtitleFormatException(name, 1, "not WebVTT, SRT or TTML (name it .vtt, .srt or .ttml)");
  }

  /** The text of a UTF-8 file; anything else is refused at the line where it stops being UTF-8. */
  static String utf8(String name, byte[] content) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content);
    try {
      CharBuffer text = decoder.decode(in);
      return text.toString();
    } catch (CharacterCodingException e) {
      int line = 1;
      for (int i = 0; i < in.position() && i < content.length; i++) {
        if (content[i] == '\n') {
          line++;
        }
      }
      throw new SubtitleFormatException(name, line, "not UTF-8 text (convert the file to UTF-8)");
    }
  }
}
