package io.caudal.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules of docs/ARCHITECTURE.md that Maven cannot see, for each module's ArchitectureTest:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "io.caudal.qoe")
 * class ArchitectureTest {
 *   @ArchTest static final ArchRule coreIsEngineFree = ArchitectureRules.CORE_IS_ENGINE_FREE;
 *   @ArchTest static final ArchRule noTestCodeInProduction = ArchitectureRules.NO_TEST_CODE_IN_PRODUCTION;
 * }
 * }</pre>
 *
 * Import test classes too (ArchUnit's default): the second rule needs to know which classes are tests.
 */
public final class ArchitectureRules {

  /** The engine-free domain logic of every module lives in packages named {@code core}. */
  public static final String CORE_PACKAGES = "io.caudal..core..";

  /**
   * Domain logic is plain Java, tested with a plain call: no Spark, Flink or Hadoop type in a
   * {@code core} package, so it runs, and is tested, without an engine.
   */
  public static final ArchRule CORE_IS_ENGINE_FREE = noClasses()
      .that().resideInAPackage(CORE_PACKAGES)
      .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.apache.flink..", "org.apache.hadoop..")
      .because("core packages hold the engine-free domain logic; engine glue belongs in the spark or flink package");

  private static final DescribedPredicate<JavaClass> TEST_CODE = new DescribedPredicate<>(
      "are test code (compiled from src/test, or a test library)") {
    @Override
    public boolean test(JavaClass type) {
      boolean fromTestSources = type.getSource()
          .map(source -> source.getUri().toString().contains("/test-classes/"))
          .orElse(false);
      String name = type.getPackageName();
      return fromTestSources
          || name.startsWith("org.junit")
          || name.startsWith("org.assertj")
          || name.startsWith("org.awaitility")
          || name.startsWith("com.tngtech.archunit")
          || name.startsWith("io.caudal.testing")
          || name.startsWith("org.apache.flink.test")
          || name.startsWith("org.apache.flink.streaming.util")
          || name.startsWith("org.apache.kafka.common.test");
    }
  };

  private static final DescribedPredicate<JavaClass> PRODUCTION_CODE = new DescribedPredicate<>(
      "are production code (compiled from src/main)") {
    @Override
    public boolean test(JavaClass type) {
      return type.getSource().map(source -> !source.getUri().toString().contains("/test-classes/")).orElse(false);
    }
  };

  /** What ships in a jar never reaches for a test fixture, a test library or a test class. */
  public static final ArchRule NO_TEST_CODE_IN_PRODUCTION = noClasses()
      .that(PRODUCTION_CODE)
      .should().dependOnClassesThat(TEST_CODE)
      .because("test fixtures and test libraries are not in the shaded jars");

  private ArchitectureRules() {}
}
