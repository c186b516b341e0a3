package dev.flotilla.controller.forge;

import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.PullRequest;
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

  /** Every repository Flotilla may consider (archived, disabled and empty ones left out). */
  List<RepositoryRef> listRepositories();

  /**
   * The {@code .flotilla.yaml} text on each repository's default branch, for many repositories at
   * once where the forge can batch it. A repository without the file is absent from the map.
   */
  java.util.Map<RepositoryRef, String> readOptInFiles(List<RepositoryRef> repositories);

  /** What the runner needs to clone and push this one repository, and nothing more. */
  RunRequest.Credential runCredential(RepositoryRef repository);

  /** The open pull request whose head is {@code branch}, if any. */
  Optional<PullRequest> findOpenPullRequest(RepositoryRef repository, String branch);

  /** Opens a pull request, or adopts the open one that already exists for the branch. */
  PullRequest openPullRequest(RepositoryRef repository, PullRequestSpec spec);

  /** The pull request as the forge sees it now. */
  PullRequest getPullRequest(RepositoryRef repository, int number);

  void updatePullRequest(RepositoryRef repository, int number, PullRequestSpec spec);

  /** Closes the pull request with a comment saying why. */
  void closePullRequest(RepositoryRef repository, int number, String comment);

  /** The checks on a commit, combined; {@link CiStatus.State#NONE} when nothing reported. */
  CiStatus ciStatus(RepositoryRef repository, String headSha);

  /**
   * The checks the forge itself requires to pass on the default branch before a merge; empty when it
   * requires none, so it would merge a pull request whose tests fail.
   */
  List<String> requiredChecks(RepositoryRef repository);

  /** Merges only if the head is still {@code expectedHeadSha}. */
  MergeResult merge(RepositoryRef repository, int number, String expectedHeadSha, MergeMethod method);

  void deleteBranch(RepositoryRef repository, String branch);
}
