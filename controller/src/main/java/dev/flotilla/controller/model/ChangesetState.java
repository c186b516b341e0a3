package dev.flotilla.controller.model;

import java.util.EnumSet;
import java.util.Set;

/** Where one campaign stands on one repository; the lifecycle is drawn in DESIGN.md. */
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
  HALTED;

  private static final Set<ChangesetState> TERMINAL =
      EnumSet.of(NO_CHANGE, NOT_APPLICABLE, MERGED, CLOSED, SKIPPED);

  private static final Set<ChangesetState> PULL_REQUEST_OPEN =
      EnumSet.of(PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE, CONFLICT, MODIFIED);

  /** Nothing more will happen on its own (a person or a new campaign run may start it again). */
  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  /** A pull request is open on the forge for it. */
  public boolean hasOpenPullRequest() {
    return PULL_REQUEST_OPEN.contains(this);
  }
}
