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
    String lastError) {

  /** The run id for the next attempt: stable per (changeset, attempt), so a resubmission is one run. */
  public static String runId(long changesetId, int attempt) {
    return "cs" + changesetId + "-a" + attempt;
  }
}
