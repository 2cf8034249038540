package io.caudal.maintenance;

import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Runs picocli over a command line and words every error the same way: the option, what it must
 * be, and what it got ({@code --retention-days must be a whole number, got 'many'}).
 */
final class OptionParser {
  private OptionParser() {}

  /**
   * Fills the annotated fields of {@code cli} from {@code args}; the returned command line says
   * whether help was asked for.
   *
   * @throws UsageException naming the option and what is wrong with it
   */
  static CommandLine parse(Object cli, String... args) {
    CommandLine command = commandLine(cli);
    try {
      command.parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(describe(e));
    }
    return command;
  }

  /** The help text: every option with its default. */
  static String usage(Object cli) {
    return commandLine(cli).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private static CommandLine commandLine(Object cli) {
    CommandLine command = new CommandLine(cli)
        .registerConverter(Integer.class, OptionParser::wholeNumber)
        .registerConverter(Integer.TYPE, OptionParser::wholeNumber);
    // As before picocli: an option given twice takes its last value (a scheduler may append an override).
    command.setOverwrittenOptionsAllowed(true);
    return command;
  }

  private static String describe(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      return first.startsWith("-") ? "unknown option " + first : "unexpected argument '" + first + "'";
    }
    if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()) {
      ArgSpec arg = missing.getMissing().get(0);
      return arg instanceof OptionSpec option ? option.longestName() + " needs a value" : "missing " + arg.paramLabel();
    }
    if (e.getCause() instanceof TypeConversionException conversion && e.getArgSpec() != null) {
      return name(e.getArgSpec()) + " " + conversion.getMessage() + ", got '" + e.getValue() + "'";
    }
    return e.getMessage();
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }

  private static Integer wholeNumber(String text) {
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw new TypeConversionException(isInteger(text)
          ? "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : "must be a whole number");
    }
  }

  private static boolean isInteger(String text) {
    try {
      new BigInteger(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** An ISO-8601 time with an offset, as Airflow renders its dates. */
  static final class OffsetInstant implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("must be an ISO-8601 time with an offset, e.g. 2026-01-31T00:00:00Z");
      }
    }
  }
}
