package io.caudal.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caudal.schemas.cli.UsageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BrokerOptionsTest {

  @Test
  void defaultsToPort9092InCaudalDataKafka() {
    BrokerOptions options = BrokerOptions.parse().orElseThrow();
    assertThat(options.port()).isEqualTo(9092);
    assertThat(options.dataDir()).isEqualTo(Path.of("caudal-data", "kafka").toAbsolutePath());
  }

  @Test
  void takesDataDirectoryAndPort() {
    BrokerOptions options = BrokerOptions.parse("--data", "/tmp/k", "--port", "19092").orElseThrow();
    assertThat(options).isEqualTo(new BrokerOptions(Path.of("/tmp/k"), 19092));
  }

  @Test
  void namesTheOptionThatIsWrong() {
    assertThatThrownBy(() -> BrokerOptions.parse("--port", "nine")).isInstanceOf(UsageException.class)
        .hasMessage("--port must be a whole number, got 'nine'");
    assertThatThrownBy(() -> BrokerOptions.parse("--port", "70000")).isInstanceOf(UsageException.class)
        .hasMessage("--port must be between 1 and 65535, got 70000");
    assertThatThrownBy(() -> BrokerOptions.parse("--data")).isInstanceOf(UsageException.class)
        .hasMessage("--data needs a value");
    assertThatThrownBy(() -> BrokerOptions.parse("--prot", "1")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option --prot");
  }

  @Test
  void anOptionFollowedByAnotherOptionHasNoValue() {
    assertThatThrownBy(() -> BrokerOptions.parse("--data", "--port", "9093"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--data needs a value");
  }

  @Test
  void helpIsNotAnErrorAndListsEveryOptionWithItsDefault() {
    assertThat(BrokerOptions.parse("--help")).isEmpty();
    assertThat(BrokerOptions.help()).contains("--data", "--port", "--help", "9092", Path.of("caudal-data", "kafka").toString());
  }
}
