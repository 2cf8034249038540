package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** OWASP's rule against CSV injection, cell by cell. */
class CsvCellTest {

  @ParameterizedTest
  @ValueSource(strings = {"=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://evil\",\"click\")"})
  void textThatAFormulaCouldStartWithGetsALeadingQuote(String text) {
    assertThat(SqlAnswers.csvCell(text)).isEqualTo("'" + text);
  }

  @Test
  void otherTextAndNumbersStayAsTheyAre() {
    assertThat(SqlAnswers.csvCell("srv-1")).isEqualTo("srv-1");
    assertThat(SqlAnswers.csvCell(" =1")).isEqualTo(" =1");
    assertThat(SqlAnswers.csvCell("")).isEqualTo("");
    assertThat(SqlAnswers.csvCell(null)).isEqualTo("");
    assertThat(SqlAnswers.csvCell(-5L)).isEqualTo(-5L);
    assertThat(SqlAnswers.csvCell(-0.25)).isEqualTo(-0.25);
  }

  @Test
  void nestedValuesAreJsonText() {
    assertThat(SqlAnswers.csvCell(List.of("=1", 2))).isEqualTo("[\"=1\",2]");
    assertThat(SqlAnswers.csvCell(Map.of("a", 1))).isEqualTo("{\"a\":1}");
    assertThat(SqlAnswers.csvCell(true)).isEqualTo("true");
  }
}
