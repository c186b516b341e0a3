package dev.flotilla.controller.forge.github.sim;

import static dev.flotilla.controller.forge.github.sim.Templates.JSON;

import dev.flotilla.controller.forge.github.sim.GitHubSim.Mergeability;
import dev.flotilla.controller.forge.github.sim.GitHubSim.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Mergeability, merges, branch updates and the merge queue, with GitHub's rules and its answers:
 * {@code mergeable} is null on the first read after the head or base moved (GitHub computes it in
 * the background), merges really move the base branch (merge commit, squash or rebase), and a
 * refused merge answers 405 or 409 with GitHub's messages.
 */
final class Merges {

  private final GitHubSim sim;

  Merges(GitHubSim sim) {
    this.sim = sim;
  }

  Mergeability mergeability(SimRepo repo, SimPull pull) {
    if (!pull.open) {
      return new Mergeability(null, "unknown");
    }
    Optional<ObjectId> base = repo.head(pull.baseRef);
    if (base.isEmpty()) {
      return new Mergeability(null, "unknown");
    }
    String key = pull.headSha + ".." + base.get().name();
    if (!key.equals(pull.computedFor)) {
      // The first read after a change starts the computation and answers null, as GitHub does.
      pull.conflictFree = conflictFree(repo, pull, base.get());
      pull.computedFor = key;
      return new Mergeability(null, "unknown");
    }
    if (!pull.conflictFree) {
      return new Mergeability(false, "dirty");
    }
    if (refusal(repo, pull, base.get(), false).isPresent()) {
      return new Mergeability(true, behind(repo, pull, base.get()) && repo.strict() ? "behind" : "blocked");
    }
    boolean failing = sim.ci.of(repo, pull.headSha).stream().anyMatch(Ci.Check::failed);
    return new Mergeability(true, failing ? "unstable" : "clean");
  }

