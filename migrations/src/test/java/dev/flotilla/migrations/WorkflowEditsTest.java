package dev.flotilla.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Parameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which runs ask for the {@code workflows} permission: only those that may touch a workflow file. */
class WorkflowEditsTest {

  @Test
  void githubActionsVersionAlwaysEditsWorkflows() {
    assertThat(new GithubActionsVersion().editsWorkflows(Parameters.of(Map.of("action", "actions/checkout", "version", "v4"))))
        .isTrue();
  }

  @Test
  void ensureFileEditsWorkflowsOnlyForAPathInTheWorkflowsFolder() {
    Migration ensure = new EnsureFile();
    assertThat(ensure.editsWorkflows(Parameters.of(Map.of("path", ".github/workflows/lint.yml", "template", "x")))).isTrue();
    assertThat(ensure.editsWorkflows(Parameters.of(Map.of("path", "./.github/workflows/lint.yml", "template", "x")))).isTrue();
    assertThat(ensure.editsWorkflows(Parameters.of(Map.of("path", ".github/CODEOWNERS", "template", "x")))).isFalse();
    assertThat(ensure.editsWorkflows(Parameters.of(Map.of("path", "catalog-info.yaml", "template", "x")))).isFalse();
  }

  @Test
  void regexReplaceEditsWorkflowsWhenItsGlobMaySelectOne() {
    Migration regex = new RegexReplace();
    assertThat(regex.editsWorkflows(glob("**/*.yml"))).isTrue();
    assertThat(regex.editsWorkflows(glob("*.yaml"))).isTrue();
    assertThat(regex.editsWorkflows(glob(".github/workflows/*"))).isTrue();
    assertThat(regex.editsWorkflows(glob(".github/**"))).isTrue();
    assertThat(regex.editsWorkflows(glob("*"))).isTrue();
    assertThat(regex.editsWorkflows(glob("**/*.properties"))).isFalse();
    assertThat(regex.editsWorkflows(glob("src/**/*.yml"))).isFalse();
    assertThat(regex.editsWorkflows(glob("pom.xml"))).isFalse();
  }

  @Test
  void otherMigrationsDoNotAskForIt() {
    assertThat(new MavenDependencyVersion().editsWorkflows(Parameters.empty())).isFalse();
    assertThat(new DockerfileBaseImage().editsWorkflows(Parameters.empty())).isFalse();
  }

  private static Parameters glob(String glob) {
    return Parameters.of(Map.of("glob", glob, "pattern", "a", "replacement", "b"));
  }
}
