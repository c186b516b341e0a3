package dev.flotilla.runner.jars;

import static dev.flotilla.runner.jars.TestJars.jar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.DirectoryWorkspace;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in openrewrite migration runs recipes from a team's jar that lists no migration of its own. */
class TeamRecipesTest {

  @TempDir Path dir;

  private static final String RECIPE = """
      package com.acme.recipes;

      import org.openrewrite.ExecutionContext;
      import org.openrewrite.Recipe;
      import org.openrewrite.TreeVisitor;
      import org.openrewrite.text.PlainText;
      import org.openrewrite.text.PlainTextVisitor;

      public class ShoutReadme extends Recipe {
        public String getDisplayName() { return "Shout the readme"; }
        public String getDescription() { return "Upper-cases README.txt."; }
        public TreeVisitor<?, ExecutionContext> getVisitor() {
          return new PlainTextVisitor<ExecutionContext>() {
            public PlainText visitText(PlainText text, ExecutionContext ctx) {
              return text.getSourcePath().toString().equals("README.txt") ? text.withText(text.getText().toUpperCase()) : text;
            }
          };
        }
      }
      """;

  @Test
  void findsAndRunsARecipeFromATeamJar() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("migrations"));
    jar(migrations.resolve("acme-recipes-1.0.jar"), Map.of("com/acme/recipes/ShoutReadme.java", RECIPE));
    Parameters shout = Parameters.of(Map.of("recipe", "com.acme.recipes.ShoutReadme"));

    assertThat(Migrations.load().get("openrewrite").validate(shout).isValid()).isFalse();
    try (MigrationJars jars = MigrationJars.load(migrations, "FLOTILLA_MIGRATIONS_DIR")) {
      var openrewrite = jars.migrations().get("openrewrite");
      assertThat(openrewrite.validate(shout).problems()).isEmpty();

      Path repo = Files.createDirectories(dir.resolve("repo"));
      Files.writeString(repo.resolve("README.txt"), "quiet\n");
      Outcome outcome = openrewrite.apply(new DirectoryWorkspace(repo, "acme", "demo"), shout);

      assertThat(outcome.isChanged()).isTrue();
      assertThat(repo.resolve("README.txt")).hasContent("QUIET\n");
    }
  }
}
