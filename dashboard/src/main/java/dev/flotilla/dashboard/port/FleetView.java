package dev.flotilla.dashboard.port;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the dashboard reads. The controller implements it against the store; every method is called on
 * a request thread, so it must be safe to call concurrently, and should answer in milliseconds (the
 * campaign table is paged and filtered by {@link ChangesetQuery}, so it can be one indexed query).
 */
public interface FleetView {

  /** Every campaign, newest first. */
  List<CampaignSummary> campaigns();

  Optional<CampaignSummary> campaign(String name);

  /**
   * One page of a campaign's changesets.
   *
   * @throws NotFoundException when the campaign does not exist
   */
  Page<ChangesetRow> changesets(ChangesetQuery query);

  /**
   * Open and merged counts over the campaign's life, oldest first, for the burndown chart. A few
   * hundred points are plenty: an implementation should bucket history (e.g. hourly or daily).
   *
   * @throws NotFoundException when the campaign does not exist
   */
  List<BurndownPoint> burndown(String campaign);

  /** @param repository full name, {@code owner/name} */
  Optional<RepositoryDetail> repository(String repository);

  /**
   * Everything stuck: pull requests open longer than {@code staleAfter}, CI failing, conflicts,
   * failed runs, invalid opt-in files; oldest first.
   */
  List<AttentionItem> attention(Duration staleAfter);

  /**
   * Every team that owns a repository, quickest to merge first (median hours from pull request to
   * merge; teams with no merge yet last), then fewest open changesets.
   */
  default List<TeamSummary> teams() {
    return List.of();
  }

  /** One team's repositories, changesets and burndown; empty when no repository names the team. */
  default Optional<TeamDetail> team(String team) {
    return Optional.empty();
  }
}
