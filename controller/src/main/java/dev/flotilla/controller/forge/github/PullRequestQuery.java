package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.MergeQueueStatus;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestRef;
import dev.flotilla.controller.model.PullRequestSnapshot.Review;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The GraphQL query that reads many pull requests at once, and what its answer says; pure, {@link
 * GitHubForge} sends it. One aliased {@code repository(owner:, name:) { pullRequest(number:) }} per
 * pull request, up to 100 a query, across repositories. Field names and enum values are those of
 * GitHub's public GraphQL schema ({@code @octokit/graphql-schema} 15.26, schema.graphql): {@code
 * PullRequest} ({@code state: PullRequestState} OPEN/CLOSED/MERGED, {@code merged}, {@code
 * headRefOid}, {@code mergeable: MergeableState}, {@code mergeStateStatus: MergeStateStatus}, {@code
 * reviewDecision: PullRequestReviewDecision} (null when no review is required), {@code updatedAt},
 * {@code isInMergeQueue}, {@code mergeQueueEntry}, {@code baseRef: Ref}, {@code statusCheckRollup:
 * StatusCheckRollup} of the head commit); the rollup's {@code contexts} are the union {@code
 * StatusCheckRollupContext = CheckRun | StatusContext}, each with {@code isRequired(pullRequestNumber:)};
 * {@code CheckRun.status: CheckStatusState} and {@code conclusion: CheckConclusionState} are REST's
 * words in upper case, as is {@code StatusContext.state: StatusState}. {@code rateLimit { cost
 * remaining resetAt }} costs nothing to ask.
 */
final class PullRequestQuery {

  /** Pull requests in one query. GitHub's cost: about one point per 100 connections, so one for a full batch. */
  static final int BATCH = 100;
  /** Checks and statuses per page of a rollup; a pull request with more is paged alone. */
  static final int CONTEXTS_PAGE = 100;

  /** What one pull request's answer holds, before the base's rules are known. */
  record Read(
      PullRequest pullRequest, List<CiStatus.Check> runs, List<CiStatus.Check> statuses, Set<String> required,
      MergeQueueStatus queue, Review review, Instant updatedAt, String endCursor) {

    /** Every check: check runs, then statuses, the order the REST read lists them in. */
    List<CiStatus.Check> checks() {
      List<CiStatus.Check> all = new ArrayList<>(runs);
      all.addAll(statuses);
      return all;
    }
  }

  private PullRequestQuery() {}

  /**
   * The query for {@code batch}, answered under aliases {@code p0}, {@code p1}, ...
   *
   * @param baseSelections what to read of each pull request's base {@code Ref} besides its name (its
   *     rules, or nothing when they are known), in the order of {@code batch}
   * @param mergeQueue whether the server's schema has the merge queue fields
   */
  static String batch(List<PullRequestRef> batch, List<String> baseSelections, boolean mergeQueue) {
    StringBuilder query = new StringBuilder("query { rateLimit { cost remaining resetAt }");
    for (int i = 0; i < batch.size(); i++) {
      PullRequestRef ref = batch.get(i);
      query.append(" p").append(i).append(": ").append(repository(ref)).append(" { pullRequest(number: ").append(ref.number())
          .append(") { number url state merged headRefName headRefOid baseRefName mergeable mergeStateStatus reviewDecision updatedAt")
          .append(mergeQueue ? " isInMergeQueue mergeQueueEntry { position state }" : "")
          .append(" baseRef { name").append(baseSelections.get(i)).append(" }")
          .append(" statusCheckRollup { ").append(contexts(ref.number(), null)).append(" } } }");
    }
    return query.append(" }").toString();
  }

  /** The next page of one pull request's checks, after {@code cursor}. */
  static String moreContexts(PullRequestRef ref, String cursor) {
    return "query { rateLimit { cost remaining resetAt } p0: " + repository(ref) + " { pullRequest(number: " + ref.number()
        + ") { statusCheckRollup { " + contexts(ref.number(), cursor) + " } } } }";
  }

  private static String repository(PullRequestRef ref) {
    return "repository(owner: " + quote(ref.repository().owner()) + ", name: " + quote(ref.repository().name()) + ")";
  }

