package io.caudal.schemas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CommandLinesTest {

  @Command(name = "example")
  static final class Cli {
    @Option(names = "--root", required = true, description = "where everything goes")
    String root;
    @Option(names = "--count", description = "how many (default ${DEFAULT-VALUE})")
    int count = 3;
    @Option(names = "--seed", description = "any long")
    long seed;
    @Option(names = "--lambda", description = "a real number")
    double lambda = 250.0;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
  }

  @Test
  void fillsTheFieldsAndTakesTheLastOfARepeatedOption() {
    Cli cli = CommandLines.parse(new Cli(), "--root", "/r", "--count", "5", "--seed", "0", "--seed",
        "9000000000", "--lambda", "250.7").orElseThrow();

    assertThat(cli.root).isEqualTo("/r");
    assertThat(cli.count).isEqualTo(5);
    assertThat(cli.seed).isEqualTo(9_000_000_000L);
    assertThat(cli.lambda).isEqualTo(250.7);
  }

  @Test
  void isEmptyWhenHelpIsAskedForAndTheHelpListsEveryOption() {
    assertThat(CommandLines.parse(new Cli(), "--help")).isEmpty();
    assertThat(CommandLines.usage(new Cli())).contains("--root", "--count", "(default 3)", "--seed", "--lambda", "--help");
  }

  @Test
  void wordsEachErrorInOneLineThatNamesTheOption() {
    assertRefused("unknown option --speed", "--root", "/r", "--speed", "2");
    assertRefused("unexpected argument 'extra'", "--root", "/r", "extra");
    assertRefused("missing --root", "--count", "2");
    assertRefused("--count needs a value", "--root", "/r", "--count");
    assertRefused("--count must be a whole number, got 'many'", "--root", "/r", "--count", "many");
    assertRefused("--count must be a whole number, got '2.5'", "--root", "/r", "--count", "2.5");
    assertRefused("--count must be a whole number within ±2^31, got '3000000000'", "--root", "/r", "--count", "3000000000");
    assertRefused("--lambda must be a number, got 'big'", "--root", "/r", "--lambda", "big");
  }

  @Test
  void checksBoundsPicocliCannotAndNamesTheOptionAndTheValue() {
    assertThat(CommandLines.atLeast("--count", 1, 1)).isEqualTo(1);
    assertThat(CommandLines.between("--port", 1, 65_535, 65_535)).isEqualTo(65_535);
    assertThatThrownBy(() -> CommandLines.atLeast("--count", 1, 0))
        .isInstanceOf(UsageException.class).hasMessage("--count must be at least 1, got 0");
    assertThatThrownBy(() -> CommandLines.between("--port", 1, 65_535, 65_536))
        .isInstanceOf(UsageException.class).hasMessage("--port must be between 1 and 65535, got 65536");
    assertThatThrownBy(() -> CommandLines.between("--port", 1, 65_535, 0))
        .isInstanceOf(UsageException.class).hasMessage("--port must be between 1 and 65535, got 0");
  }

  @Test
  void refusingPrintsTheProgramTheReasonAndAPointerToHelpAndGivesExitCodeTwo() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = CommandLines.refuse("caudal-example", new UsageException("missing --root"),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("caudal-example: missing --root (--help lists the options)"
        + System.lineSeparator());
  }

  private static void assertRefused(String message, String... args) {
    assertThatThrownBy(() -> CommandLines.parse(new Cli(), args)).isInstanceOf(UsageException.class).hasMessage(message);
  }
}
