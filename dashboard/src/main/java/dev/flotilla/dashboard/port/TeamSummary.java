package dev.flotilla.dashboard.port;

import java.util.Objects;

/**
 * One team's standing across every campaign, for the fleet's team ranking.
 *
 * @param team the team's name as its repositories' owner sources give it, e.g. {@code payments}
 * @param repositories present repositories the team owns
 * @param open changesets not yet finished, in campaigns not cancelled
 * @param waitingOnTeam open changesets that wait on the team: a review, failing CI, a branch someone
 *     pushed to, a reason the migration gave, an invalid opt-in file
 * @param merged merged changesets
 * @param failed changesets whose run or CI failed
 * @param medianHoursToMerge median hours from a pull request opening to its merge; {@code null}
 *     before the team's first merge
 */
public record TeamSummary(
    String team,
    long repositories,
    long open,
    long waitingOnTeam,
    long merged,
    long failed,
    Double medianHoursToMerge) {

  public TeamSummary {
    Objects.requireNonNull(team, "team");
  }
}
