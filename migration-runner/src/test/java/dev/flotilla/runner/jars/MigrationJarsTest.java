package dev.flotilla.runner.jars;

import static dev.flotilla.runner.jars.TestJars.SERVICES;
import static dev.flotilla.runner.jars.TestJars.jar;
import static dev.flotilla.runner.jars.TestJars.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.FlotillaException;
import dev.flotilla.migration.DirectoryWorkspace;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationJarsTest {

  @TempDir Path dir;

  /** Reports which JGit and which Runner it sees, and its context class loader. */
  private static final String PROBE = """
      String jgit;
      try {
        Class.forName("org.eclipse.jgit.api.Git");
        jgit = "jgit visible";
      } catch (ClassNotFoundException e) {
        jgit = "jgit hidden";
      }
      String runner = dev.flotilla.runner.Runner.OWN ? "own runner" : "flotilla's runner";
      String context = Thread.currentThread().getContextClassLoader() == getClass().getClassLoader() ? "own context" : "other context";
      return dev.flotilla.migration.Outcome.changed(jgit + ", " + runner + ", " + context);
      """;

  @Test
  void runsATeamMigrationInItsOwnClassLoaderBesideTheBuiltInOnes() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("migrations"));
    jar(migrations.resolve("acme-migrations-1.0.jar"), Map.of(
        "com/acme/Probe.java", migration("com.acme", "Probe", "acme-probe", PROBE),
        // A class with one of Flotilla's own names: the jar's copy wins inside the jar.
        "dev/flotilla/runner/Runner.java", "package dev.flotilla.runner; public class Runner { public static final boolean OWN = true; }",
        SERVICES, "com.acme.Probe\n"));

    try (MigrationJars jars = MigrationJars.load(migrations, "FLOTILLA_MIGRATIONS_DIR")) {
      Outcome outcome = jars.migrations().get("acme-probe").apply(workspace(), Parameters.empty());

      assertThat(outcome.message()).isEqualTo("jgit hidden, own runner, own context");
      assertThat(jars.sourceOf("acme-probe")).isEqualTo("acme-migrations-1.0.jar");
      assertThat(jars.sourceOf("openrewrite")).isEqualTo("built in");
      assertThat(jars.teamIds()).containsExactly("acme-probe");
      assertThat(jars.jars()).containsExactly(migrations.resolve("acme-migrations-1.0.jar"));
    }
  }

  @Test
  void loadsTheJarsOfASubFolderTogether() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("migrations"));
    Path acme = Files.createDirectories(migrations.resolve("acme"));
    jar(dir.resolve("lib.jar"), Map.of("com/acme/lib/Greeting.java", "package com.acme.lib; public class Greeting { public static String text() { return \"from the library\"; } }"));
    Files.move(dir.resolve("lib.jar"), acme.resolve("acme-lib-1.0.jar"));
    jar(acme.resolve("acme-migrations-1.0.jar"), Map.of(
        "com/acme/Greet.java", migration("com.acme", "Greet", "acme-greet", "return dev.flotilla.migration.Outcome.changed(com.acme.lib.Greeting.text());"),
        SERVICES, "com.acme.Greet\n"), java.util.List.of(acme.resolve("acme-lib-1.0.jar")));

    try (MigrationJars jars = MigrationJars.load(migrations, "FLOTILLA_MIGRATIONS_DIR")) {
      assertThat(jars.migrations().get("acme-greet").apply(workspace(), Parameters.empty()).message()).isEqualTo("from the library");
      assertThat(jars.sourceOf("acme-greet")).isEqualTo("acme/");
    }
  }

  @Test
  void refusesTwoJarsThatDefineOneIdNamingBoth() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("migrations"));
    jar(migrations.resolve("acme-migrations-1.0.jar"), Map.of(
        "com/acme/Bump.java", migration("com.acme", "Bump", "bump-things", "return null;"), SERVICES, "com.acme.Bump\n"));
    jar(migrations.resolve("payments-migrations-2.3.jar"), Map.of(
        "com/payments/Bump.java", migration("com.payments", "Bump", "bump-things", "return null;"), SERVICES, "com.payments.Bump\n"));

    assertThatThrownBy(() -> MigrationJars.load(migrations, "FLOTILLA_MIGRATIONS_DIR"))
        .isInstanceOf(FlotillaException.class)
        .hasMessageContaining("two migrations share the id 'bump-things'")
        .hasMessageContaining("com.acme.Bump (acme-migrations-1.0.jar)")
        .hasMessageContaining("com.payments.Bump (payments-migrations-2.3.jar)");
  }

  @Test
  void refusesAJarThatReusesABuiltInId() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("migrations"));
    jar(migrations.resolve("acme-migrations-1.0.jar"), Map.of(
        "com/acme/Mine.java", migration("com.acme", "Mine", "openrewrite", "return null;"), SERVICES, "com.acme.Mine\n"));

    assertThatThrownBy(() -> MigrationJars.load(migrations, "FLOTILLA_MIGRATIONS_DIR"))
        .hasMessageContaining("two migrations share the id 'openrewrite'")
        .hasMessageContaining("(built in)")
        .hasMessageContaining("com.acme.Mine (acme-migrations-1.0.jar)");
  }

  @Test
  void namesTheJarWhoseServiceFileListsAMissingClass() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("migrations"));
    jar(migrations.resolve("broken-1.0.jar"), Map.of(SERVICES, "com.acme.Gone\n"));

    assertThatThrownBy(() -> MigrationJars.load(migrations, "FLOTILLA_MIGRATIONS_DIR"))
        .hasMessageContaining("cannot load the migrations of broken-1.0.jar")
        .hasMessageContaining("com.acme.Gone");
  }

  @Test
  void namesTheSettingWhenTheFolderIsMissing() {
    assertThatThrownBy(() -> MigrationJars.fromEnvironment(Map.of("FLOTILLA_MIGRATIONS_DIR", dir.resolve("nope").toString())))
        .hasMessageContaining("FLOTILLA_MIGRATIONS_DIR=" + dir.resolve("nope") + " is not a folder");
  }

  @Test
  void runsTheBuiltInMigrationsAloneWithoutTheSetting() {
    try (MigrationJars jars = MigrationJars.fromEnvironment(Map.of())) {
      assertThat(jars.migrations().ids()).contains("openrewrite", "maven-dependency-version");
      assertThat(jars.teamIds()).isEmpty();
    }
  }

  private DirectoryWorkspace workspace() throws Exception {
    return new DirectoryWorkspace(Files.createDirectories(dir.resolve("repo")), "acme", "demo");
  }
}