  private boolean conflictFree(SimRepo repo, SimPull pull, ObjectId base) {
    try {
      return repo.mergedTree(base, ObjectId.fromString(pull.headSha)).isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean behind(SimRepo repo, SimPull pull, ObjectId base) {
    try {
      return !repo.isAncestor(base, ObjectId.fromString(pull.headSha));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Why GitHub would refuse to merge now by its rules (strict, required checks, reviews), or empty.
   * A ruleset the App may bypass does not count, as on GitHub.
   */
  private Optional<String> refusal(SimRepo repo, SimPull pull, ObjectId base, boolean forMerge) {
    SimRepo.Rules protection = repo.protection;
    SimRepo.Rules ruleset = repo.ruleset != null && !repo.ruleset.appMayBypass ? repo.ruleset : null;
    boolean strict = (protection != null && protection.strict) || (ruleset != null && ruleset.strict);
    if (strict && behind(repo, pull, base)) {
      return Optional.of("Head branch is not up to date with the base branch");
    }
    List<Ci.Check> checks = sim.ci.of(repo, pull.headSha);
    for (SimRepo.Rules rules : new SimRepo.Rules[] {protection, ruleset}) {
      if (rules == null) {
        continue;
      }
      for (String required : rules.requiredChecks) {
        Optional<Ci.Check> check = checks.stream().filter(c -> c.name.equals(required)).reduce((a, b) -> b);
        if (check.isEmpty() || !check.get().passed()) {
          String state = check.isEmpty() || !"completed".equals(check.get().status) ? "expected" : "failing";
          return Optional.of(rules == ruleset
              ? "Repository rule violations found\n\nRequired status check \"" + required + "\" is " + state + ".\n\n"
              : "Required status check \"" + required + "\" is " + state + ".");
        }
      }
      if (pull.approvals() < rules.requiredApprovals) {
        return Optional.of("At least " + rules.requiredApprovals + " approving review" + (rules.requiredApprovals == 1 ? " is" : "s are")
            + " required by reviewers with write access.");
      }
    }
    return Optional.empty();
  }

  /** {@code PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge}; answers as in the examples of operation pulls/merge. */
  Reply merge(SimRepo repo, SimPull pull, String sha, String method) {
    synchronized (repo) {
      if (!pull.open) {
        return Reply.message(405, "Pull Request is not mergeable");
      }
      if (sha != null && !sha.equals(pull.headSha)) {
        return Reply.message(409, "Head branch was modified. Review and try the merge again.");
      }
      if (repo.mergeQueue() && !repo.ruleset.appMayBypass) {
        return Reply.message(405, "Changes must be made through the merge queue");
      }
      ObjectId base = repo.head(pull.baseRef).orElseThrow();
      if (!conflictFree(repo, pull, base)) {
        return Reply.message(405, "Pull Request is not mergeable");
      }
      Optional<String> refused = refusal(repo, pull, base, true);
      if (refused.isPresent()) {
        return Reply.message(405, refused.get());
      }
      String how = method == null ? "merge" : method;
      boolean allowed = switch (how) {
        case "squash" -> repo.allowSquashMerge;
        case "rebase" -> repo.allowRebaseMerge;
        default -> repo.allowMergeCommit;
      };
      if (!allowed) {
        return Reply.message(405, switch (how) {
          case "squash" -> "Squash merges are not allowed on this repository.";
          case "rebase" -> "Rebase merges are not allowed on this repository.";
          default -> "Merge commits are not allowed on this repository.";
        });
      }
      try {
        ObjectId head = ObjectId.fromString(pull.headSha);
        String title = pull.title + " (#" + pull.number + ")";
        ObjectId merged = switch (how) {
          case "squash" -> repo.commitTree(repo.mergedTree(base, head).orElseThrow(), title + "\n", GitHubSim.GITHUB, base);
          case "rebase" -> repo.rebase(base, head, GitHubSim.GITHUB).orElse(null);
          default -> repo.commitTree(repo.mergedTree(base, head).orElseThrow(),
              "Merge pull request #" + pull.number + " from " + repo.owner + "/" + pull.headRef + "\n\n" + pull.title + "\n",
              GitHubSim.GITHUB, base, head);
        };
        if (merged == null) {
          return Reply.message(405, "This branch can't be rebased");
        }
        if (!repo.moveBranch(pull.baseRef, base, merged)) {
          return Reply.message(405, "Base branch was modified. Review and try the merge again.");
        }
        landed(repo, pull, base, merged);
        return Reply.json(200, JSON.createObjectNode().put("sha", merged.name()).put("merged", true)
            .put("message", "Pull Request successfully merged"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The pull request is merged as {@code merged} on its base: state, webhooks, branch deletion. */
  private void landed(SimRepo repo, SimPull pull, ObjectId base, ObjectId merged) throws IOException {
    pull.merged = true;
    pull.open = false;
    pull.mergedAt = sim.now();
    pull.closedAt = pull.mergedAt;
    pull.updatedAt = pull.mergedAt;
    pull.mergeCommitSha = merged.name();
    sim.pushed(repo, pull.baseRef, base, merged);
    sim.pullRequestEvent("closed", repo, pull);
    if (repo.deleteBranchOnMerge) {
      ObjectId head = repo.head(pull.headRef).orElse(null);
      if (head != null && repo.moveBranch(pull.headRef, head, null)) {
        sim.pushed(repo, pull.headRef, head, ObjectId.zeroId());
      }
    }
  }

  /** {@code PUT /repos/{owner}/{repo}/pulls/{pull_number}/update-branch}: merges the base into the head, as operation pulls/update-branch. */
  Reply updateBranch(SimRepo repo, SimPull pull, String expectedHeadSha) {
    synchronized (repo) {
      if (!pull.open) {
        return Reply.message(422, "Pull request is closed");
      }
      if (expectedHeadSha != null && !expectedHeadSha.equals(pull.headSha)) {
        return Reply.message(422, "expected head sha didn't match current head ref.");
      }
      try {
        ObjectId base = repo.head(pull.baseRef).orElseThrow();
        ObjectId head = ObjectId.fromString(pull.headSha);
        if (repo.isAncestor(base, head)) {
          return Reply.message(422, "There are no new commits on the base branch.");
        }
        Optional<ObjectId> tree = repo.mergedTree(head, base);
        if (tree.isEmpty()) {
          return Reply.message(422, "merge conflict between base and head");
        }
        ObjectId update = repo.commitTree(tree.get(), "Merge branch '" + pull.baseRef + "' into " + pull.headRef + "\n",
            GitHubSim.GITHUB, head, base);
        if (!repo.moveBranch(pull.headRef, head, update)) {
          return Reply.message(422, "expected head sha didn't match current head ref.");
        }
        sim.pushed(repo, pull.headRef, head, update);
        return Reply.json(202, sim.templates().rest("PUT /repos/{owner}/{repo}/pulls/{pull_number}/update-branch 202")
            .put("url", sim.base() + "/repos/" + repo.fullName() + "/pulls/" + pull.number));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  // ---- merge queue

  /** Adds the pull request to the queue: GitHub builds the merge of base and head and runs CI on it. An error message, or empty. */
  Optional<String> enqueue(SimRepo repo, SimPull pull) {
    synchronized (repo) {
      if (!repo.mergeQueue()) {
        return Optional.of("Merge queue is not enabled for the base branch of this pull request");
      }
      if (!pull.open) {
        return Optional.of("Pull request is closed");
      }
      if (pull.queueCommit != null) {
        return Optional.empty();
      }
      try {
        ObjectId base = repo.head(pull.baseRef).orElseThrow();
        ObjectId head = ObjectId.fromString(pull.headSha);
        Optional<ObjectId> tree = repo.mergedTree(base, head);
        if (tree.isEmpty()) {
          return Optional.of("Pull request is in a dirty state and cannot be enqueued");
        }
        ObjectId group = repo.commitTree(tree.get(), "Merge pull request #" + pull.number + " from " + repo.owner + "/" + pull.headRef + "\n",
            GitHubSim.GITHUB, base, head);
        String branch = queueBranch(pull);
        repo.moveBranch(branch, null, group);
        pull.queueCommit = group.name();
        pull.dequeueReason = null;
        sim.pullRequestEvent("enqueued", repo, pull);
        sim.pushed(repo, branch, null, group);
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String queueBranch(SimPull pull) {
    return "gh-readonly-queue/" + pull.baseRef + "/pr-" + pull.number + "-" + pull.headSha;
  }

  /** A check on {@code sha} completed: a queued merge group that passed lands, one that failed leaves the queue. */
  void checksChanged(SimRepo repo, String sha) {
    for (SimPull pull : repo.pulls.values()) {
      if (!sha.equals(pull.queueCommit)) {
        continue;
      }
      List<Ci.Check> checks = sim.ci.of(repo, sha);
      if (checks.stream().anyMatch(Ci.Check::failed)) {
        dequeue(repo, pull, "CI_FAILURE");
      } else if (checks.stream().allMatch(Ci.Check::passed)
          && repo.requiredChecks().stream().allMatch(name -> checks.stream().anyMatch(c -> c.name.equals(name) && c.passed()))) {
        land(repo, pull);
      }
    }
  }

  private void land(SimRepo repo, SimPull pull) {
    synchronized (repo) {
      try {
        ObjectId group = ObjectId.fromString(pull.queueCommit);
        ObjectId base = repo.head(pull.baseRef).orElseThrow();
        if (!repo.isAncestor(base, group)) {
          // The base moved under the group: GitHub rebuilds it.
          pull.queueCommit = null;
          repo.moveBranch(queueBranch(pull), null, null);
          enqueue(repo, pull);
          return;
        }
        repo.moveBranch(pull.baseRef, base, group);
        pull.queueCommit = null;
        repo.moveBranch(queueBranch(pull), null, null);
        landed(repo, pull, base, group);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The queue removes the pull request, with GitHub's reason ({@code CI_FAILURE}, {@code MERGE_CONFLICT}, {@code MANUAL}, ...). */
  void dequeue(SimRepo repo, SimPull pull, String reason) {
    synchronized (repo) {
      if (pull.queueCommit == null) {
        return;
      }
      try {
        repo.moveBranch(queueBranch(pull), null, null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      pull.queueCommit = null;
      pull.dequeueReason = reason;
      pull.dequeuedAt = sim.now();
      sim.pullRequestEvent("dequeued", repo, pull);
    }
  }
}
