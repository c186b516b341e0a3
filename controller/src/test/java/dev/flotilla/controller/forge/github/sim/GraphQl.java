package dev.flotilla.controller.forge.github.sim;

import static dev.flotilla.controller.forge.github.sim.Templates.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controller.forge.github.sim.GitHubSim.Identity;
import dev.flotilla.controller.forge.github.sim.GitHubSim.Reply;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The GraphQL queries Flotilla sends, answered from the simulator's state in the shape of GitHub's
 * public schema: aliased {@code repository(owner:, name:)} reads of a file
 * ({@code object(expression:)} on a {@code Blob}), the default branch's {@code refUpdateRule} and
 * {@code rules}, a {@code pullRequest(number:)} with its {@code mergeQueueEntry}; and the
 * {@code enqueuePullRequest} mutation. It reads the fields it knows from the query text rather than
 * parsing GraphQL, which is enough for the queries Flotilla writes.
 */
final class GraphQl {

  private static final Pattern REPOSITORY =
      Pattern.compile("(\\w+)\\s*:\\s*repository\\(owner:\\s*\"([^\"]+)\",\\s*name:\\s*\"([^\"]+)\"\\)");
  private static final Pattern EXPRESSION = Pattern.compile("object\\(expression:\\s*\"HEAD:([^\"]+)\"\\)");
  private static final Pattern PULL_NUMBER = Pattern.compile("pullRequest\\(number:\\s*(\\d+)\\)");
  private static final Pattern REPOSITORY_BY_VARIABLES =
      Pattern.compile("repository\\(owner:\\s*\\$(\\w+),\\s*name:\\s*\\$(\\w+)\\)");
  private static final Pattern PULL_NUMBER_VARIABLE = Pattern.compile("pullRequest\\(number:\\s*\\$(\\w+)\\)");
  private static final Pattern PULL_ID = Pattern.compile("pullRequestId:\\s*\"([^\"]+)\"");
  private static final Pattern CONTEXTS = Pattern.compile("contexts\\(first:\\s*(\\d+)(?:,\\s*after:\\s*\"(\\d+)\")?\\)");
  private static final Pattern CONNECTION = Pattern.compile("\\w+\\((?:[^)]*,\\s*)?(?:first|last):\\s*\\d+");

  private final GitHubSim sim;

  GraphQl(GitHubSim sim) {
    this.sim = sim;
  }

  Reply answer(Router.Call call, Identity who) {
    String query = call.body().path("query").asText("");
    ObjectNode body = JSON.createObjectNode();
    ObjectNode data = body.putObject("data");
    ArrayNode errors = JSON.createArrayNode();
    if (query.contains("rateLimit")) {
      rateLimit(query, who, data);
    }
    if (query.contains("enqueuePullRequest")) {
      enqueue(query, call.body().path("variables"), who, data, errors);
    } else if (query.contains("statusCheckRollup")) {
      pullRequests(query, who, data, errors);
    } else {
      Matcher repos = REPOSITORY.matcher(query);
      Matcher expression = EXPRESSION.matcher(query);
      String path = expression.find() ? expression.group(1) : null;
      Matcher number = PULL_NUMBER.matcher(query);
      Integer pullNumber = number.find() ? Integer.valueOf(number.group(1)) : null;
      JsonNode variables = call.body().path("variables");
      Matcher numberVariable = PULL_NUMBER_VARIABLE.matcher(query);
      if (numberVariable.find()) {
        pullNumber = variables.path(numberVariable.group(1)).asInt();
      }
      Matcher byVariables = REPOSITORY_BY_VARIABLES.matcher(query);
      if (byVariables.find()) {
        // repository(owner: $owner, name: $name), answered under its field name.
        String owner = variables.path(byVariables.group(1)).asText();
        String name = variables.path(byVariables.group(2)).asText();
        Optional<SimRepo> repo = sim.find(owner, name).filter(r -> who.sees(r, sim.installations()));
        if (repo.isEmpty()) {
          data.putNull("repository");
          errors.addObject().put("type", "NOT_FOUND").put("message",
              "Could not resolve to a Repository with the name '" + owner + "/" + name + "'.").putArray("path").add("repository");
        } else {
          data.set("repository", repository(repo.get(), path, pullNumber, query.contains("rules(")));
        }
      }
      while (repos.find()) {
        String alias = repos.group(1);
        Optional<SimRepo> repo = sim.find(repos.group(2), repos.group(3)).filter(r -> who.sees(r, sim.installations()));
        if (repo.isEmpty()) {
          data.putNull(alias);
          errors.addObject().put("type", "NOT_FOUND").put("message",
              "Could not resolve to a Repository with the name '" + repos.group(2) + "/" + repos.group(3) + "'.")
              .putArray("path").add(alias);
          continue;
        }
        data.set(alias, repository(repo.get(), path, pullNumber, query.contains("rules(")));
      }
    }
    if (!errors.isEmpty()) {
      body.set("errors", errors);
    }
    return Reply.json(200, body);
  }

