package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.flotilla.controller.forge.github.GitHubFixtures.BRANCH;
import static dev.flotilla.controller.forge.github.GitHubFixtures.OTHER_SHA;
import static dev.flotilla.controller.forge.github.GitHubFixtures.REPO;
import static dev.flotilla.controller.forge.github.GitHubFixtures.SHA;
import static dev.flotilla.controller.forge.github.GitHubFixtures.TOKEN;
import static dev.flotilla.controller.forge.github.GitHubFixtures.json;
import static dev.flotilla.controller.forge.github.GitHubFixtures.message;
import static dev.flotilla.controller.forge.github.GitHubFixtures.openPr;
import static dev.flotilla.controller.forge.github.GitHubFixtures.pr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.flotilla.controller.forge.ForgeBusy;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitHubPullRequestIT {

  @RegisterExtension
  static WireMockExtension github = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String PULLS = "/repos/acme/payments/pulls";
  private static final PullRequestSpec SPEC =
      new PullRequestSpec(BRANCH, "main", "Bump jackson-databind to 2.18.2", "Bumps jackson.", List.of("dependencies"),
          List.of("octocat", "acme/payments-team"));

  /** The lookup of the branch's open pull request; hub4j orders the query parameters its own way. */
  private static MappingBuilder find() {
    return get(urlPathEqualTo(PULLS))
        .withQueryParam("head", equalTo("acme:" + BRANCH))
        .withQueryParam("state", equalTo("open"))
        .withQueryParam("per_page", equalTo("10"));
  }

  private final GitHubFixtures.RecordingSleeper sleeper = new GitHubFixtures.RecordingSleeper();
  private final GitHubFixtures.RecordingCounter counter = new GitHubFixtures.RecordingCounter();
  private GitHubForge forge;

  @BeforeEach
  void setUp() {
    forge = GitHubFixtures.forge(github.baseUrl(), sleeper, counter);
    github.stubFor(post(urlEqualTo("/repos/acme/payments/issues/7/labels")).willReturn(json(200, "[{\"name\": \"dependencies\"}]")));
    github.stubFor(post(urlEqualTo(PULLS + "/7/requested_reviewers")).willReturn(json(201, openPr(7))));
  }

  @Test
  void opensPullRequestWithLabelsReviewersAndDashboardLink() {
    github.stubFor(post(urlEqualTo(PULLS)).willReturn(json(201, openPr(7))));

    PullRequest pr = forge.openPullRequest(REPO, SPEC);

    assertThat(pr).isEqualTo(new PullRequest(7, "https://github.com/acme/payments/pull/7", BRANCH, "main", SHA,
        PullRequest.State.OPEN, PullRequest.Mergeable.MERGEABLE));
    github.verify(postRequestedFor(urlEqualTo(PULLS))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withRequestBody(matchingJsonPath("$.head", equalTo(BRANCH)))
        .withRequestBody(matchingJsonPath("$.base", equalTo("main")))
        .withRequestBody(matchingJsonPath("$.body", com.github.tomakehurst.wiremock.client.WireMock.containing(
            "Campaign `jackson-2-18` on `acme/payments` (owners: @acme)")))
        .withRequestBody(matchingJsonPath("$.body", com.github.tomakehurst.wiremock.client.WireMock.containing(
            "(https://flotilla.example.com)"))));
    github.verify(postRequestedFor(urlEqualTo("/repos/acme/payments/issues/7/labels"))
        .withRequestBody(equalToJson("{\"labels\": [\"dependencies\"]}")));
    github.verify(postRequestedFor(urlEqualTo(PULLS + "/7/requested_reviewers"))
        .withRequestBody(equalToJson("{\"reviewers\": [\"octocat\"], \"team_reviewers\": [\"payments-team\"]}")));
    assertThat(counter.total.get()).isEqualTo(3);
  }

  @Test
  void adoptsThePullRequestGitHubSaysAlreadyExists() {
    github.stubFor(post(urlEqualTo(PULLS)).willReturn(json(422, """
        {"message": "Validation Failed", "errors": [{"resource": "PullRequest", "code": "custom",
         "message": "A pull request already exists for acme:flotilla/jackson-2-18."}],
         "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request", "status": "422"}
        """)));
    github.stubFor(find().willReturn(json(200, "[" + openPr(7) + "]")));

    PullRequest pr = forge.openPullRequest(REPO, SPEC);

    assertThat(pr.number()).isEqualTo(7);
    github.verify(1, postRequestedFor(urlEqualTo(PULLS)));
  }

  @Test
  void anAdoptedPullRequestFromTheListIsNotReadAgainForItsMergeability() {
    // List answers carry no mergeability; hub4j would fetch the pull request if asked for it.
    String listed = openPr(7).replace("\"mergeable\": true, ", "").replace("\"mergeable_state\": \"clean\",", "");
    github.stubFor(post(urlEqualTo(PULLS)).willReturn(json(422, message("A pull request already exists for acme:flotilla/jackson-2-18."))));
    github.stubFor(find().willReturn(json(200, "[" + listed + "]")));

    PullRequest pr = forge.openPullRequest(REPO, SPEC);

    assertThat(pr.mergeable()).isEqualTo(PullRequest.Mergeable.UNKNOWN);
    github.verify(0, getRequestedFor(urlEqualTo(PULLS + "/7")));
  }

  @Test
  void looksBeforeRetryingACreateThatFailedWith502AndAdoptsWhatItFinds() {
    github.stubFor(post(urlEqualTo(PULLS)).willReturn(json(502, message("Server Error"))));
    github.stubFor(find().willReturn(json(200, "[" + openPr(7) + "]")));

    PullRequest pr = forge.openPullRequest(REPO, SPEC);

    assertThat(pr.number()).isEqualTo(7);
    github.verify(1, postRequestedFor(urlEqualTo(PULLS)));
  }

  @Test
  void retriesACreateThatFailedWith500OnlyAfterFindingNoPullRequest() {
    github.stubFor(post(urlEqualTo(PULLS)).inScenario("create").whenScenarioStateIs(STARTED)
        .willReturn(json(500, message("Server Error"))).willSetStateTo("second"));
    github.stubFor(post(urlEqualTo(PULLS)).inScenario("create").whenScenarioStateIs("second")
        .willReturn(json(201, openPr(7))));
    github.stubFor(find().willReturn(json(200, "[]")));

    PullRequest pr = forge.openPullRequest(REPO, SPEC);

    assertThat(pr.number()).isEqualTo(7);
    github.verify(2, postRequestedFor(urlEqualTo(PULLS)));
    github.verify(1, getRequestedFor(urlPathEqualTo(PULLS)).withQueryParam("head", equalTo("acme:" + BRANCH)));
  }

  @Test
  void aCreateThatTimedOutButHappenedIsAdoptedNotRepeated() {
    forge = GitHubFixtures.forge(github.baseUrl(), sleeper, counter, GitHubFixtures.TIMEOUT);
    github.stubFor(post(urlEqualTo(PULLS)).willReturn(json(201, openPr(7)).withFixedDelay(GitHubFixtures.SLOW)));
    github.stubFor(find().willReturn(json(200, "[" + openPr(7) + "]")));

    PullRequest pr = forge.openPullRequest(REPO, SPEC);

    assertThat(pr.number()).isEqualTo(7);
    github.verify(1, postRequestedFor(urlEqualTo(PULLS)));
    assertThat(counter.of("POST /repos/{owner}/{repo}/pulls")).isEqualTo(1);
  }

  @Test
  void aSecondaryLimitOnCreatingPausesContentCreationUntilRetryAfterWithoutSendingAgain() {
    github.stubFor(post(urlEqualTo(PULLS))
        .willReturn(json(403, message("You have exceeded a secondary rate limit. Please wait a few minutes before you try again."))
            .withHeader("Retry-After", "90")));

    // Nothing was created, so the changeset tries again later; no thread sits out the 90 seconds.
    assertThatThrownBy(() -> forge.openPullRequest(REPO, SPEC))
        .isInstanceOfSatisfying(ForgeBusy.class, e -> assertThat(e.retryIn()).isEqualTo(Duration.ofSeconds(90)))
        .hasMessageContaining("secondary rate limit");
    assertThat(sleeper.waits).isEmpty();
    // Until then no content request of that installation is sent at all.
    assertThatThrownBy(() -> forge.merge(REPO, 7, SHA, MergeMethod.SQUASH)).isInstanceOf(ForgeBusy.class);
    github.verify(1, postRequestedFor(urlEqualTo(PULLS)));
    github.verify(0, putRequestedFor(urlEqualTo(PULLS + "/7/merge")));
  }

  @Test
  void waitsAMinuteOnASecondaryRateLimitWithoutRetryAfter() {
    github.stubFor(get(urlEqualTo(PULLS + "/7")).inScenario("limit").whenScenarioStateIs(STARTED)
        .willReturn(json(403, message("You have exceeded a secondary rate limit and have been temporarily blocked from content creation.")))
        .willSetStateTo("cooled"));
    github.stubFor(get(urlEqualTo(PULLS + "/7")).inScenario("limit").whenScenarioStateIs("cooled").willReturn(json(200, openPr(7))));

    assertThat(forge.getPullRequest(REPO, 7).state()).isEqualTo(PullRequest.State.OPEN);
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(60));
  }

  @Test
  void retriesReadsThatFailWith502Or503OrTimeOut() {
    forge = GitHubFixtures.forge(github.baseUrl(), sleeper, counter, GitHubFixtures.TIMEOUT);
    github.stubFor(get(urlEqualTo(PULLS + "/7")).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(json(502, message("Server Error"))).willSetStateTo("slow"));
    github.stubFor(get(urlEqualTo(PULLS + "/7")).inScenario("flaky").whenScenarioStateIs("slow")
        .willReturn(json(200, openPr(7)).withFixedDelay(GitHubFixtures.SLOW)).willSetStateTo("unavailable"));
    github.stubFor(get(urlEqualTo(PULLS + "/7")).inScenario("flaky").whenScenarioStateIs("unavailable")
        .willReturn(json(503, message("Service Unavailable"))).willSetStateTo("fine"));
    github.stubFor(get(urlEqualTo(PULLS + "/7")).inScenario("flaky").whenScenarioStateIs("fine").willReturn(json(200, openPr(7))));

    assertThat(forge.getPullRequest(REPO, 7).number()).isEqualTo(7);
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void givesUpOnReadsAfterBoundedRetries() {
    github.stubFor(get(urlEqualTo(PULLS + "/7")).willReturn(json(500, message("Server Error"))));

    assertThatThrownBy(() -> forge.getPullRequest(REPO, 7))
        .isInstanceOf(GitHubException.class)
        .hasMessageContaining("failed with 500 after 5 attempt(s)");
    github.verify(5, getRequestedFor(urlEqualTo(PULLS + "/7")));
  }

  @Test
  void mergeabilityStillBeingComputedIsUnknownThenMergeable() {
    github.stubFor(get(urlEqualTo(PULLS + "/7")).inScenario("mergeable").whenScenarioStateIs(STARTED)
        .willReturn(json(200, pr(7, "open", false, "null", "unknown", SHA))).willSetStateTo("computed"));
    github.stubFor(get(urlEqualTo(PULLS + "/7")).inScenario("mergeable").whenScenarioStateIs("computed")
        .willReturn(json(200, openPr(7))));

    assertThat(forge.getPullRequest(REPO, 7).mergeable()).isEqualTo(PullRequest.Mergeable.UNKNOWN);
    assertThat(forge.getPullRequest(REPO, 7).mergeable()).isEqualTo(PullRequest.Mergeable.MERGEABLE);
  }

  @Test
  void dirtyMergeStateIsAConflict() {
    github.stubFor(get(urlEqualTo(PULLS + "/7")).willReturn(json(200, pr(7, "open", false, "false", "dirty", SHA))));

    assertThat(forge.getPullRequest(REPO, 7).mergeable()).isEqualTo(PullRequest.Mergeable.CONFLICTING);
  }

  @Test
  void aPullRequestClosedByAPersonIsClosedNotMerged() {
    github.stubFor(get(urlEqualTo(PULLS + "/7")).willReturn(json(200, pr(7, "closed", false, "true", "clean", SHA))));

    assertThat(forge.getPullRequest(REPO, 7).state()).isEqualTo(PullRequest.State.CLOSED);
  }

  @Test
  void mergesWithTheCheckedShaAndMethod() {
    github.stubFor(put(urlEqualTo(PULLS + "/7/merge")).willReturn(json(200, """
        {"sha": "e5bd3914e2e596debea16f433f57875b5b90bcd6", "merged": true, "message": "Pull Request successfully merged"}
        """)));

    MergeResult result = forge.merge(REPO, 7, SHA, MergeMethod.SQUASH);

    assertThat(result).isEqualTo(new MergeResult.Merged("e5bd3914e2e596debea16f433f57875b5b90bcd6"));
    github.verify(putRequestedFor(urlEqualTo(PULLS + "/7/merge"))
        .withRequestBody(equalToJson("{\"sha\": \"" + SHA + "\", \"merge_method\": \"squash\"}")));
  }

  @Test
  void aRefusedMergeIsNotMergeableWithGitHubsReason() {
    github.stubFor(put(urlEqualTo(PULLS + "/7/merge")).willReturn(json(405, message("Pull Request is not mergeable"))));

    assertThat(forge.merge(REPO, 7, SHA, MergeMethod.MERGE))
        .isEqualTo(new MergeResult.NotMergeable("Pull Request is not mergeable"));
  }

  @Test
  void aHeadThatMovedIsReportedWithTheNewShaAndNotMerged() {
    github.stubFor(put(urlEqualTo(PULLS + "/7/merge"))
        .willReturn(json(409, message("Head branch was modified. Review and try the merge again."))));
    github.stubFor(get(urlEqualTo(PULLS + "/7")).willReturn(json(200, pr(7, "open", false, "true", "clean", OTHER_SHA))));

    assertThat(forge.merge(REPO, 7, SHA, MergeMethod.REBASE)).isEqualTo(new MergeResult.HeadMoved(OTHER_SHA));
    github.verify(1, putRequestedFor(urlEqualTo(PULLS + "/7/merge")));
  }

  @Test
  void aMergeWhoseAnswerWasLostIsRecognisedAsMerged() {
    github.stubFor(put(urlEqualTo(PULLS + "/7/merge")).inScenario("lost").whenScenarioStateIs(STARTED)
        .willReturn(json(502, message("Server Error"))).willSetStateTo("merged"));
    github.stubFor(put(urlEqualTo(PULLS + "/7/merge")).inScenario("lost").whenScenarioStateIs("merged")
        .willReturn(json(405, message("Pull Request is not mergeable"))));
    github.stubFor(get(urlEqualTo(PULLS + "/7")).willReturn(json(200, pr(7, "closed", true, "null", "unknown", SHA))));

    assertThat(forge.merge(REPO, 7, SHA, MergeMethod.SQUASH))
        .isEqualTo(new MergeResult.Merged("e5bd3914e2e596debea16f433f57875b5b90bcd6"));
  }

  @Test
  void deletesTheBranchAndAcceptsOneAlreadyGone() {
    String ref = "/repos/acme/payments/git/refs/heads/flotilla/jackson-2-18";
    github.stubFor(delete(urlEqualTo(ref)).inScenario("delete").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(204)).willSetStateTo("gone"));
    github.stubFor(delete(urlEqualTo(ref)).inScenario("delete").whenScenarioStateIs("gone")
        .willReturn(json(422, message("Reference does not exist"))));

    forge.deleteBranch(REPO, BRANCH);
    forge.deleteBranch(REPO, BRANCH);

    github.verify(2, deleteRequestedFor(urlEqualTo(ref)));
  }

  @Test
  void closesWithACommentAndUpdatesTheBody() {
    github.stubFor(post(urlEqualTo("/repos/acme/payments/issues/7/comments")).willReturn(json(201, "{\"id\": 1}")));
    github.stubFor(patch(urlEqualTo(PULLS + "/7")).willReturn(json(200, openPr(7))));
    // hub4j edits a pull request it has read; the forge reads it once and keeps it.
    github.stubFor(get(urlEqualTo(PULLS + "/7")).willReturn(json(200, openPr(7))));

    forge.updatePullRequest(REPO, 7, SPEC);
    forge.closePullRequest(REPO, 7, "The campaign was stopped.");

    github.verify(postRequestedFor(urlEqualTo("/repos/acme/payments/issues/7/comments"))
        .withRequestBody(equalToJson("{\"body\": \"The campaign was stopped.\"}")));
    github.verify(patchRequestedFor(urlEqualTo(PULLS + "/7")).withRequestBody(equalToJson("{\"state\": \"closed\"}")));
    github.verify(patchRequestedFor(urlEqualTo(PULLS + "/7"))
        .withRequestBody(matchingJsonPath("$.title", equalTo("Bump jackson-databind to 2.18.2"))));
    github.verify(patchRequestedFor(urlEqualTo(PULLS + "/7"))
        .withRequestBody(matchingJsonPath("$.body", com.github.tomakehurst.wiremock.client.WireMock.containing("Bumps jackson."))));
    github.verify(1, getRequestedFor(urlEqualTo(PULLS + "/7")));
  }

  @Test
  void findsNoOpenPullRequestForABranchWithoutOne() {
    github.stubFor(get(urlPathEqualTo(PULLS)).willReturn(json(200, "[]")));

    assertThat(forge.findOpenPullRequest(REPO, BRANCH)).isEmpty();
  }
}
