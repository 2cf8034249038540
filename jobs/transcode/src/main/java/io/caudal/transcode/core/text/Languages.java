package io.caudal.transcode.core.text;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;

/** Language tags as containers write them (ISO 639-2 "eng", "fre") turned into BCP 47 ("en", "fr"). */
public final class Languages {
  private static final Map<String, String> THREE_TO_TWO = new HashMap<>();

  static {
    for (String two : Locale.getISOLanguages()) {
      try {
        THREE_TO_TWO.put(Locale.forLanguageTag(two).getISO3Language(), two);
      } catch (MissingResourceException e) {
        // a language without a three-letter code keeps its own tag
      }
    }
    // ISO 639-2/B codes that differ from the /T ones Java knows.
    String[][] bibliographic = {{"fre", "fr"}, {"ger", "de"}, {"chi", "zh"}, {"cze", "cs"}, {"dut", "nl"},
        {"gre", "el"}, {"per", "fa"}, {"rum", "ro"}, {"slo", "sk"}, {"wel", "cy"}, {"alb", "sq"}, {"arm", "hy"},
        {"baq", "eu"}, {"bur", "my"}, {"geo", "ka"}, {"ice", "is"}, {"mac", "mk"}, {"mao", "mi"}, {"may", "ms"},
        {"tib", "bo"}};
    for (String[] pair : bibliographic) {
      THREE_TO_TWO.put(pair[0], pair[1]);
    }
  }

  private Languages() {}

  /** BCP 47 tag of a container's language tag; "und" for none. */
  public static String toBcp47(String tag) {
    if (tag == null || tag.isBlank()) {
      return "und";
    }
    String t = tag.strip().replace('_', '-');
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("und") || lower.equals("zxx") || lower.equals("mis") || lower.equals("mul")) {
      return lower;
    }
    return THREE_TO_TWO.getOrDefault(lower, Locale.forLanguageTag(t).toLanguageTag());
  }
}
