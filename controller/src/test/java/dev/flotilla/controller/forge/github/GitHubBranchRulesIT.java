package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.flotilla.controller.forge.github.GitHubFixtures.NOW;
import static dev.flotilla.controller.forge.github.GitHubFixtures.OTHER_SHA;
import static dev.flotilla.controller.forge.github.GitHubFixtures.REPO;
import static dev.flotilla.controller.forge.github.GitHubFixtures.SHA;
import static dev.flotilla.controller.forge.github.GitHubFixtures.checkRun;
import static dev.flotilla.controller.forge.github.GitHubFixtures.checkRuns;
import static dev.flotilla.controller.forge.github.GitHubFixtures.combinedStatus;
import static dev.flotilla.controller.forge.github.GitHubFixtures.json;
import static dev.flotilla.controller.forge.github.GitHubFixtures.message;
import static dev.flotilla.controller.forge.github.GitHubFixtures.pr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.flotilla.controller.model.BranchRules;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeQueueStatus;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a base branch demands, read from classic protection and rulesets, and the calls that follow
 * from it: update-branch, the merge queue, merge refusals. Response shapes from GitHub's OpenAPI
 * description ({@code @octokit/openapi} 23, api.github.com.json: {@code repos/get-branch-rules} with
 * {@code repository-rule-detailed}, {@code repos/get-status-checks-protection}, {@code
 * pulls/update-branch}, {@code pulls/merge}, {@code repos/get-commit}) and its GraphQL schema ({@code
 * @octokit/graphql-schema} 15: {@code PullRequest.isInMergeQueue}, {@code mergeQueueEntry}, {@code
 * RemovedFromMergeQueueEvent}, {@code enqueuePullRequest}).
 */
class GitHubBranchRulesIT {

  @RegisterExtension
  static WireMockExtension github = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String PROTECTION = "/repos/acme/payments/branches/main/protection/required_status_checks";
  private static final String RULES = "/repos/acme/payments/rules/branches/main?per_page=100";

  /** As in repos/get-branch-rules: a repository ruleset and an organisation ruleset apply to main. */
  static final String RULESETS = """
      [{"type": "required_status_checks", "ruleset_source_type": "Repository", "ruleset_source": "acme/payments",
        "ruleset_id": 42, "parameters": {"do_not_enforce_on_create": false, "strict_required_status_checks_policy": true,
          "required_status_checks": [{"context": "build"}, {"context": "security-scan", "integration_id": 15368}]}},
       {"type": "pull_request", "ruleset_source_type": "Organization", "ruleset_source": "acme", "ruleset_id": 73,
        "parameters": {"dismiss_stale_reviews_on_push": false, "require_code_owner_review": false,
          "require_last_push_approval": false, "required_approving_review_count": 1, "required_review_thread_resolution": false}},
       {"type": "merge_queue", "ruleset_source_type": "Repository", "ruleset_source": "acme/payments", "ruleset_id": 42,
        "parameters": {"check_response_timeout_minutes": 60, "grouping_strategy": "ALLGREEN", "max_entries_to_build": 5,
          "max_entries_to_merge": 5, "merge_method": "SQUASH", "min_entries_to_merge": 1, "min_entries_to_merge_wait_minutes": 5}},
       {"type": "commit_message_pattern", "ruleset_source_type": "Repository", "ruleset_source": "acme/payments",
        "ruleset_id": 42, "parameters": {"operator": "starts_with", "pattern": "issue"}}]
      """;

  /** As in repos/get-status-checks-protection (status-check-policy). */
  static final String CLASSIC = """
      {"url": "https://api.github.com/repos/acme/payments/branches/main/protection/required_status_checks",
       "strict": false, "contexts": ["lint"], "checks": [{"context": "lint", "app_id": null}],
       "contexts_url": "https://api.github.com/repos/acme/payments/branches/main/protection/required_status_checks/contexts"}
      """;

