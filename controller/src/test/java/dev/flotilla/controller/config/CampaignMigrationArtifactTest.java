package dev.flotilla.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Workspace;
import dev.flotilla.runner.jars.MigrationSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code spec.migrationArtifact}: a campaign says which jar, at which version, its migration comes from. */
class CampaignMigrationArtifactTest {

  /** add-editorconfig as MigrationJars hands it out after fetching com.acme:acme-migrations:1.2.0. */
  static final class Fetched implements Migration, MigrationSource {
    @Override
    public String id() {
      return "add-editorconfig";
    }

    @Override
    public String title() {
      return "Add .editorconfig";
    }

    @Override
    public String description() {
      return "d";
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) {
      return Outcome.unchanged();
    }

    @Override
    public String source() {
      return "com.acme:acme-migrations:1.2.0";
    }
  }

  private static final Migrations MIGRATIONS = Migrations.of(List.of(new Fetched(), new TestMigrations.DependencyVersion()));

  private static String campaign(String migration, String artifact) {
    return """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: editorconfig}
        spec:
          migration: %s
          migrationArtifact: %s
        """.formatted(migration, artifact);
  }

  @Test
  void acceptsTheVersionThatWasLoaded() {
    CampaignSpec spec = CampaignParser.parse(campaign("add-editorconfig", "com.acme:acme-migrations:1.2.0"), "c.yaml", MIGRATIONS);

    assertThat(spec.migration()).isEqualTo("add-editorconfig");
  }

  @Test
  void refusesAnotherVersionNamingBothAndWhatToDo() {
    assertThatThrownBy(() -> CampaignParser.parse(campaign("add-editorconfig", "com.acme:acme-migrations:1.3.0"), "c.yaml", MIGRATIONS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("c.yaml")
        .hasMessageContaining("line 6")
        .hasMessageContaining("asks for migration 'add-editorconfig' from com.acme:acme-migrations:1.3.0,"
            + " but this Flotilla loaded it from com.acme:acme-migrations:1.2.0")
        .hasMessageContaining("add com.acme:acme-migrations:1.3.0 to FLOTILLA_MIGRATION_ARTIFACTS");
  }

  @Test
  void refusesABuiltInMigrationPinnedToAnArtifact() {
    assertThatThrownBy(() -> CampaignParser.parse(campaign("maven-dependency-version", "com.acme:acme-migrations:1.2.0")
            .replace("kind: Campaign", "kind: Campaign") + "  parameters: {groupId: g, artifactId: a, version: '1'}\n", "c.yaml", MIGRATIONS))
        .hasMessageContaining("but this Flotilla loaded it from Flotilla itself (built in)");
  }

  @Test
  void refusesCoordinatesThatAreNotCoordinates() {
    assertThatThrownBy(() -> CampaignParser.parse(campaign("add-editorconfig", "acme-migrations-1.2.0.jar"), "c.yaml", MIGRATIONS))
        .hasMessageContaining("'migrationArtifact'")
        .hasMessageContaining("is not Maven coordinates; write groupId:artifactId:version");
  }
}
