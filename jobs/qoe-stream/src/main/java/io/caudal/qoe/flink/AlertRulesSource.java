package io.caudal.qoe.flink;

import io.caudal.schemas.AlertRule;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threshold rules as a stream: the rules folder read again every poll interval (processing
 * time), each read the whole set in force. A read that fails (the file system unreachable) keeps
 * the last set, so a passing outage does not drop every rule.
 */
public final class AlertRulesSource {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRulesSource.class);

  private AlertRulesSource() {}

  /** Reads the rules every {@code poll} while the job runs. */
  public static DataGeneratorSource<List<AlertRule>> polling(String root, Duration poll) {
    return new DataGeneratorSource<>(new Read(new AlertRulesFolder(root)), Long.MAX_VALUE,
        RateLimiterStrategy.perSecond(1000.0 / poll.toMillis()), Alerts.RULES);
  }

  /** Reads the rules once (a bounded run: a replay, a backfill). */
  public static DataGeneratorSource<List<AlertRule>> once(String root) {
    return new DataGeneratorSource<>(new Read(new AlertRulesFolder(root)), 1, Alerts.RULES);
  }

  private static final class Read implements GeneratorFunction<Long, List<AlertRule>> {
    private final AlertRulesFolder folder;
    private List<AlertRule> last = List.of();

    Read(AlertRulesFolder folder) {
      this.folder = folder;
    }

    @Override
    public List<AlertRule> map(Long poll) {
      try {
        last = folder.read();
      } catch (Exception e) {
        LOG.warn("alert rules not read, keeping the {} in force: {}", last.size(), e.toString());
      }
      return last;
    }
  }
}
