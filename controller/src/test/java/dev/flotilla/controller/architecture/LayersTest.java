package dev.flotilla.controller.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The controller's packages in layers, lowest first: a package may use the ones below it, never one
 * above. docs/DESIGN.md lists the same order.
 */
class LayersTest {

  static final String ROOT = "dev.flotilla.controller";

  /** Lowest first. */
  static final List<String> LAYERS = List.of(
      "model", "config", "store", "forge", "exec", "plan", "discovery", "engine", "notify", "schedule", "campaign", "view", "demo", "runtime", "cli");

  static final JavaClasses CONTROLLER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  @Test
  void noPackageUsesOneAboveIt() {
    for (int i = 0; i < LAYERS.size() - 1; i++) {
      String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage(ROOT + "." + LAYERS.get(i) + "..")
          .should().dependOnClassesThat().resideInAnyPackage(above)
          .because(LAYERS.get(i) + " sits below " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size())))
          .check(CONTROLLER);
    }
  }

  @Test
  void everyPackageHasItsLayer() {
    noClasses().should().resideOutsideOfPackages(
            LAYERS.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new))
        .because("a new package gets a place in LayersTest.LAYERS and in docs/DESIGN.md")
        .check(CONTROLLER);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CONTROLLER);
  }

  @Test
  void onlyTheStoreSpeaksSql() {
    noClasses().that().resideOutsideOfPackage(ROOT + ".store..")
        .should().dependOnClassesThat().resideInAPackage("java.sql..")
        .because("the engine writes typed changes; SQL and JDBC types stay in store")
        .check(CONTROLLER);
  }
}
