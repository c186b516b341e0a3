package dev.flotilla.controller.model;

import java.time.Instant;

/** One campaign on one repository. */
public record Changeset(
    long id,
    String campaign,
    long repositoryId,
    ChangesetState state,
    String stateReason,
    Instant stateSince,
    int wave,
    int attempts,
    String runId,
    String lastPushedSha,
    Integer prNumber,
    String prUrl,
    String ciState,
    String lastError,
    String mergeSha,
    Instant healthUntil,
    String revertOf) {

  /**
   * A changeset as the engine knew it before merges were watched and reverted.
   *
   * @see #mergeSha the commit Flotilla's merge made, or null
   * @see #healthUntil while set, the default branch's checks on {@code mergeSha} are watched until then
   * @see #revertOf the merge commit this changeset's branch reverts, or null for the migration itself
   */
  public Changeset(
      long id, String campaign, long repositoryId, ChangesetState state, String stateReason, Instant stateSince,
      int wave, int attempts, String runId, String lastPushedSha, Integer prNumber, String prUrl, String ciState,
      String lastError) {
    this(id, campaign, repositoryId, state, stateReason, stateSince, wave, attempts, runId, lastPushedSha, prNumber,
        prUrl, ciState, lastError, null, null, null);
  }

  /** Its current branch and pull request revert an earlier merge rather than apply the migration. */
  public boolean reverting() {
    return revertOf != null;
  }

  /** The default branch is still watched after its merge. */
  public boolean watchingHealth() {
    return healthUntil != null;
  }

  /** The run id for the next attempt: stable per (changeset, attempt), so a resubmission is one run. */
  public static String runId(long changesetId, int attempt) {
    return "cs" + changesetId + "-a" + attempt;
  }
}
