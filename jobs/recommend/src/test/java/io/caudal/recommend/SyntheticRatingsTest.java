package io.caudal.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The benchmark data's command line: a folder and up to five numbers, by position. */
class SyntheticRatingsTest {
  @Test
  void readsTheBenchmarksArguments() {
    assertThat(SyntheticRatings.Options.parse("/data", "600", "370", "100000", "20", "42"))
        .contains(new SyntheticRatings.Options(Path.of("/data"), 600, 370, 100_000, 20, 42));
  }

  @Test
  void defaultsToTheSizeOfMovieLens1m() {
    assertThat(SyntheticRatings.Options.parse("/data")).contains(new SyntheticRatings.Options(Path.of("/data"),
        6040, 3706, 1_000_209, 20, 42));
  }

  @Test
  void refusesBadArgumentsNamingThem() {
    assertThatThrownBy(() -> SyntheticRatings.Options.parse())
        .isInstanceOf(UsageException.class).hasMessage("missing DIR");
    assertThatThrownBy(() -> SyntheticRatings.Options.parse("/data", "many"))
        .isInstanceOf(UsageException.class).hasMessage("USERS must be a whole number, got 'many'");
    assertThatThrownBy(() -> SyntheticRatings.Options.parse("/data", "60", "10", "100", "11"))
        .isInstanceOf(UsageException.class).hasMessage("CLUSTERS must be a whole number from 1 to ITEMS (10), got '11'");
    assertThatThrownBy(() -> SyntheticRatings.Options.parse("/data", "--users", "6"))
        .isInstanceOf(UsageException.class).hasMessage("unknown option --users");
    assertThatThrownBy(() -> SyntheticRatings.Options.parse("/data", "1", "2", "3", "1", "5", "6"))
        .isInstanceOf(UsageException.class).hasMessage("unexpected argument '6'");
  }

  @Test
  void helpIsNotAnErrorAndListsEveryArgument() {
    assertThat(SyntheticRatings.Options.parse("--help")).isEmpty();
    assertThat(SyntheticRatings.Options.usage()).contains("DIR", "USERS", "ITEMS", "INTERACTIONS", "CLUSTERS", "SEED");
  }
}