  private final GitHubAppAuthIT.MutableClock clock = new GitHubAppAuthIT.MutableClock(NOW);
  private GitHubForge forge;

  @BeforeEach
  void setUp() {
    forge = GitHubForge.create(GitHubFixtures.tokenConfig(github.baseUrl(), List.of("acme")), ApiCallCounter.NONE,
        new EtagCache(), clock, new GitHubFixtures.RecordingSleeper(), Duration.ofSeconds(10));
  }

  @Test
  void mergesClassicProtectionAndEveryRulesetThatAppliesToTheBranch() {
    github.stubFor(get(urlEqualTo(PROTECTION)).willReturn(json(200, CLASSIC)));
    github.stubFor(get(urlEqualTo(RULES)).willReturn(json(200, RULESETS)));

    assertThat(forge.branchRules(REPO, "main")).isEqualTo(new BranchRules(List.of("lint", "build", "security-scan"), true, true, 1));
  }

  @Test
  void readsRulesetsAloneWithoutTheRightToReadProtection() {
    github.stubFor(get(urlEqualTo(PROTECTION)).willReturn(json(404, message("Not Found"))));
    github.stubFor(get(urlEqualTo(RULES)).willReturn(json(200, """
        [{"type": "required_status_checks", "ruleset_source_type": "Organization", "ruleset_source": "acme", "ruleset_id": 7,
          "parameters": {"strict_required_status_checks_policy": false, "required_status_checks": [{"context": "late-check"}]}}]
        """)));

    assertThat(forge.branchRules(REPO, "main")).isEqualTo(new BranchRules(List.of("late-check"), false, false, 0));
  }

  @Test
  void discoveryReadsRulesetsWithTheOptInFileAtNoExtraCost() {
    github.stubFor(post(urlEqualTo("/graphql")).willReturn(json(200, """
        {"data": {"r0": {"object": {"text": "enabled: true\\n", "oid": "abc", "byteSize": 14, "isBinary": false},
          "defaultBranchRef": {"name": "main",
            "refUpdateRule": {"requiredStatusCheckContexts": ["lint"], "requiredApprovingReviewCount": 0},
            "branchProtectionRule": null,
            "rules": {"nodes": [
              {"type": "REQUIRED_STATUS_CHECKS", "parameters": {"requiredStatusChecks": [{"context": "build"}],
                "strictRequiredStatusChecksPolicy": true}},
              {"type": "PULL_REQUEST", "parameters": {"requiredApprovingReviewCount": 2}},
              {"type": "MERGE_QUEUE", "parameters": {}}]}}}}}
        """)));

    assertThat(forge.readOptInFiles(List.of(REPO))).containsEntry(REPO, "enabled: true\n");

    assertThat(forge.branchRules(REPO, "main")).isEqualTo(new BranchRules(List.of("lint", "build"), true, true, 2));
    github.verify(0, getRequestedFor(urlEqualTo(RULES)));
  }

