package io.caudal.qoe;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.caudal.testing.ArchitectureRules;

@AnalyzeClasses(packages = "io.caudal.qoe")
class ArchitectureTest {
  @ArchTest
  static final ArchRule coreIsEngineFree = ArchitectureRules.CORE_IS_ENGINE_FREE;
  @ArchTest
  static final ArchRule noTestCodeInProduction = ArchitectureRules.NO_TEST_CODE_IN_PRODUCTION;
}
