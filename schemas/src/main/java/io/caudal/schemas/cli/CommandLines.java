package io.caudal.schemas.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * How every Caudal entry point reads its command line: picocli over a class of annotated fields,
 * with errors worded the same way everywhere, in one line that names the option and says what
 * was wrong ({@code --als-rank must be a whole number, got 'many'}, {@code missing --root},
 * {@code --port needs a value}, {@code unknown option --speed}), and exit code 2 for them.
 */
public final class CommandLines {

  /** The exit code of a command line refused (as getopt-style tools use it). */
  public static final int USAGE_EXIT_CODE = 2;

  private CommandLines() {}

  /**
   * Fills the annotated fields of {@code cli} from {@code args}.
   *
   * @return {@code cli}, or empty when {@code --help} was asked for
   * @throws UsageException naming the option and what is wrong with it
   */
  public static <C> Optional<C> parse(C cli, String... args) {
    CommandLine command = commandLine(cli);
    try {
      command.parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(describe(e, args));
    }
    return command.isUsageHelpRequested() ? Optional.empty() : Optional.of(cli);
  }

  /** The help text of {@code cli}: every option, with its default. */
  public static String usage(Object cli) {
    return commandLine(cli).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /**
   * {@code value}, when it is at least {@code min}: for the checks picocli's types cannot make.
   *
   * @throws UsageException {@code --option must be at least MIN, got VALUE}
   */
  public static long atLeast(String option, long min, long value) {
    if (value < min) {
      throw new UsageException(option + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /**
   * {@code value}, when it lies from {@code min} to {@code max}, both included.
   *
   * @throws UsageException {@code --option must be between MIN and MAX, got VALUE}
   */
  public static long between(String option, long min, long max, long value) {
    if (value < min || value > max) {
      throw new UsageException(option + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** Says what was wrong on {@code err}, with the program's name and a pointer to --help; returns the exit code. */
  public static int refuse(String program, UsageException e, PrintStream err) {
    err.println(program + ": " + e.getMessage() + " (--help lists the options)");
    return USAGE_EXIT_CODE;
  }

  /**
   * A picocli command line over {@code cli} with Caudal's number wording, for programs with
   * subcommands that drive it themselves; their errors go through {@link #describe}.
   */
  public static CommandLine commandLine(Object cli) {
    ITypeConverter<Integer> wholeNumber = text -> whole(text, Integer::valueOf);
    ITypeConverter<Long> longNumber = text -> whole(text, Long::valueOf);
    ITypeConverter<Double> number = CommandLines::number;
    CommandLine command = new CommandLine(cli)
        .registerConverter(Integer.class, wholeNumber).registerConverter(Integer.TYPE, wholeNumber)
        .registerConverter(Long.class, longNumber).registerConverter(Long.TYPE, longNumber)
        .registerConverter(Double.class, number).registerConverter(Double.TYPE, number);
    // An option given twice takes its last value: a scheduler may append an override.
    command.setOverwrittenOptionsAllowed(true);
    return command;
  }

  /** One line for a parse error: the option, what it must be, and what it got. */
  public static String describe(ParameterException error, String... args) {
    if (error instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      return first.startsWith("-") ? "unknown option " + first : "unexpected argument '" + first + "'";
    }
    if (error instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
      ArgSpec arg = missing.getMissing().get(0);
      if (arg instanceof OptionSpec option) {
        return given(option, args) ? option.longestName() + " needs a value" : "missing " + option.longestName();
      }
      return "missing " + arg.paramLabel();
    }
    if (error.getCause() instanceof TypeConversionException conversion && error.getArgSpec() != null) {
      return name(error.getArgSpec()) + " " + conversion.getMessage() + ", got '" + error.getValue() + "'";
    }
    return error.getMessage();
  }

  private static boolean given(OptionSpec option, String[] args) {
    List<String> names = List.of(option.names());
    return Arrays.stream(args).anyMatch(arg -> names.contains(arg.split("=", 2)[0]));
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }

  private static <N extends Number> N whole(String text, Function<String, N> parse) {
    try {
      return parse.apply(text.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException(text.trim().matches("[+-]?\\d+")
          ? "must be a whole number within " + (parse.apply("0") instanceof Integer ? "±2^31" : "±2^63")
          : "must be a whole number");
    }
  }

  private static Double number(String text) {
    try {
      return Double.valueOf(text.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be a number");
    }
  }
}
