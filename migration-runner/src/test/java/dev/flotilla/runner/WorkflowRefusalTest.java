package dev.flotilla.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** GitHub's refusal of a workflow edit becomes a reason that names the permission and what to do. */
class WorkflowRefusalTest {

  // As GitHub words it for an App token over https (git's "remote rejected" line, as JGit reports it).
  private static final String APP =
      "refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission";
  // As GitHub words it for a classic personal access token or an OAuth App.
  private static final String TOKEN =
      "refusing to allow a Personal Access Token to create or update workflow `.github/workflows/build.yaml` without `workflow` scope";

  @Test
  void namesThePermissionAndTheFileForAnAppToken() {
    assertThat(Runner.workflowRefusal(APP))
        .contains("`workflows` permission", ".github/workflows/ci.yml", "Workflows: read and write", "editsWorkflows");
  }

  @Test
  void namesTheScopeForAPersonalAccessToken() {
    assertThat(Runner.workflowRefusal("remote: error\n" + TOKEN + "\n"))
        .contains(".github/workflows/build.yaml", "`workflow` scope");
  }

  @Test
  void leavesOtherRefusalsToTheGeneralMessage() {
    assertThat(Runner.workflowRefusal("protected branch hook declined")).isNull();
    assertThat(Runner.workflowRefusal(null)).isNull();
  }
}
