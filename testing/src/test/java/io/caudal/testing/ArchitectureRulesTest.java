package io.caudal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import io.caudal.testing.fixture.core.HadoopInCore;
import io.caudal.testing.fixture.core.PlainCore;
import io.caudal.testing.kafka.KafkaBroker;
import org.junit.jupiter.api.Test;

/** The shared rules catch what they are written to catch, and pass what keeps them. */
class ArchitectureRulesTest {

  @Test
  void coreRuleRefusesACoreClassThatUsesHadoop() {
    EvaluationResult result = ArchitectureRules.CORE_IS_ENGINE_FREE.evaluate(importOnly(HadoopInCore.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(line -> line.contains(HadoopInCore.class.getName()) && line.contains("org.apache.hadoop.conf.Configuration"));
  }

  @Test
  void coreRulePassesPlainJava() {
    assertThat(ArchitectureRules.CORE_IS_ENGINE_FREE.evaluate(importOnly(PlainCore.class)).hasViolation()).isFalse();
  }

  @Test
  void productionRuleRefusesMainCodeThatUsesJUnit() {
    // KafkaBroker is compiled from src/main (of this module) and implements JUnit's callbacks:
    // in any other module that would be test code shipped in a jar.
    EvaluationResult result = ArchitectureRules.NO_TEST_CODE_IN_PRODUCTION.evaluate(importOnly(KafkaBroker.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails()).anyMatch(line -> line.contains("org.junit.jupiter"));
  }

  @Test
  void productionRuleIgnoresTestClassesAndPassesPlainMainCode() {
    // This class is test code: it may use JUnit and AssertJ as much as it likes. SampleEvents is
    // main code that uses the schemas only.
    assertThat(ArchitectureRules.NO_TEST_CODE_IN_PRODUCTION
        .evaluate(importOnly(ArchitectureRulesTest.class, SampleEvents.class)).hasViolation()).isFalse();
  }

  private static JavaClasses importOnly(Class<?>... types) {
    return new ClassFileImporter().importClasses(types);
  }
}
