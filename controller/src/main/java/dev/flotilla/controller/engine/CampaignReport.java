package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.StoreFleetView;
import dev.flotilla.dashboard.port.CampaignSummary;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One campaign's numbers as people ask for them: merged, open awaiting review, CI failed, no change,
 * needs a person (the migration left the repository alone and said why), skipped, invalid config,
 * failed, broke the default branch after the merge, in progress, and the raw count of every state.
 * A merge whose default branch is still watched counts as merged and as in progress: its verdict is
 * not in yet.
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
    long needsHuman,
    long skipped,
    long invalidConfig,
    long failed,
    long postMergeFailed,
    long inProgress,
    long other,
    Map<ChangesetState, Long> states) {

  /** Without the post-merge count, for callers written before post-merge health was watched. */
  public CampaignReport(
      String campaign, String migration, String status, String statusReason, long merged, long awaitingReview,
      long ciFailed, long noChange, long needsHuman, long skipped, long invalidConfig, long failed, long inProgress,
      long other, Map<ChangesetState, Long> states) {
    this(campaign, migration, status, statusReason, merged, awaitingReview, ciFailed, noChange, needsHuman, skipped,
        invalidConfig, failed, states.getOrDefault(ChangesetState.POST_MERGE_FAILED, 0L), inProgress, other, states);
  }

  /** Nothing left that Flotilla itself will move without a person or a new base. */
  public boolean settled() {
    return inProgress == 0;
  }

  public long total() {
    return states.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Every campaign, oldest first, counted by the dashboard's own summary query, so {@code flotilla
   * status} and the overview always agree.
   */
  public static List<CampaignReport> all(Jdbc jdbc) {
    ChangesetStore changesets = new ChangesetStore(jdbc);
    Map<String, CampaignSummary> summaries = new StoreFleetView(jdbc, Clock.systemUTC()).campaigns().stream()
        .collect(Collectors.toMap(CampaignSummary::name, Function.identity()));
    List<CampaignReport> reports = new ArrayList<>();
    for (Campaign campaign : new CampaignStore(jdbc).all()) {
      CampaignSummary summary = summaries.get(campaign.name());
      if (summary != null) {
        reports.add(of(campaign, summary, changesets.countWatchedAfterMerge(campaign.name())));
      }
    }
    return reports;
  }

  static CampaignReport of(Campaign campaign, CampaignSummary summary, long watchedAfterMerge) {
    // The dashboard shows a changeset skipped for an invalid opt-in as INVALID_CONFIG; here it is
    // counted as SKIPPED and reported apart.
    Map<ChangesetState, Long> states = new EnumMap<>(ChangesetState.class);
    long invalid = summary.counts().getOrDefault(dev.flotilla.dashboard.port.ChangesetState.INVALID_CONFIG, 0L);
    summary.counts().forEach((shown, n) -> {
      if (n > 0) {
        ChangesetState state = shown == dev.flotilla.dashboard.port.ChangesetState.INVALID_CONFIG
            ? ChangesetState.SKIPPED : ChangesetState.valueOf(shown.name());
        states.merge(state, n, Long::sum);
      }
    });
    // Green and waiting for a person (review, or the merge window); checks still running are progress.
    long awaiting = sum(states, ChangesetState.MERGEABLE);
    long inProgress = sum(states, ChangesetState.PENDING, ChangesetState.RUNNING, ChangesetState.PUSHED,
        ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CONFLICT) + watchedAfterMerge;
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
        sum(states, ChangesetState.NEEDS_HUMAN),
        sum(states, ChangesetState.SKIPPED) - invalid,
        invalid,
        sum(states, ChangesetState.FAILED),
        sum(states, ChangesetState.POST_MERGE_FAILED),
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
