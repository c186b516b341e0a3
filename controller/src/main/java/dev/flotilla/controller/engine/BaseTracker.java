package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.controller.store.ChangesetStore.PushedBase;
import dev.flotilla.runner.CredentialResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the default branch's head when a changeset's branch was pushed, and tells when the
 * branch is stale: pushed longer than the campaign's {@code rebaseAfter} ago onto a base that has
 * moved on since. Reads heads with one {@code ls-remote}, the way any Git client can, so it works
 * for every forge.
 */
final class BaseTracker {

  private static final Logger LOG = LoggerFactory.getLogger(BaseTracker.class);

  private final EngineContext fleet;
  private final CredentialResolver credentials = CredentialResolver.fromEnvironment();

  BaseTracker(EngineContext fleet) {
    this.fleet = fleet;
  }

  /** Records that {@code changeset}'s branch was just pushed onto the current default branch. */
  void pushed(Changeset changeset, Repository repo, Instant now) {
    // A head read a moment after the runner cloned can only be newer than the real base, so the
    // branch looks fresher than it is: a re-run comes later, never sooner.
    String base = defaultBranchHead(repo).orElse(null);
    fleet.changesets().pushedOnto(changeset.id(), base, now);
  }

  /**
   * Why the branch should be rebuilt on the new base, or empty when it is younger than {@code
   * rebaseAfter}, its base has not moved, or nothing is known about its push.
   */
  Optional<String> stale(Changeset changeset, Repository repo, Duration rebaseAfter, Instant now) {
    if (rebaseAfter == null) {
      return Optional.empty();
    }
    Optional<PushedBase> pushed = fleet.changesets().pushedBase(changeset.id());
    if (pushed.isEmpty() || pushed.get().pushedAt().plus(rebaseAfter).isAfter(now)) {
      return Optional.empty();
    }
    String base = pushed.get().baseSha();
    Optional<String> head = defaultBranchHead(repo);
    if (head.isEmpty() || head.get().equals(base)) {
      return Optional.empty();
    }
    return Optional.of("the branch is older than rebaseAfter (" + rebaseAfter + ") and "
        + repo.ref().defaultBranch() + " moved on to " + ResultRecorder.shortSha(head.get()) + "; re-running on the new base");
  }

  private Optional<String> defaultBranchHead(Repository repo) {
    try {
      var ls = Git.lsRemoteRepository().setRemote(repo.ref().cloneUrl()).setHeads(true);
      credentials.resolve(fleet.forge().runCredential(repo.ref()))
          .ifPresent(s -> ls.setCredentialsProvider(new UsernamePasswordCredentialsProvider(s.username(), s.token())));
      return ls.callAsMap().values().stream()
          .filter(r -> r.getName().equals("refs/heads/" + repo.ref().defaultBranch()))
          .map(Ref::getObjectId)
          .map(org.eclipse.jgit.lib.ObjectId::getName)
          .findFirst();
    } catch (GitAPIException | RuntimeException e) {
      // Not knowing the head only delays a re-run; the next check asks again.
      LOG.warn("could not read the head of {} on {}: {}", repo.ref().defaultBranch(), repo.fullName(), e.getMessage());
      return Optional.empty();
    }
  }
}