  private ObjectNode repository(SimRepo repo, String path, Integer pullNumber, boolean rules) {
    ObjectNode node = JSON.createObjectNode().put("id", "R_sim" + repo.id).put("nameWithOwner", repo.fullName())
        .put("deleteBranchOnMerge", repo.deleteBranchOnMerge);
    Optional<ObjectId> head = repo.head(repo.defaultBranch);
    if (path != null) {
      ObjectId blob = head.map(h -> repo.blobId(h, path)).orElse(null);
      if (blob == null) {
        node.putNull("object");
      } else {
        String text = repo.file(head.get(), path);
        node.putObject("object").put("text", text).put("oid", blob.name())
            .put("byteSize", text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).put("isBinary", false);
      }
    }
    if (head.isEmpty()) {
      node.putNull("defaultBranchRef");
    } else {
      ObjectNode ref = node.putObject("defaultBranchRef").put("name", repo.defaultBranch);
      SimRepo.Rules protection = repo.protection;
      if (protection == null) {
        ref.putNull("refUpdateRule");
      } else {
        ObjectNode rule = ref.putObject("refUpdateRule");
        protection.requiredChecks.forEach(rule.putArray("requiredStatusCheckContexts")::add);
        rule.put("requiredApprovingReviewCount", protection.requiredApprovals);
      }
      if (protection == null) {
        ref.putNull("branchProtectionRule");
      } else {
        ref.putObject("branchProtectionRule").put("requiresStrictStatusChecks", protection.strict);
      }
      if (rules) {
        ArrayNode nodes = ref.putObject("rules").putArray("nodes");
        SimRepo.Rules ruleset = repo.ruleset;
        if (ruleset != null) {
          if (!ruleset.requiredChecks.isEmpty() || ruleset.strict) {
            ObjectNode parameters = nodes.addObject().put("type", "REQUIRED_STATUS_CHECKS").putObject("parameters")
                .put("strictRequiredStatusChecksPolicy", ruleset.strict);
            ArrayNode checks = parameters.putArray("requiredStatusChecks");
            ruleset.requiredChecks.forEach(c -> checks.addObject().put("context", c));
          }
          if (ruleset.requiredApprovals > 0) {
            nodes.addObject().put("type", "PULL_REQUEST").putObject("parameters").put("requiredApprovingReviewCount", ruleset.requiredApprovals);
          }
          if (ruleset.mergeQueue) {
            nodes.addObject().put("type", "MERGE_QUEUE").putObject("parameters").put("mergeMethod", "MERGE");
          }
        }
      }
    }
    if (pullNumber != null) {
      SimPull pull = repo.pulls.get(pullNumber);
      if (pull == null) {
        node.putNull("pullRequest");
      } else {
        ObjectNode pr = node.putObject("pullRequest").put("id", pull.nodeId()).put("number", pull.number)
            .put("state", pull.merged ? "MERGED" : pull.open ? "OPEN" : "CLOSED").put("merged", pull.merged)
            .put("headRefOid", pull.headSha);
        pr.put("isInMergeQueue", pull.queueCommit != null);
        if (pull.queueCommit == null) {
          pr.putNull("mergeQueueEntry");
        } else {
          pr.putObject("mergeQueueEntry").put("id", "MQE_sim" + pull.id).put("state", "AWAITING_CHECKS").put("position", 0);
        }
        try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo.git)) {
          var headCommit = walk.parseCommit(ObjectId.fromString(pull.headSha));
          pr.putObject("commits").putArray("nodes").addObject().putObject("commit")
              .put("oid", pull.headSha).put("committedDate", headCommit.getCommitterIdent().getWhenAsInstant().toString());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        ArrayNode removals = pr.putObject("timelineItems").putArray("nodes");
        if (pull.dequeuedAt != null) {
          removals.addObject().put("createdAt", pull.dequeuedAt.toString()).put("reason", pull.dequeueReason);
        }
      }
    }
    return node;
  }

  /**
   * {@code rateLimit { cost remaining resetAt }}: the query's cost as GitHub counts it (the
   * connections it may read, each taken as full, per hundred, at least one), charged to the
   * credential's GraphQL budget beyond the one point every request takes.
   */
  private void rateLimit(String query, Identity who, ObjectNode data) {
    long connections = CONNECTION.matcher(query).results().count();
    int cost = (int) Math.max(1, Math.round(connections / 100.0));
    for (int extra = 1; extra < cost; extra++) {
      sim.limits.take(who.key(), "graphql", sim.now());
    }
    Limits.Budget budget = sim.limits.peek(who.key(), "graphql", sim.now());
    data.putObject("rateLimit").put("cost", cost).put("remaining", Math.max(0, sim.limits.graphqlLimit - budget.used))
        .put("resetAt", budget.reset.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
  }

  /**
   * Aliased {@code repository(owner:, name:) { pullRequest(number:) { ... statusCheckRollup ... } }}
   * reads, each answered from the pull request, its repository's rules and its head's checks; the
   * rollup's contexts are paged with {@code first} and an {@code after} cursor (an offset here).
   */
  private void pullRequests(String query, Identity who, ObjectNode data, ArrayNode errors) {
    Matcher repos = REPOSITORY.matcher(query);
    java.util.List<int[]> spans = new java.util.ArrayList<>();
    java.util.List<String[]> names = new java.util.ArrayList<>();
    while (repos.find()) {
      spans.add(new int[] {repos.start(), query.length()});
      names.add(new String[] {repos.group(1), repos.group(2), repos.group(3)});
      if (spans.size() > 1) {
        spans.get(spans.size() - 2)[1] = repos.start();
      }
    }
    for (int i = 0; i < spans.size(); i++) {
      String part = query.substring(spans.get(i)[0], spans.get(i)[1]);
      String alias = names.get(i)[0];
      Optional<SimRepo> repo = sim.find(names.get(i)[1], names.get(i)[2]).filter(r -> who.sees(r, sim.installations()));
      if (repo.isEmpty()) {
        data.putNull(alias);
        errors.addObject().put("type", "NOT_FOUND").put("message",
            "Could not resolve to a Repository with the name '" + names.get(i)[1] + "/" + names.get(i)[2] + "'.")
            .putArray("path").add(alias);
        continue;
      }
      Matcher number = PULL_NUMBER.matcher(part);
      String asked = number.find() ? number.group(1) : "0";
      SimPull pull = repo.get().pulls.get(Integer.parseInt(asked));
      ObjectNode node = data.putObject(alias);
      if (pull == null) {
        node.putNull("pullRequest");
        errors.addObject().put("type", "NOT_FOUND").put("message", "Could not resolve to a PullRequest with the number of "
            + asked + ".").putArray("path").add(alias).add("pullRequest");
        continue;
      }
      node.set("pullRequest", pullRequest(repo.get(), pull, part));
    }
  }

  /** One pull request as {@code PullRequest} in GitHub's schema, with the fields the query names. */
  private ObjectNode pullRequest(SimRepo repo, SimPull pull, String query) {
    ObjectNode pr = JSON.createObjectNode().put("id", pull.nodeId()).put("number", pull.number)
        .put("url", sim.base() + "/" + repo.fullName() + "/pull/" + pull.number)
        .put("state", pull.merged ? "MERGED" : pull.open ? "OPEN" : "CLOSED").put("merged", pull.merged)
        .put("headRefName", pull.headRef).put("headRefOid", pull.headSha).put("baseRefName", pull.baseRef)
        .put("updatedAt", pull.updatedAt.toString());
    if (query.contains("mergeStateStatus")) {
      GitHubSim.Mergeability m = sim.merges.mergeability(repo, pull);
      pr.put("mergeable", m.mergeable() == null ? "UNKNOWN" : m.mergeable() ? "MERGEABLE" : "CONFLICTING")
          .put("mergeStateStatus", m.state().toUpperCase(java.util.Locale.ROOT));
    }
    List<String> required = required(repo);
    int approvalsRequired = Math.max(repo.protection == null ? 0 : repo.protection.requiredApprovals,
        repo.ruleset == null ? 0 : repo.ruleset.requiredApprovals);
    if (pull.reviews.containsValue("CHANGES_REQUESTED")) {
      pr.put("reviewDecision", "CHANGES_REQUESTED");
    } else if (approvalsRequired > 0) {
      pr.put("reviewDecision", pull.approvals() >= approvalsRequired ? "APPROVED" : "REVIEW_REQUIRED");
    } else {
      pr.putNull("reviewDecision");
    }
    if (query.contains("isInMergeQueue")) {
      pr.put("isInMergeQueue", pull.queueCommit != null);
      if (pull.queueCommit == null) {
        pr.putNull("mergeQueueEntry");
      } else {
        pr.putObject("mergeQueueEntry").put("position", 1).put("state", "AWAITING_CHECKS");
      }
    }
    if (query.contains("baseRef {")) {
      ObjectNode base = repository(repo, null, null, query.contains("rules(")).path("defaultBranchRef").deepCopy();
      if (!pull.baseRef.equals(repo.defaultBranch)) {
        base = JSON.createObjectNode().put("name", pull.baseRef);
      }
      pr.set("baseRef", base);
    }
    Matcher page = CONTEXTS.matcher(query);
    if (page.find()) {
      int first = Integer.parseInt(page.group(1));
      int from = page.group(2) == null ? 0 : Integer.parseInt(page.group(2));
      List<Ci.Check> all = sim.ci.of(repo, pull.headSha);
      ObjectNode rollup = pr.putObject("statusCheckRollup");
      rollup.put("state", all.stream().anyMatch(Ci.Check::failed) ? "FAILURE"
          : !all.isEmpty() && all.stream().allMatch(Ci.Check::passed) ? "SUCCESS" : "PENDING");
      ObjectNode contexts = rollup.putObject("contexts");
      ArrayNode nodes = contexts.putArray("nodes");
      all.stream().skip(from).limit(first).forEach(c -> nodes.add(context(repo, c, required)));
      boolean more = from + first < all.size();
      contexts.putObject("pageInfo").put("hasNextPage", more).put("endCursor", String.valueOf(Math.min(all.size(), from + first)));
    }
    return pr;
  }

  /** A check run as {@code CheckRun}, a commit status as {@code StatusContext}. */
  private ObjectNode context(SimRepo repo, Ci.Check check, List<String> required) {
    ObjectNode node = JSON.createObjectNode();
    if (check.commitStatus) {
      node.put("__typename", "StatusContext").put("context", check.name)
          .put("state", Ci.statusState(check).toUpperCase(java.util.Locale.ROOT))
          .put("targetUrl", sim.base() + "/ci/" + check.id).put("description", check.title);
    } else {
      node.put("__typename", "CheckRun").put("name", check.name).put("status", check.status.toUpperCase(java.util.Locale.ROOT))
          .put("conclusion", check.conclusion == null ? null : check.conclusion.toUpperCase(java.util.Locale.ROOT))
          .put("url", sim.base() + "/" + repo.fullName() + "/runs/" + check.id).put("title", check.title);
    }
    return node.put("isRequired", required.contains(check.name));
  }

  /** The checks the default branch's protection and ruleset require. */
  private static List<String> required(SimRepo repo) {
    List<String> names = new java.util.ArrayList<>();
    if (repo.protection != null) {
      names.addAll(repo.protection.requiredChecks);
    }
    if (repo.ruleset != null) {
      names.addAll(repo.ruleset.requiredChecks);
    }
    return names;
  }

  /** The {@code enqueuePullRequest} mutation: the entry, or GitHub's error when the queue refuses. */
  private void enqueue(String query, JsonNode variables, Identity who, ObjectNode data, ArrayNode errors) {
    Matcher literal = PULL_ID.matcher(query);
    String id = literal.find() ? literal.group(1) : findPullId(variables);
    for (SimRepo repo : sim.repos()) {
      for (SimPull pull : repo.pulls.values()) {
        if (pull.nodeId().equals(id) && who.sees(repo, sim.installations())) {
          Optional<String> refused = sim.merges.enqueue(repo, pull);
          if (refused.isPresent()) {
            data.putNull("enqueuePullRequest");
            errors.addObject().put("type", "UNPROCESSABLE").put("message", refused.get()).putArray("path").add("enqueuePullRequest");
          } else {
            data.putObject("enqueuePullRequest").putObject("mergeQueueEntry")
                .put("id", "MQE_sim" + pull.id).put("state", "AWAITING_CHECKS").put("position", 0);
          }
          return;
        }
      }
    }
    data.putNull("enqueuePullRequest");
    errors.addObject().put("type", "NOT_FOUND").put("message", "Could not resolve to a node with the global id of '" + id + "'")
        .putArray("path").add("enqueuePullRequest");
  }

  private static String findPullId(JsonNode variables) {
    if (variables.isTextual() && variables.asText().startsWith("PR_")) {
      return variables.asText();
    }
    for (JsonNode value : variables) {
      String found = findPullId(value);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
