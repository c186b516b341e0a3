package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.flotilla.controller.forge.github.GitHubFixtures.REPO;
import static dev.flotilla.controller.forge.github.GitHubFixtures.SHA;
import static dev.flotilla.controller.forge.github.GitHubFixtures.checkRun;
import static dev.flotilla.controller.forge.github.GitHubFixtures.checkRuns;
import static dev.flotilla.controller.forge.github.GitHubFixtures.combinedStatus;
import static dev.flotilla.controller.forge.github.GitHubFixtures.json;
import static dev.flotilla.controller.forge.github.GitHubFixtures.message;
import static dev.flotilla.controller.forge.github.GitHubFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.CiStatus.State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitHubCiIT {

  @RegisterExtension
  static WireMockExtension github = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String CHECK_RUNS = "/repos/acme/payments/commits/" + SHA + "/check-runs?per_page=100";
  private static final String STATUS = "/repos/acme/payments/commits/" + SHA + "/status?per_page=100";
  private static final String PROTECTION = "/repos/acme/payments/branches/main/protection/required_status_checks";

  private final GitHubFixtures.RecordingCounter counter = new GitHubFixtures.RecordingCounter();
  private GitHubForge forge;

  @BeforeEach
  void setUp() {
    forge = GitHubFixtures.forge(github.baseUrl(), new GitHubFixtures.RecordingSleeper(), counter);
    github.stubFor(get(urlEqualTo(PROTECTION)).willReturn(json(404, message("Branch not protected"))));
  }

  @Test
  void aFailingCheckRunFailsEvenAfterTheStatusSucceeded() {
    github.stubFor(get(urlEqualTo(CHECK_RUNS)).willReturn(json(200, checkRuns(checkRun("build", "completed", "failure")))));
    github.stubFor(get(urlEqualTo(STATUS)).willReturn(json(200, combinedStatus("success", status("ci/jenkins", "success")))));

    CiStatus ci = forge.ciStatus(REPO, SHA);

    assertThat(ci.state()).isEqualTo(State.FAILURE);
    assertThat(ci.checks()).extracting(CiStatus.Check::name, CiStatus.Check::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("build", State.FAILURE),
            org.assertj.core.groups.Tuple.tuple("ci/jenkins", State.SUCCESS));
  }

  @Test
  void readsEveryPageOfCheckRuns() {
    String page2 = "/repositories/1296269/commits/" + SHA + "/check-runs?per_page=100&page=2";
    github.stubFor(get(urlEqualTo(CHECK_RUNS)).willReturn(json(200, checkRuns(checkRun("build", "completed", "success")))
        .withHeader("Link", "<" + github.baseUrl() + page2 + ">; rel=\"next\", <" + github.baseUrl() + page2 + ">; rel=\"last\"")));
    github.stubFor(get(urlEqualTo(page2)).willReturn(json(200, checkRuns(checkRun("lint", "completed", "failure")))
        .withHeader("Link", "<" + github.baseUrl() + CHECK_RUNS + ">; rel=\"first\", <" + github.baseUrl() + CHECK_RUNS + ">; rel=\"prev\"")));
    github.stubFor(get(urlEqualTo(STATUS)).willReturn(json(200, combinedStatus("pending"))));

    CiStatus ci = forge.ciStatus(REPO, SHA);

    assertThat(ci.state()).isEqualTo(State.FAILURE);
    assertThat(ci.checks()).extracting(CiStatus.Check::name).containsExactly("build", "lint");
  }

  @Test
  void aRequiredCheckThatHasNotReportedKeepsItPending() {
    github.stubFor(get(urlEqualTo(PROTECTION)).willReturn(json(200, """
        {"url": "https://api.github.com/repos/acme/payments/branches/main/protection/required_status_checks",
         "strict": true, "contexts": ["build", "security-scan"],
         "checks": [{"context": "build", "app_id": 15368}, {"context": "security-scan", "app_id": null}]}
        """)));
    github.stubFor(get(urlEqualTo(CHECK_RUNS)).willReturn(json(200, checkRuns(checkRun("build", "completed", "success")))));
    github.stubFor(get(urlEqualTo(STATUS)).willReturn(json(200, combinedStatus("pending"))));

    CiStatus ci = forge.ciStatus(REPO, SHA);

    assertThat(ci.state()).isEqualTo(State.PENDING);
    assertThat(ci.checks()).extracting(CiStatus.Check::name).containsExactly("build", "security-scan");
  }

  @Test
  void withoutTheRightToReadProtectionEveryReportedCheckMustPass() {
    github.stubFor(get(urlEqualTo(PROTECTION)).willReturn(json(403, message("Resource not accessible by integration"))));
    github.stubFor(get(urlEqualTo(CHECK_RUNS)).willReturn(json(200, checkRuns(
        checkRun("build", "completed", "success"), checkRun("docs", "completed", "skipped")))));
    github.stubFor(get(urlEqualTo(STATUS)).willReturn(json(200, combinedStatus("success", status("ci/jenkins", "success")))));

    assertThat(forge.ciStatus(REPO, SHA).state()).isEqualTo(State.SUCCESS);
    assertThat(forge.ciStatus(REPO, SHA).state()).isEqualTo(State.SUCCESS);
    github.verify(1, getRequestedFor(urlEqualTo(PROTECTION)));
  }

  @Test
  void aCheckStillRunningIsPending() {
    github.stubFor(get(urlEqualTo(CHECK_RUNS)).willReturn(json(200, checkRuns(checkRun("build", "in_progress", null)))));
    github.stubFor(get(urlEqualTo(STATUS)).willReturn(json(200, combinedStatus("success", status("ci/jenkins", "success")))));

    assertThat(forge.ciStatus(REPO, SHA).state()).isEqualTo(State.PENDING);
  }

  @Test
  void noChecksAtAllIsNone() {
    github.stubFor(get(urlEqualTo(CHECK_RUNS)).willReturn(json(200, checkRuns())));
    github.stubFor(get(urlEqualTo(STATUS)).willReturn(json(200, combinedStatus("pending"))));

    assertThat(forge.ciStatus(REPO, SHA)).isEqualTo(CiStatus.none());
  }
}
