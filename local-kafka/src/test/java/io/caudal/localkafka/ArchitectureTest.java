package io.caudal.localkafka;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.caudal.testing.ArchitectureRules;

/** The broker and the load tool have no engine, so no core packages: only the test-code rule applies. */
@AnalyzeClasses(packages = "io.caudal.localkafka")
class ArchitectureTest {
  @ArchTest static final ArchRule noTestCodeInProduction = ArchitectureRules.NO_TEST_CODE_IN_PRODUCTION;
}
