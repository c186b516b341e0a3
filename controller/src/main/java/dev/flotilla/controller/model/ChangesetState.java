package dev.flotilla.controller.model;

/** Where one campaign stands on one repository; its lifecycle is {@link Lifecycle}. */
public enum ChangesetState {
  PENDING,
  RUNNING,
  NO_CHANGE,
  NOT_APPLICABLE,
  /**
   * The migration left the repository alone on purpose and said why (a downgrade refused, a shared
   * property, a pin it cannot resolve): not done, and nothing moves until a person acts and retries.
   */
  NEEDS_HUMAN,
  FAILED,
  PUSHED,
  PR_OPEN,
  CI_PENDING,
  CI_FAILED,
  MERGEABLE,
  MERGED,
  CONFLICT,
  CLOSED,
  MODIFIED,
  SKIPPED,
  HALTED,
  /**
   * Merged, and then the default branch's checks failed on the merge commit within the campaign's
   * {@code postMerge.watch}: counts as a failure of its wave, and a person decides (revert, or fix).
   */
  POST_MERGE_FAILED,
  /** A revert pull request undid the merge ({@code flotilla campaign revert}). */
  REVERTED;

  /** Nothing more will happen on its own (a person or a new campaign run may start it again). */
  public boolean isTerminal() {
    return Lifecycle.TERMINAL.contains(this);
  }

  /** A pull request is open on the forge for it. */
  public boolean hasOpenPullRequest() {
    return Lifecycle.OPEN_PULL_REQUEST.contains(this);
  }
}
