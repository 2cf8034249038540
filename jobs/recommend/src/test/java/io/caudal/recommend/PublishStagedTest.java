package io.caudal.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import org.junit.jupiter.api.Test;

/** The publication's command line; publishing itself is tested with the job, on Spark. */
class PublishStagedTest {
  @Test
  void readsTheRootAndTheStage() {
    assertThat(PublishStaged.Options.parse("--root", "hdfs://nn:8020/caudal", "--stage", "hdfs://nn:8020/caudal/s/1"))
        .contains(new PublishStaged.Options("hdfs://nn:8020/caudal", "hdfs://nn:8020/caudal/s/1"));
  }

  @Test
  void refusesBadCommandLinesNamingTheOption() {
    assertThatThrownBy(() -> PublishStaged.Options.parse("--root", "/d"))
        .isInstanceOf(UsageException.class).hasMessage("missing --stage");
    assertThatThrownBy(() -> PublishStaged.Options.parse("--stage", "/s"))
        .isInstanceOf(UsageException.class).hasMessage("missing --root");
    assertThatThrownBy(() -> PublishStaged.Options.parse("--root", "/d", "--stage"))
        .isInstanceOf(UsageException.class).hasMessage("--stage needs a value");
    assertThatThrownBy(() -> PublishStaged.Options.parse("--root", "/d", "--stage", "/s", "--force", "yes"))
        .isInstanceOf(UsageException.class).hasMessage("unknown option --force");
  }

  @Test
  void helpIsNotAnErrorAndListsEveryOption() {
    assertThat(PublishStaged.Options.parse("--help")).isEmpty();
    assertThat(PublishStaged.Options.usage()).contains("--root", "--stage", "--help");
  }
}
