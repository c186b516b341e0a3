package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.Jdbc;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One campaign's numbers as people ask for them: merged, open awaiting review, CI failed, no change,
 * needs a person (the migration left the repository alone and said why), skipped, invalid config,
 * failed, in progress, and the raw count of every state.
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
    List<CampaignReport> reports = new ArrayList<>();
    for (Campaign campaign : new CampaignStore(jdbc).all()) {
      reports.add(of(jdbc, campaign));
    }
    return reports;
  }

  public static CampaignReport of(Jdbc jdbc, Campaign campaign) {
    Map<ChangesetState, Long> states = new EnumMap<>(ChangesetState.class);
    long[] invalid = {0};
    jdbc.query(
            "SELECT c.state, r.opt_in_status = 'INVALID_CONFIG' AS invalid, count(*) FROM changeset c"
                + " JOIN repository r ON r.id = c.repository_id WHERE c.campaign = ? GROUP BY 1, 2",
            rs -> new Object[] {ChangesetState.valueOf(rs.getString(1)), rs.getBoolean(2), rs.getLong(3)},
            campaign.name())
        .forEach(row -> {
          ChangesetState state = (ChangesetState) row[0];
          long n = (Long) row[2];
          states.merge(state, n, Long::sum);
          if (state == ChangesetState.SKIPPED && (Boolean) row[1]) {
            invalid[0] += n;
          }
        });
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
        sum(states, ChangesetState.NEEDS_HUMAN),
        sum(states, ChangesetState.SKIPPED) - invalid[0],
        invalid[0],
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
