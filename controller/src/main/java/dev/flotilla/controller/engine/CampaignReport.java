package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.Jdbc;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One campaign's numbers as people ask for them: merged, open awaiting review, CI failed, no change,
 * skipped, invalid config, failed, in progress, and the raw count of every state.
 */
public record CampaignReport(
    String campaign,
    String migration,
    String status,
    String statusReason,
    long merged,
    long awaitingReview,
    long ciFailed,
    long noChange,
    long skipped,
    long invalidConfig,
    long failed,
    long inProgress,
    long other,
    Map<ChangesetState, Long> states) {

  /** Nothing left that Flotilla itself will move without a person or a new base. */
  public boolean settled() {
    return inProgress == 0;
  }

  public long total() {
    return states.values().stream().mapToLong(Long::longValue).sum();
  }

  public static List<CampaignReport> all(Jdbc jdbc) {
    ChangesetStore changesets = new ChangesetStore(jdbc);
    List<CampaignReport> reports = new ArrayList<>();
    for (Campaign campaign : new CampaignStore(jdbc).all()) {
      reports.add(of(campaign, changesets.countByStateAndOptIn(campaign.name())));
    }
    return reports;
  }

  static CampaignReport of(Campaign campaign, ChangesetStore.StateCounts counts) {
    Map<ChangesetState, Long> states = new EnumMap<>(counts.states());
    long invalid = counts.skippedForInvalidOptIn();
    // Green and waiting for a person (review, or the merge window); checks still running are progress.
    long awaiting = sum(states, ChangesetState.MERGEABLE);
    long inProgress = sum(states, ChangesetState.PENDING, ChangesetState.RUNNING, ChangesetState.PUSHED,
        ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CONFLICT);
    long other = sum(states, ChangesetState.CLOSED, ChangesetState.MODIFIED, ChangesetState.HALTED);
    return new CampaignReport(
        campaign.name(),
        campaign.spec().migration(),
        campaign.status().name(),
        campaign.statusReason(),
        sum(states, ChangesetState.MERGED),
        awaiting,
        sum(states, ChangesetState.CI_FAILED),
        sum(states, ChangesetState.NO_CHANGE, ChangesetState.NOT_APPLICABLE),
        sum(states, ChangesetState.SKIPPED) - invalid,
        invalid,
        sum(states, ChangesetState.FAILED),
        inProgress,
        other,
        states);
  }

  private static long sum(Map<ChangesetState, Long> states, ChangesetState... wanted) {
    long n = 0;
    for (ChangesetState s : wanted) {
      n += states.getOrDefault(s, 0L);
    }
    return n;
  }
}
