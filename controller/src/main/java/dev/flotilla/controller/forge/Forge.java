package dev.flotilla.controller.forge;

import dev.flotilla.controller.model.BranchRules;
import dev.flotilla.controller.model.DeploymentStatus;
import dev.flotilla.controller.model.MergeQueueStatus;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestRef;
import dev.flotilla.controller.model.PullRequestSnapshot;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.runner.RunRequest;
import java.util.List;
import java.util.Optional;

/**
 * Where repositories and pull requests live: GitHub, or the local forge of bare repositories. The
 * controller is the only caller, so rate limits are kept in one place. Every method is safe to call
 * again with the same arguments: a pull request for a branch that already has one is adopted, not
 * opened twice.
 */
public interface Forge {

  /** A short name for logs and metrics: {@code local}, {@code github}. */
  String name();

  /**
   * Every repository Flotilla may consider (archived and disabled ones left out). An empty
   * repository, one without a default branch yet, has no opt-in file and is recorded as not opted in.
   */
  List<RepositoryRef> listRepositories();

  /**
   * The {@code .flotilla.yaml} text on each repository's default branch, for many repositories at
   * once where the forge can batch it. A repository without the file is absent from the map.
   */
  java.util.Map<RepositoryRef, String> readOptInFiles(List<RepositoryRef> repositories);

  /** Files that name a repository's owners, read from the default branch; the first of each kind found is used. */
  List<String> OWNER_FILES =
      List.of("catalog-info.yaml", ".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS");

  /**
   * The {@link #OWNER_FILES} each repository has, by path. A forge that cannot read them answers
   * nothing, and ownership then comes from the other sources.
   */
  default java.util.Map<RepositoryRef, java.util.Map<String, String>> readOwnerFiles(List<RepositoryRef> repositories) {
    return java.util.Map.of();
  }

  /** What the runner needs to clone and push this one repository, and nothing more. */
  RunRequest.Credential runCredential(RepositoryRef repository);

  /** The open pull request whose head is {@code branch}, if any. */
  Optional<PullRequest> findOpenPullRequest(RepositoryRef repository, String branch);

  /** Opens a pull request, or adopts the open one that already exists for the branch. */
  PullRequest openPullRequest(RepositoryRef repository, PullRequestSpec spec);

  /** The pull request as the forge sees it now. */
  PullRequest getPullRequest(RepositoryRef repository, int number);

  /**
   * Many pull requests at once, each with what the pull request rules need (state, head, base,
   * mergeability, checks, and where the forge can, the base's rules and the reviews). A pull request
   * that could not be read is absent; the caller reads it alone. The default reads each pull request
   * as {@link #getPullRequest} does and leaves the rest unread, so the checks are asked of {@link
   * #ciStatus} only when the rules need them (the local forge starts its CI on that read); a forge
   * that can read many in one request overrides it.
   */
  default java.util.Map<PullRequestRef, PullRequestSnapshot> readPullRequests(List<PullRequestRef> pullRequests) {
    java.util.Map<PullRequestRef, PullRequestSnapshot> read = new java.util.LinkedHashMap<>();
    for (PullRequestRef ref : pullRequests) {
      read.put(ref, PullRequestSnapshot.of(getPullRequest(ref.repository(), ref.number())));
    }
    return read;
  }

  void updatePullRequest(RepositoryRef repository, int number, PullRequestSpec spec);

  /** Closes the pull request with a comment saying why. */
  void closePullRequest(RepositoryRef repository, int number, String comment);

  /** The checks on a commit, combined; {@link CiStatus.State#NONE} when nothing reported. */
  CiStatus ciStatus(RepositoryRef repository, String headSha);

  /**
   * The latest status of the latest deployment of {@code sha} to each of {@code environments}; an
   * environment with no deployment of the commit, or one that reported no status yet, is absent.
   * The default is for a forge without deployments, such as the local forge: it has none, so there
   * is nothing to watch and every environment is absent.
   */
  default java.util.Map<String, DeploymentStatus> deploymentStatuses(RepositoryRef repository, String sha, List<String> environments) {
    return java.util.Map.of();
  }

  /**
   * The checks the forge itself requires to pass on the default branch before a merge; empty when it
   * requires none, so it would merge a pull request whose tests fail.
   */
  List<String> requiredChecks(RepositoryRef repository);

  /** Merges only if the head is still {@code expectedHeadSha}. */
  MergeResult merge(RepositoryRef repository, int number, String expectedHeadSha, MergeMethod method);

  void deleteBranch(RepositoryRef repository, String branch);

  /**
   * What {@code branch} demands before a merge: required checks, up-to-date heads, a merge queue,
   * reviews. May be cached; {@link #forgetBranchRules} drops the cached copy. The local forge
   * demands nothing.
   */
  default BranchRules branchRules(RepositoryRef repository, String branch) {
    return BranchRules.NONE;
  }

  /** Drops what is known of the repository's branch rules (its protection or rulesets changed). */
  default void forgetBranchRules(RepositoryRef repository) {}

  /**
   * Asks the forge to merge the base into the pull request's branch, if the head is still {@code
   * expectedHeadSha}. Asynchronous: the new head shows on a later read, as a merge of the base into
   * {@code expectedHeadSha} (see {@link #isUpdateFromBase}).
   */
  default void updateBranch(RepositoryRef repository, int number, String expectedHeadSha) {
    throw new UnsupportedOperationException(name() + " cannot update a pull request's branch");
  }

  /**
   * Whether {@code headSha} is the forge's merge of the base into {@code previousHeadSha} (an update
   * of the branch, by Flotilla or by the "Update branch" button), so nobody else changed it.
   */
  default boolean isUpdateFromBase(RepositoryRef repository, String headSha, String previousHeadSha) {
    return false;
  }

  /** The pull request's place in its base's merge queue. */
  default MergeQueueStatus mergeQueueStatus(RepositoryRef repository, int number) {
    return MergeQueueStatus.NOT_QUEUED;
  }

  /** Adds the pull request to its base's merge queue, if the head is still {@code expectedHeadSha}. */
  default void enqueue(RepositoryRef repository, int number, String expectedHeadSha) {
    throw new UnsupportedOperationException(name() + " has no merge queue");
  }

  /**
   * Forgets what was cached about the repository's {@code .flotilla.yaml}, so the next
   * {@link #readOptInFiles} reads it afresh (a push changed it). A forge that caches nothing ignores it.
   */
  default void forgetOptInFile(RepositoryRef repository) {}


  /**
   * The commit {@code branch} points at now, or empty when it is unknown (no such branch, or a forge
   * that cannot say cheaply). Used to tell whether a plan's verdict still holds; empty means it does not.
   */
  default Optional<String> branchHead(RepositoryRef repository, String branch) {
    return Optional.empty();
  }
}
