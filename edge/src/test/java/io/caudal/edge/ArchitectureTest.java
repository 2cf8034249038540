package io.caudal.edge;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.caudal.testing.ArchitectureRules;

/** edge has no engine, so no core package: what ships in its jar uses no test code. */
@AnalyzeClasses(packages = "io.caudal.edge")
class ArchitectureTest {
  @ArchTest static final ArchRule noTestCodeInProduction = ArchitectureRules.NO_TEST_CODE_IN_PRODUCTION;
}
