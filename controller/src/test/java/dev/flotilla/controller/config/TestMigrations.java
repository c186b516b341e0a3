package dev.flotilla.controller.config;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import java.util.List;

/**
 * Two small migrations with parameter specs, so campaign parsing is tested without the built-in
 * ones.
 */
final class TestMigrations {

  private TestMigrations() {}

  static Migrations registry() {
    return Migrations.of(List.of(new DependencyVersion(), new AddEditorConfig()));
  }

  static final class DependencyVersion implements Migration {
    @Override
    public String id() {
      return "maven-dependency-version";
    }

    @Override
    public String title() {
      return "Bump a Maven dependency";
    }

    @Override
    public String description() {
      return "Sets the version of one dependency.";
    }

    @Override
    public List<ParameterSpec> parameters() {
      return List.of(
          ParameterSpec.required("groupId", ParameterSpec.Type.STRING, "group id", "com.example"),
          ParameterSpec.required("artifactId", ParameterSpec.Type.STRING, "artifact id", "lib"),
          ParameterSpec.required("version", ParameterSpec.Type.STRING, "new version", "1.2.3"));
    }

    @Override
    public Validation validate(Parameters parameters) {
      String version = parameters.string("version");
      return version.matches("\\d+(\\.\\d+)*")
          ? Validation.ok()
          : Validation.of("version", "must be a version such as 2.18.2, got '" + version + "'");
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) {
      return Outcome.unchanged();
    }
  }

  static final class AddEditorConfig implements Migration {
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
      return "Adds the shared .editorconfig.";
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) {
      return Outcome.unchanged();
    }
  }
}
