package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void aNewlineCannotStartALineOfItsOwn() {
    String forged = "mallory\n2026-01-01 12:00:00 INFO login for 'admin' succeeded\r\n";
    assertThat(LogText.quoted(forged))
        .isEqualTo("\"mallory\\n2026-01-01 12:00:00 INFO login for 'admin' succeeded\\r\\n\"")
        .doesNotContain("\n", "\r");
  }

  @Test
  void quotesBackslashesControlsSeparatorsAndBidiOverridesAreEscaped() {
    assertThat(LogText.quoted("a\"b\\c\td\u0000e\u001bf\u2028g\u2029h\u202ei\u0085j"))
        .isEqualTo("\"a\\\"b\\\\c\\td\\u0000e\\u001bf\\u2028g\\u2029h\\u202ei\\u0085j\"");
  }

  @Test
  void plainTextIsOnlyQuotedAndNullSaysSo() {
    assertThat(LogText.quoted("ops@example.org")).isEqualTo("\"ops@example.org\"");
    assertThat(LogText.quoted("Zoë 東京")).isEqualTo("\"Zoë 東京\"");
    assertThat(LogText.quoted(null)).isEqualTo("(none)");
  }

  @Test
  void aLongValueIsCutAndSaysHowLongItWas() {
    String quoted = LogText.quoted("x".repeat(500_000));
    assertThat(quoted).hasSize(LogText.MAX_CHARS + 2 + "…(500000 chars)".length()).endsWith("\"…(500000 chars)");
  }
}
