package io.caudal.transcode.core.lang;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.regex.Pattern;

/**
 * Language tags of audio, text and operators as BCP 47 ("en", "fr", "pt-BR") and the names players list
 * them by, each in its own language ("English", "Français"). Containers tag streams with ISO
 * 639-2 codes, in the terminology ("fra", "deu") or the bibliographic ("fre", "ger") form; both
 * become the two-letter code when ISO 639-1 has one.
 */
public final class Languages {
  public static final String UNDETERMINED = "und";
  /** What a stream of no known language is called. */
  public static final String UNNAMED = "Main";

  private static final Pattern TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
  private static final Map<String, String> TO_TWO_LETTERS = new HashMap<>();

  static {
    for (String two : Locale.getISOLanguages()) {
      try {
        TO_TWO_LETTERS.put(Locale.forLanguageTag(two).getISO3Language(), two);
      } catch (MissingResourceException e) {
        // a code without a three-letter form: nothing to map
      }
    }
    // ISO 639-2/B codes, which differ from the /T codes the JDK knows.
    String[][] bibliographic = {{"alb", "sq"}, {"arm", "hy"}, {"baq", "eu"}, {"bur", "my"}, {"chi", "zh"},
        {"cze", "cs"}, {"dut", "nl"}, {"fre", "fr"}, {"geo", "ka"}, {"ger", "de"}, {"gre", "el"}, {"ice", "is"},
        {"mac", "mk"}, {"mao", "mi"}, {"may", "ms"}, {"per", "fa"}, {"rum", "ro"}, {"slo", "sk"}, {"tib", "bo"},
        {"wel", "cy"}};
    for (String[] pair : bibliographic) {
      TO_TWO_LETTERS.put(pair[0], pair[1]);
    }
  }

  private Languages() {}

  /**
   * The BCP 47 form of a container's or an operator's language tag ("eng" → "en", "fre" → "fr",
   * "pt_br" → "pt-BR"); "und" for null, blank, "und" or anything that is not a language tag.
   */
  public static String normalise(String tag) {
    if (tag == null) {
      return UNDETERMINED;
    }
    String t = tag.strip().replace('_', '-');
    if (!TAG.matcher(t).matches()) {
      return UNDETERMINED;
    }
    String[] parts = t.split("-", 2);
    String language = parts[0].toLowerCase(Locale.ROOT);
    language = TO_TWO_LETTERS.getOrDefault(language, language);
    if (UNDETERMINED.equals(language)) {
      return UNDETERMINED;
    }
    Locale locale = Locale.forLanguageTag(language + (parts.length > 1 ? "-" + parts[1] : ""));
    String normal = locale.toLanguageTag();
    return normal.isEmpty() || UNDETERMINED.equals(normal) ? UNDETERMINED : normal;
  }

  /** Whether an operator's tag names a language ({@code --audio-lang}). */
  public static boolean isLanguage(String tag) {
    return !UNDETERMINED.equals(normalise(tag));
  }

  /**
   * The name of a language in that language, capitalised as a list item: "English", "Français",
   * "Português (Brasil)"; {@link #UNNAMED} for "und".
   */
  public static String nameOf(String bcp47) {
    if (UNDETERMINED.equals(bcp47)) {
      return UNNAMED;
    }
    Locale locale = Locale.forLanguageTag(bcp47);
    String name = locale.getCountry().isEmpty() ? locale.getDisplayLanguage(locale) : locale.getDisplayName(locale);
    if (name.isEmpty()) {
      return bcp47;
    }
    return name.substring(0, 1).toUpperCase(locale) + name.substring(1);
  }
}
