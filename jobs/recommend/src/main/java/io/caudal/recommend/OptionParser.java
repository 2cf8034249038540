package io.caudal.recommend;

import java.math.BigInteger;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Runs picocli over a command line and words every error the same way: the option, what it must
 * be, and what it got ({@code --als-rank must be a whole number, got 'many'}).
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
    ITypeConverter<Integer> wholeNumber = text -> whole(text, Integer::valueOf, Integer.MIN_VALUE, Integer.MAX_VALUE);
    ITypeConverter<Long> longNumber = text -> whole(text, Long::valueOf, Long.MIN_VALUE, Long.MAX_VALUE);
    ITypeConverter<Double> number = OptionParser::number;
    CommandLine command = new CommandLine(cli)
        .registerConverter(Integer.class, wholeNumber).registerConverter(Integer.TYPE, wholeNumber)
        .registerConverter(Long.class, longNumber).registerConverter(Long.TYPE, longNumber)
        .registerConverter(Double.class, number).registerConverter(Double.TYPE, number);
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

  private static <N extends Number> N whole(String text, Function<String, N> parse, long min, long max) {
    try {
      return parse.apply(text);
    } catch (NumberFormatException e) {
      throw new TypeConversionException(isInteger(text)
          ? "must be a whole number from " + min + " to " + max : "must be a whole number");
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

  private static Double number(String text) {
    try {
      return Double.valueOf(text);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be a number");
    }
  }
}
