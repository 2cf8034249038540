package io.caudal.transcode;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.caudal.testing.ArchitectureRules;

/** Planning, media, boxes and packaging stay free of Spark and Hadoop; no test code ships in the jar. */
@AnalyzeClasses(packages = "io.caudal.transcode")
class ArchitectureTest {
  @ArchTest
  static final ArchRule coreIsEngineFree = ArchitectureRules.CORE_IS_ENGINE_FREE;

  @ArchTest
  static final ArchRule noTestCodeInProduction = ArchitectureRules.NO_TEST_CODE_IN_PRODUCTION;
}