  private static String contexts(int number, String cursor) {
    return "contexts(first: " + CONTEXTS_PAGE + (cursor == null ? "" : ", after: " + quote(cursor)) + ")"
        + " { pageInfo { hasNextPage endCursor } nodes { __typename"
        + " ... on CheckRun { name status conclusion url title isRequired(pullRequestNumber: " + number + ") }"
        + " ... on StatusContext { context state targetUrl description isRequired(pullRequestNumber: " + number + ") } } }";
  }

  /** One pull request's answer ({@code data.pN.pullRequest}). */
  static Read read(JsonNode pr) {
    boolean merged = pr.path("merged").asBoolean(false) || "MERGED".equals(pr.path("state").asText());
    PullRequest.State state = merged ? PullRequest.State.MERGED
        : "CLOSED".equals(pr.path("state").asText()) ? PullRequest.State.CLOSED : PullRequest.State.OPEN;
    String mergeable = pr.path("mergeable").asText("UNKNOWN");
    PullRequest pullRequest = new PullRequest(
        pr.path("number").asInt(),
        pr.path("url").asText(),
        pr.path("headRefName").asText(),
        pr.path("baseRefName").asText(),
        pr.path("headRefOid").asText(),
        state,
        GitHubForge.mergeable(lower(pr.path("mergeStateStatus")),
            "MERGEABLE".equals(mergeable) ? Boolean.TRUE : "CONFLICTING".equals(mergeable) ? Boolean.FALSE : null));
    List<CiStatus.Check> runs = new ArrayList<>();
    List<CiStatus.Check> statuses = new ArrayList<>();
    Set<String> required = new LinkedHashSet<>();
    String cursor = page(pr.path("statusCheckRollup").path("contexts"), runs, statuses, required);
    MergeQueueStatus queue = null;
    if (pr.path("isInMergeQueue").asBoolean(false)) {
      JsonNode entry = pr.path("mergeQueueEntry");
      queue = new MergeQueueStatus.Queued(entry.path("position").asInt(0), entry.path("state").asText("QUEUED"));
    }
    return new Read(pullRequest, runs, statuses, required, queue, review(pr.path("reviewDecision")), instant(pr.path("updatedAt")), cursor);
  }

  /**
   * Adds a page of a rollup's contexts to {@code runs} and {@code statuses}, and the names GitHub
   * says are required to {@code required}; returns the cursor of the next page, or null when this
   * was the last.
   */
  static String page(JsonNode contexts, List<CiStatus.Check> runs, List<CiStatus.Check> statuses, Set<String> required) {
    for (JsonNode node : contexts.path("nodes")) {
      String name;
      if ("StatusContext".equals(node.path("__typename").asText())) {
        name = node.path("context").asText();
        statuses.add(CiCombiner.status(name, lower(node.path("state")), text(node.path("targetUrl")), text(node.path("description"))));
      } else {
        name = node.path("name").asText();
        runs.add(CiCombiner.checkRun(name, lower(node.path("status")), lower(node.path("conclusion")), text(node.path("url")),
            text(node.path("title"))));
      }
      if (node.path("isRequired").asBoolean(false)) {
        required.add(name);
      }
    }
    JsonNode pageInfo = contexts.path("pageInfo");
    return pageInfo.path("hasNextPage").asBoolean(false) ? pageInfo.path("endCursor").asText(null) : null;
  }

  private static Review review(JsonNode decision) {
    if (!decision.isTextual()) {
      return Review.NOT_REQUIRED;
    }
    return switch (decision.asText()) {
      case "REVIEW_REQUIRED" -> Review.REVIEW_REQUIRED;
      case "CHANGES_REQUESTED" -> Review.CHANGES_REQUESTED;
      case "APPROVED" -> Review.APPROVED;
      default -> Review.UNKNOWN;
    };
  }

  private static String lower(JsonNode value) {
    return value.isTextual() ? value.asText().toLowerCase(Locale.ROOT) : "";
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : null;
  }

  private static Instant instant(JsonNode value) {
    return value.isTextual() ? OffsetDateTime.parse(value.asText()).toInstant() : null;
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
