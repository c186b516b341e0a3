package dev.flotilla.dashboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dashboard owns its port; the controller implements it, never the other way round. */
class DependenciesTest {

  static final JavaClasses DASHBOARD = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.flotilla.dashboard");

  @Test
  void neverUsesTheController() {
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.flotilla.controller..")
        .because("the controller implements the dashboard's port; the dashboard stays usable without it")
        .check(DASHBOARD);
  }
}
