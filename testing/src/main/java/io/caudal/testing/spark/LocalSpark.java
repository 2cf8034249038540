package io.caudal.testing.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Spark {@code local[2]} session per test class: UI off, driver bound to loopback, two shuffle
 * partitions (the default 200 would make every small test schedule 200 tasks). Register it on a
 * static field:
 *
 * <pre>{@code
 * @RegisterExtension static final LocalSpark SPARK = new LocalSpark("caudal-recommend-test");
 * }</pre>
 */
public final class LocalSpark implements BeforeAllCallback, AfterAllCallback {

  private final String appName;
  private SparkSession session;
  /** The test class whose life the session follows. */
  private String startedBy;

  public LocalSpark(String appName) {
    this.appName = appName;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // @Nested classes see their outer class's extensions again: one session for all of them.
    if (startedBy != null) {
      return;
    }
    startedBy = context.getUniqueId();
    session = SparkSession.builder()
        .master("local[2]")
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    session.sparkContext().setLogLevel("WARN");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getUniqueId().equals(startedBy)) {
      startedBy = null;
      session.stop();
      session = null;
    }
  }

  public SparkSession session() {
    if (session == null) {
      throw new IllegalStateException("Spark is not started: register LocalSpark with @RegisterExtension on a static field");
    }
    return session;
  }

  /** The session's context for RDD code, as a Java API. */
  public JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
  }
}
