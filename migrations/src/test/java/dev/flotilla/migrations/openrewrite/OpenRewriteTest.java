package dev.flotilla.migrations.openrewrite;

import static dev.flotilla.migration.testkit.RewriteTest.created;
import static dev.flotilla.migration.testkit.RewriteTest.crlf;
import static dev.flotilla.migration.testkit.RewriteTest.deleted;
import static dev.flotilla.migration.testkit.RewriteTest.file;
import static dev.flotilla.migration.testkit.RewriteTest.params;
import static dev.flotilla.migration.testkit.RewriteTest.rewrite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class OpenRewriteTest {

  @TempDir Path cache;

  private OpenRewrite migration() {
    return new OpenRewrite(new RewriteSettings(RewriteSettings.MAVEN_CENTRAL, cache));
  }

  @Test
  void renamesAYamlKeyKeepingCommentsAndTheRest() {
    rewrite(
        migration(),
        params(
            "recipe", "org.openrewrite.yaml.ChangePropertyKey",
            "oldPropertyKey", "management.metrics.export.prometheus.enabled",
            "newPropertyKey", "management.prometheus.metrics.export.enabled"),
        file(
            "src/main/resources/application.yml",
            """
            server:
              port: 8080   # the port
            management:
              metrics:
                export:
                  prometheus:
                    enabled: true
            """,
            """
            server:
              port: 8080   # the port
            management:
              prometheus.metrics.export.enabled: true
            """));
  }

  @Test
  void upgradesADependencyWhoseVersionIsAPropertyOfTheParent(@TempDir Path repository) throws Exception {
    FakeMavenRepository.library(repository, "com.acme", "lib", "1.0", "1.1");
    rewrite(
        new OpenRewrite(new RewriteSettings(repository.toUri(), cache)),
        params(
            "recipe", "org.openrewrite.maven.UpgradeDependencyVersion",
            "groupId", "com.acme",
            "artifactId", "lib",
            "newVersion", "1.1"),
        file(
            "pom.xml",
            """
            <project>
              <modelVersion>4.0.0</modelVersion>
              <groupId>com.acme</groupId>
              <artifactId>parent</artifactId>
              <version>1</version>
              <packaging>pom</packaging>
              <modules>
                <module>app</module>
              </modules>
              <properties>
                <lib.version>1.0</lib.version>   <!-- shared by the modules -->
              </properties>
            </project>
            """,
            """
            <project>
              <modelVersion>4.0.0</modelVersion>
              <groupId>com.acme</groupId>
              <artifactId>parent</artifactId>
              <version>1</version>
              <packaging>pom</packaging>
              <modules>
                <module>app</module>
              </modules>
              <properties>
                <lib.version>1.1</lib.version>   <!-- shared by the modules -->
              </properties>
            </project>
            """),
        file(
            "app/pom.xml",
            """
            <project>
              <modelVersion>4.0.0</modelVersion>
              <parent>
                <groupId>com.acme</groupId>
                <artifactId>parent</artifactId>
                <version>1</version>
              </parent>
              <artifactId>app</artifactId>
              <dependencies>
                <dependency>
                  <groupId>com.acme</groupId>
                  <artifactId>lib</artifactId>
                  <version>${lib.version}</version>
                </dependency>
              </dependencies>
            </project>
            """));
  }

  @Test
  void renamesAJavaPackageAndItsImports() {
    rewrite(
        migration(),
        params(
            "recipe", "org.openrewrite.java.ChangePackage",
            "oldPackageName", "com.acme.legacy",
            "newPackageName", "com.acme.core",
            "recursive", "true"),
        deleted(
            "src/main/java/com/acme/legacy/Clock.java",
            """
            package com.acme.legacy;

            public class Clock {
              public long now() { return 0L; }
            }
            """),
        created(
            "src/main/java/com/acme/core/Clock.java",
            """
            package com.acme.core;

            public class Clock {
              public long now() { return 0L; }
            }
            """),
        file(
            "src/main/java/com/acme/app/App.java",
            """
            package com.acme.app;

            import com.acme.legacy.Clock;

            class App {
              // Keep this comment.
              long started = new Clock().now();
            }
            """,
            """
            package com.acme.app;

            import com.acme.core.Clock;

            class App {
              // Keep this comment.
              long started = new Clock().now();
            }
            """));
  }

  @Test
  void changesAPropertyInACrlfPom() {
    rewrite(
        migration(),
        params("recipe", "org.openrewrite.maven.ChangePropertyValue", "key", "java.version", "newValue", "21"),
        file(
            "pom.xml",
            crlf(
                """
                <project>
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.acme</groupId>
                  <artifactId>demo</artifactId>
                  <version>1</version>
                  <properties>
                    <!-- the Java we build for -->
                    <java.version>17</java.version>
                  </properties>
                </project>
                """),
            crlf(
                """
                <project>
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.acme</groupId>
                  <artifactId>demo</artifactId>
                  <version>1</version>
                  <properties>
                    <!-- the Java we build for -->
                    <java.version>21</java.version>
                  </properties>
                </project>
                """)));
  }

  @Test
  void runsADeclarativeRecipeGivenInline() {
    rewrite(
        migration(),
        params(
            "recipeYaml",
            """
            type: specs.openrewrite.org/v1beta/recipe
            name: com.acme.RenameOwner
            displayName: Rename the owner key
            recipeList:
              - org.openrewrite.yaml.ChangePropertyKey:
                  oldPropertyKey: owner
                  newPropertyKey: team
            """),
        file("catalog.yaml", "owner: payments\nname: api\n", "team: payments\nname: api\n"));
  }

  @Test
  void leavesARepositoryThatIsAlreadyMigratedAlone() {
    Outcome outcome =
        rewrite(
            migration(),
            params("recipe", "org.openrewrite.yaml.ChangePropertyKey", "oldPropertyKey", "a", "newPropertyKey", "b"),
            file("config.yml", "b: 1\n"));
    assertThat(outcome).isEqualTo(Outcome.unchanged());
  }

  @Test
  void saysWhenJavaTypesCouldNotBeResolved() {
    Outcome outcome =
        rewrite(
            migration(),
            params(
                "recipe", "org.openrewrite.java.ChangePackage",
                "oldPackageName", "com.acme.legacy",
                "newPackageName", "com.acme.core"),
            file(
                "src/main/java/com/acme/app/App.java",
                """
                package com.acme.app;

                import com.acme.legacy.Clock;
                import org.unknown.Widget;

                class App {
                  Widget widget;
                  Clock clock;
                }
                """,
                """
                package com.acme.app;

                import com.acme.core.Clock;
                import org.unknown.Widget;

                class App {
                  Widget widget;
                  Clock clock;
                }
                """));
    assertThat(outcome.message()).contains("changed 1 file").contains("could not be resolved in 1 Java files");
  }

  @Test
  void parsesJavaWithTheTypesOfTheDependenciesThePomDeclares(@TempDir Path repository) throws Exception {
    FakeMavenRepository.libraryWithClasses(
        repository, "com.acme", "widgets", "1.0",
        Map.of(
            "com.acme.widgets.Widget", "package com.acme.widgets; public class Widget {}",
            "com.acme.widgets.Gadget", "package com.acme.widgets; public class Gadget {}"));
    String pom =
        """
        <project>
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.acme</groupId>
          <artifactId>app</artifactId>
          <version>1</version>
          <dependencies>
            <dependency>
              <groupId>com.acme</groupId>
              <artifactId>widgets</artifactId>
              <version>1.0</version>
            </dependency>
          </dependencies>
        </project>
        """;
    // ChangeType matches on the attributed type: without the jar on the class path it finds nothing.
    Outcome outcome =
        rewrite(
            new OpenRewrite(new RewriteSettings(repository.toUri(), cache)),
            params(
                "recipe", "org.openrewrite.java.ChangeType",
                "oldFullyQualifiedTypeName", "com.acme.widgets.Widget",
                "newFullyQualifiedTypeName", "com.acme.widgets.Gadget"),
            file("pom.xml", pom),
            file(
                "src/main/java/com/acme/app/App.java",
                """
                package com.acme.app;

                import com.acme.widgets.Widget;

                class App {
                  Widget widget = new Widget();
                }
                """,
                """
                package com.acme.app;

                import com.acme.widgets.Gadget;

                class App {
                  Gadget widget = new Gadget();
                }
                """));
    assertThat(outcome.message()).doesNotContain("could not");
  }

  @Test
  void namesAnUnknownRecipeWithSuggestions() {
    Validation validation =
        params("recipe", "org.openrewrite.maven.ChangePropertyValu").check(migration());
    assertThat(validation.describe())
        .contains("recipe: no recipe 'org.openrewrite.maven.ChangePropertyValu'")
        .contains("did you mean org.openrewrite.maven.ChangePropertyValue");
  }

  @Test
  void namesUnknownAndMissingOptionsAndWrongTypesAllAtOnce() {
    Validation validation =
        params(
                "recipe", "org.openrewrite.java.ChangePackage",
                "oldPackage", "com.acme.legacy",
                "recursive", "maybe")
            .check(migration());
    assertThat(validation.problems())
        .extracting(Validation.Problem::parameter)
        .contains("oldPackage", "recursive", "oldPackageName", "newPackageName");
    assertThat(validation.describe())
        .contains("oldPackage: is not an option of org.openrewrite.java.ChangePackage; its options are: oldPackageName, newPackageName")
        .contains("recursive: must be true or false, got 'maybe'")
        .contains("newPackageName: is required by org.openrewrite.java.ChangePackage");
  }

  @Test
  void needsARecipe() {
    assertThat(Parameters.empty().check(migration()).describe())
        .contains("recipe: give a recipe's fully qualified name");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDocumentedExampleCampaignHasValidParameters() throws Exception {
    Map<String, Object> campaign =
        new Yaml().load(Files.readString(Path.of("..", "docs", "examples", "openrewrite-java-21.yaml")));
    Map<String, Object> spec = (Map<String, Object>) campaign.get("spec");
    assertThat(spec.get("migration")).isEqualTo("openrewrite");
    Validation validation = Parameters.of((Map<String, Object>) spec.get("parameters")).check(migration());
    assertThat(validation.problems()).isEmpty();
  }

  @Test
  void isFoundByItsId() {
    assertThat(Migrations.load().get("openrewrite")).isInstanceOf(OpenRewrite.class);
  }

  @Test
  void keepsTheRowsOfTheRecipesDataTablesAsCsv(@TempDir Path repository) throws Exception {
    Files.writeString(repository.resolve("notes.txt"), "one TODO here\nnothing\nand a TODO, quoted \"there\"\n");
    dev.flotilla.migration.DirectoryWorkspace workspace =
        new dev.flotilla.migration.DirectoryWorkspace(repository, "acme", "notes");

    migration().apply(workspace, Parameters.of(Map.of("recipe", "org.openrewrite.text.Find", "find", "TODO")));

    assertThat(workspace.dataTables())
        .containsKeys("org.openrewrite.table.TextMatches", "org.openrewrite.table.SourcesFileResults")
        .doesNotContainKey("org.openrewrite.table.RecipeRunStats");
    String csv = workspace.dataTables().get("org.openrewrite.table.TextMatches");
    assertThat(csv.split("\r\n")).containsExactly("Source path,Match", "notes.txt,...~~>TODO...", "notes.txt,...~~>TODO...");
  }
}
