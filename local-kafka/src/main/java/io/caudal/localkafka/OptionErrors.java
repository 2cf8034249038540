package io.caudal.localkafka;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Words picocli's parse errors as one line that names the option and says what was wrong. */
final class OptionErrors {
  private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(int.class, Integer.class, long.class, Long.class);

  private OptionErrors() {}

  /**
   * @param args the command line that failed, to tell an option given without its value from one not given
   * @param unknownOption how to word an argument nothing expects; {@code %s} is the argument
   */
  static String describe(ParameterException error, String[] args, String unknownOption) {
    if (error instanceof UnmatchedArgumentException unmatched) {
      return String.format(unknownOption, unmatched.getUnmatched().get(0));
    }
    if (error instanceof MissingParameterException missing
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      return option.longestName() + (given(option, args) ? " needs a value" : " is required");
    }
    ArgSpec spec = error.getArgSpec();
    if (spec instanceof OptionSpec option && error.getCause() instanceof TypeConversionException conversion) {
      if (WHOLE_NUMBERS.contains(option.type())) {
        return option.longestName() + " must be a whole number, got '" + error.getValue() + "'";
      }
      return option.longestName() + " " + conversion.getMessage();
    }
    return error.getMessage();
  }

  private static boolean given(OptionSpec option, String[] args) {
    List<String> names = List.of(option.names());
    return Arrays.stream(args).anyMatch(arg -> names.contains(arg) || names.contains(arg.split("=", 2)[0]));
  }
}
