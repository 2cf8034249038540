package io.caudal.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that starts a real engine or process: Spark, a Flink MiniCluster, a Kafka
 * broker, HDFS, FFmpeg on media, a browser, a cluster. {@code bin/caudal test --fast} leaves them
 * out and runs the engine-free rest; {@code bin/caudal test} runs everything.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {
  /** The JUnit tag, for {@code -DexcludedGroups=integration}. */
  String TAG = "integration";
}
