package dev.flotilla.dashboard.port;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of one changeset (one campaign on one repository), named exactly as in DESIGN.md.
 * {@link #NOT_APPLICABLE} and {@link #INVALID_CONFIG} describe the repository rather than a run.
 * {@link #NEEDS_HUMAN} is a run that changed nothing on purpose and said why: not done, and not
 * terminal, since it waits for a person.
 */
public enum ChangesetState {
  PENDING,
  RUNNING,
  NO_CHANGE,
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
  NOT_APPLICABLE,
  INVALID_CONFIG,
  NEEDS_HUMAN,
  /** Merged, then the default branch's checks failed on the merge commit. */
  POST_MERGE_FAILED,
  /** A revert pull request undid the merge. */
  REVERTED;

  private static final Set<ChangesetState> TERMINAL =
      EnumSet.of(NO_CHANGE, NOT_APPLICABLE, MERGED, CLOSED, SKIPPED, POST_MERGE_FAILED, REVERTED);

  /** Terminal states never move again on their own: the changeset needs nothing more. */
  public boolean terminal() {
    return TERMINAL.contains(this);
  }

  /** Terminal states that mean "nothing to merge here", as opposed to MERGED or CLOSED. */
  public boolean nothingToDo() {
    return this == NO_CHANGE || this == NOT_APPLICABLE || this == SKIPPED;
  }
}