  @Test
  void aServerWithoutRulesetsInItsSchemaIsAskedForClassicProtectionOnly() {
    github.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("rules(first")).atPriority(1).willReturn(json(200, """
        {"errors": [{"path": ["query", "r0", "defaultBranchRef", "rules"], "extensions": {"code": "undefinedField",
          "typeName": "Ref", "fieldName": "rules"}, "message": "Field 'rules' doesn't exist on type 'Ref'"}]}
        """)));
    github.stubFor(post(urlEqualTo("/graphql")).atPriority(5).willReturn(json(200, """
        {"data": {"r0": {"object": null,
          "defaultBranchRef": {"name": "main", "refUpdateRule": {"requiredStatusCheckContexts": ["lint"]}}}}}
        """)));

    forge.readOptInFiles(List.of(REPO));

    assertThat(forge.branchRules(REPO, "main")).isEqualTo(new BranchRules(List.of("lint"), false, false, 0));
  }

  @Test
  void aRulesetCheckThatHasNotReportedKeepsTheChecksPending() {
    github.stubFor(get(urlEqualTo(PROTECTION)).willReturn(json(403, message("Resource not accessible by integration"))));
    github.stubFor(get(urlEqualTo(RULES)).willReturn(json(200, """
        [{"type": "required_status_checks", "ruleset_source_type": "Organization", "ruleset_source": "acme", "ruleset_id": 7,
          "parameters": {"strict_required_status_checks_policy": false, "required_status_checks": [{"context": "late-check"}]}}]
        """)));
    github.stubFor(get(urlPathEqualTo("/repos/acme/payments/commits/" + SHA + "/check-runs"))
        .willReturn(json(200, checkRuns(checkRun("build", "completed", "success")))));
    github.stubFor(get(urlPathEqualTo("/repos/acme/payments/commits/" + SHA + "/status"))
        .willReturn(json(200, combinedStatus("pending"))));

    CiStatus ci = forge.ciStatus(REPO, SHA);

    assertThat(ci.state()).isEqualTo(CiStatus.State.PENDING);
    assertThat(ci.checks()).extracting(CiStatus.Check::name).containsExactly("build", "late-check");
  }

  @Test
  void keepsRulesForTheirTtlAndReadsThemAgainAfterItOrWhenForgotten() {
    github.stubFor(get(urlEqualTo(PROTECTION)).willReturn(json(200, CLASSIC)));
    github.stubFor(get(urlEqualTo(RULES)).willReturn(json(200, "[]")));

    forge.branchRules(REPO, "main");
    forge.branchRules(REPO, "main");
    github.verify(1, getRequestedFor(urlEqualTo(RULES)));

    clock.advance(GitHubForge.RULES_TTL.plusSeconds(1));
    forge.branchRules(REPO, "main");
    github.verify(2, getRequestedFor(urlEqualTo(RULES)));

    // A protection change without a push: the webhook code drops the cached rules.
    forge.forgetBranchRules(REPO);
    forge.branchRules(REPO, "main");
    github.verify(3, getRequestedFor(urlEqualTo(RULES)));
  }

  @Test
  void mapsBehindAndBlockedMergeableStates() {
    github.stubFor(get(urlEqualTo("/repos/acme/payments/pulls/7")).willReturn(json(200, pr(7, "open", false, "true", "behind", SHA))));
    github.stubFor(get(urlEqualTo("/repos/acme/payments/pulls/8")).willReturn(json(200, pr(8, "open", false, "true", "blocked", SHA))));

    assertThat(forge.getPullRequest(REPO, 7).mergeable()).isEqualTo(PullRequest.Mergeable.BEHIND);
    assertThat(forge.getPullRequest(REPO, 8).mergeable()).isEqualTo(PullRequest.Mergeable.BLOCKED);
  }

  @Test
  void aPullRequestWithMergedAtButNotMergedIsNotMerged() {
    String answer = pr(7, "closed", false, "null", "unknown", SHA).replace("\"merged_at\": null", "\"merged_at\": \"2026-01-05T09:45:00Z\"");
    github.stubFor(get(urlEqualTo("/repos/acme/payments/pulls/7")).willReturn(json(200, answer)));

    assertThat(forge.getPullRequest(REPO, 7).state()).isEqualTo(PullRequest.State.CLOSED);
  }

  @Test
  void updatesTheBranchAtTheExpectedHead() {
    // pulls/update-branch: 202 {"message": "Updating pull request branch.", "url": ...}
    github.stubFor(put(urlEqualTo("/repos/acme/payments/pulls/7/update-branch")).willReturn(json(202, """
        {"message": "Updating pull request branch.", "url": "https://github.com/repos/acme/payments/pulls/7"}
        """)));

    forge.updateBranch(REPO, 7, SHA);

    github.verify(putRequestedFor(urlEqualTo("/repos/acme/payments/pulls/7/update-branch"))
        .withRequestBody(equalToJson("{\"expected_head_sha\": \"" + SHA + "\"}")));
  }

  @Test
  void aRefusedUpdateSaysWhy() {
    github.stubFor(put(urlEqualTo("/repos/acme/payments/pulls/7/update-branch")).willReturn(json(422,
        message("expected head sha didn’t match current head ref."))));

    assertThatThrownBy(() -> forge.updateBranch(REPO, 7, SHA))
        .isInstanceOf(GitHubException.class)
        .hasMessageContaining("up to date failed with 422")
        .hasMessageContaining("expected head sha");
  }

  @Test
  void recognisesAHeadThatMergedTheBaseIntoTheLastPush() {
    github.stubFor(get(urlEqualTo("/repos/acme/payments/commits/" + OTHER_SHA)).willReturn(json(200, """
        {"sha": "%s", "commit": {"message": "Merge branch 'main' into flotilla/jackson-2-18",
          "committer": {"name": "GitHub", "email": "noreply@github.com", "date": "2026-01-05T09:50:00Z"}},
         "parents": [{"sha": "%s", "url": "u"}, {"sha": "a10867b14bb761a232cd80139fbd4c0d33264240", "url": "u"}]}
        """.formatted(OTHER_SHA, SHA))));

    assertThat(forge.isUpdateFromBase(REPO, OTHER_SHA, SHA)).isTrue();
    assertThat(forge.isUpdateFromBase(REPO, OTHER_SHA, "a10867b14bb761a232cd80139fbd4c0d33264240")).isFalse();
  }

  @Test
  void mapsEveryMergeRefusalToWhatItMeans() {
    // pulls/merge 405 as the OpenAPI example has it, and as GitHub words protection's refusals.
    assertThat(GitHubForge.refusal("Pull Request is not mergeable")).isInstanceOf(MergeResult.NotMergeable.class);
    assertThat(GitHubForge.refusal("Changes must be made through the merge queue")).isInstanceOf(MergeResult.QueueRequired.class);
    assertThat(GitHubForge.refusal("Repository rule violations found\n\nChanges must be made through the merge queue\n"))
        .isInstanceOf(MergeResult.QueueRequired.class);
    assertThat(GitHubForge.refusal("Head branch is out of date. Review and try the merge again.")).isInstanceOf(MergeResult.OutOfDate.class);
    assertThat(GitHubForge.refusal("Base branch was modified. Review and try the merge again.")).isInstanceOf(MergeResult.OutOfDate.class);
    assertThat(GitHubForge.refusal("At least 1 approving review is required by reviewers with write access."))
        .isInstanceOf(MergeResult.Blocked.class);
    assertThat(GitHubForge.refusal("Required status check \"build\" is expected.")).isInstanceOf(MergeResult.Blocked.class);
  }

  @Test
  void aMergeRefusedForTheQueueIsRememberedAsAQueueRule() {
    github.stubFor(get(urlEqualTo(PROTECTION)).willReturn(json(404, message("Not Found"))));
    github.stubFor(get(urlEqualTo(RULES)).willReturn(json(200, "[]")));
    github.stubFor(put(urlEqualTo("/repos/acme/payments/pulls/7/merge"))
        .willReturn(json(405, message("Changes must be made through the merge queue"))));

    assertThat(forge.merge(REPO, 7, SHA, MergeMethod.SQUASH)).isInstanceOf(MergeResult.QueueRequired.class);
    assertThat(forge.branchRules(REPO, "main").mergeQueue()).isTrue();
  }

  @Test
  void readsThePlaceInTheMergeQueue() {
    github.stubFor(post(urlEqualTo("/graphql")).withRequestBody(matchingJsonPath("$.variables.number", equalToJson("7")))
        .willReturn(json(200, """
            {"data": {"repository": {"pullRequest": {"isInMergeQueue": true,
              "mergeQueueEntry": {"position": 3, "state": "AWAITING_CHECKS"},
              "commits": {"nodes": [{"commit": {"committedDate": "2026-01-05T09:00:00Z"}}]},
              "timelineItems": {"nodes": []}}}}}
            """)));

    assertThat(forge.mergeQueueStatus(REPO, 7)).isEqualTo(new MergeQueueStatus.Queued(3, "AWAITING_CHECKS"));
  }

  @Test
  void aRemovalAfterTheHeadCommitIsTheQueueKickingItOut() {
    github.stubFor(post(urlEqualTo("/graphql")).willReturn(json(200, """
        {"data": {"repository": {"pullRequest": {"isInMergeQueue": false, "mergeQueueEntry": null,
          "commits": {"nodes": [{"commit": {"committedDate": "2026-01-05T09:00:00Z"}}]},
          "timelineItems": {"nodes": [{"createdAt": "2026-01-05T09:40:00Z",
            "reason": "The merge commit failed the required status check build"}]}}}}}
        """)));

    assertThat(forge.mergeQueueStatus(REPO, 7))
        .isEqualTo(new MergeQueueStatus.Removed("The merge commit failed the required status check build"));
  }

  @Test
  void aRemovalOfAnEarlierHeadIsHistory() {
    github.stubFor(post(urlEqualTo("/graphql")).willReturn(json(200, """
        {"data": {"repository": {"pullRequest": {"isInMergeQueue": false, "mergeQueueEntry": null,
          "commits": {"nodes": [{"commit": {"committedDate": "2026-01-05T09:50:00Z"}}]},
          "timelineItems": {"nodes": [{"createdAt": "2026-01-05T09:40:00Z", "reason": "failed"}]}}}}}
        """)));

    assertThat(forge.mergeQueueStatus(REPO, 7)).isEqualTo(MergeQueueStatus.NOT_QUEUED);
  }

  @Test
  void enqueuesWithThePullRequestsNodeIdAndTheExpectedHead() {
    github.stubFor(get(urlEqualTo("/repos/acme/payments/pulls/7"))
        .willReturn(json(200, GitHubFixtures.openPr(7).replace("\"id\": 10007,", "\"id\": 10007, \"node_id\": \"PR_kwDOAbc123\","))));
    github.stubFor(post(urlEqualTo("/graphql")).willReturn(json(200, """
        {"data": {"enqueuePullRequest": {"mergeQueueEntry": {"position": 1, "state": "QUEUED"}}}}
        """)));

    forge.enqueue(REPO, 7, SHA);

    github.verify(postRequestedFor(urlEqualTo("/graphql"))
        .withRequestBody(matchingJsonPath("$.query", com.github.tomakehurst.wiremock.client.WireMock.containing("enqueuePullRequest")))
        .withRequestBody(matchingJsonPath("$.variables.id", com.github.tomakehurst.wiremock.client.WireMock.equalTo("PR_kwDOAbc123")))
        .withRequestBody(matchingJsonPath("$.variables.head", com.github.tomakehurst.wiremock.client.WireMock.equalTo(SHA))));
  }

  @Test
  void aRefusedEnqueueSaysWhatGitHubSaid() {
    github.stubFor(get(urlEqualTo("/repos/acme/payments/pulls/7")).willReturn(json(200, GitHubFixtures.openPr(7))));
    github.stubFor(post(urlEqualTo("/graphql")).willReturn(json(200, """
        {"data": {"enqueuePullRequest": null},
         "errors": [{"type": "UNPROCESSABLE", "path": ["enqueuePullRequest"],
                     "message": "Pull request is not in a mergeable state"}]}
        """)));

    assertThatThrownBy(() -> forge.enqueue(REPO, 7, SHA))
        .isInstanceOf(GitHubException.class)
        .hasMessageContaining("merge queue")
        .hasMessageContaining("Pull request is not in a mergeable state");
  }
}
