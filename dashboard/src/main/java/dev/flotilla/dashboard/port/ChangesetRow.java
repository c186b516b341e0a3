package dev.flotilla.dashboard.port;

import java.time.Instant;
import java.util.Objects;

/**
 * One changeset: one campaign on one repository.
 *
 * @param id the store's changeset id, used by {@link FleetActions#retry}
 * @param campaign campaign name
 * @param repository full repository name, {@code owner/name}
 * @param owner the team that owns the repository (from the forge or the opt-in file)
 * @param state current state
 * @param pullRequestUrl the PR on the forge; {@code null} before one is opened
 * @param ciResult CI on the PR's head commit, e.g. {@code success}, {@code failure}, {@code pending};
 *     {@code null} without a PR
 * @param lastError the last failure's reason, one a person can act on, or for {@link
 *     ChangesetState#NEEDS_HUMAN} why the migration left the repository alone; {@code null} when none
 * @param stateSince when the changeset entered its current state
 */
public record ChangesetRow(
    long id,
    String campaign,
    String repository,
    String owner,
    ChangesetState state,
    String pullRequestUrl,
    String ciResult,
    String lastError,
    Instant stateSince) {

  public ChangesetRow {
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stateSince, "stateSince");
  }
}
