package dev.flotilla.dashboard.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one team owns and what waits on it, across campaigns.
 *
 * @param summary the team's figures, as in the ranking
 * @param repositories the team's repositories and where their ownership came from
 * @param changesets the team's changesets, those waiting on the team first
 * @param burndown the team's open and merged changesets at the end of each day (UTC), oldest first
 */
public record TeamDetail(
    String team,
    TeamSummary summary,
    List<Repository> repositories,
    List<Changeset> changesets,
    List<Day> burndown) {

  public TeamDetail {
    Objects.requireNonNull(team, "team");
    repositories = List.copyOf(repositories);
    changesets = List.copyOf(changesets);
    burndown = List.copyOf(burndown);
  }

  /** Who has the next move on a changeset. */
  public enum WaitingOn {
    team,
    flotilla,
    nobody
  }

  /**
   * @param ownerSource {@code backstage}, {@code catalog-info}, {@code codeowners} or {@code opt-in}
   * @param ownerAsOf when that source last gave the answer
   * @param ownerStale the source (the Backstage catalog) could not be asked at the last scan, so this
   *     is its last answer
   */
  public record Repository(String repository, String ownerSource, Instant ownerAsOf, boolean ownerStale) {}

  /**
   * @param pullRequestNumber the number of the pull request, or {@code null} before one is opened
   * @param action what the team should do, in one sentence; for changesets that do not wait on the
   *     team, what happens next
   * @param reason why it is stuck (a failure, the migration's reason), or {@code null}
   */
  public record Changeset(
      long id,
      String campaign,
      String repository,
      ChangesetState state,
      String pullRequestUrl,
      Integer pullRequestNumber,
      WaitingOn waitingOn,
      String action,
      String reason,
      Instant stateSince) {}

  /** @param day an ISO date such as {@code 2026-12-01} */
  public record Day(String day, long open, long merged) {}
}
