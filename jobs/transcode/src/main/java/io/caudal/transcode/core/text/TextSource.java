package io.caudal.transcode.core.text;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * A text track as it came in: a sidecar file or a text stream of the source, with its cues.
 *
 * @param language BCP 47 tag ("en", "pt-BR"); "und" when unknown
 * @param origin the sidecar file's name, or {@code stream:<index>} of the source
 */
public record TextSource(String language, TextKind kind, String origin, List<Cue> cues) implements Serializable {

  /** {@code text-en}, {@code text-en-sdh}, {@code text-fr-forced}. */
  public String trackId() {
    return "text-" + language + kind.suffix();
  }

  /** The folder under the title: {@code text/en}, {@code text/en-sdh}. */
  public String dir() {
    return "text/" + language + kind.suffix();
  }

  /** What a player lists it as: "English", "English (SDH)", "French (forced)". */
  public String name() {
    Locale locale = Locale.forLanguageTag(language);
    String languageName = locale.getDisplayLanguage(Locale.ENGLISH);
    if (languageName.isEmpty() || "und".equals(language)) {
      languageName = "und".equals(language) ? "Unknown language" : language;
    }
    return switch (kind) {
      case SUBTITLE -> languageName;
      case CAPTION -> languageName + " (SDH)";
      case FORCED -> languageName + " (forced)";
    };
  }
}
