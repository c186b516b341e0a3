package dev.flotilla.controller.forge.github.sim;

import static dev.flotilla.controller.forge.github.sim.Templates.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controller.forge.github.sim.GitHubSim.Identity;
import dev.flotilla.controller.forge.github.sim.GitHubSim.Reply;
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

  private final GitHubSim sim;

  GraphQl(GitHubSim sim) {
    this.sim = sim;
  }

  Reply answer(Router.Call call, Identity who) {
    String query = call.body().path("query").asText("");
    ObjectNode body = JSON.createObjectNode();
    ObjectNode data = body.putObject("data");
    ArrayNode errors = JSON.createArrayNode();
    if (query.contains("enqueuePullRequest")) {
      enqueue(query, call.body().path("variables"), who, data, errors);
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
