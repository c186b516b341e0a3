package dev.flotilla.dashboard;

import dev.flotilla.dashboard.port.CampaignStatus;
import dev.flotilla.dashboard.port.CampaignSummary;
import dev.flotilla.dashboard.port.ChangesetState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A campaign summary with the numbers people ask for: how much is merged, how fast, and when it will
 * be done at that pace. Pure arithmetic on the summary, so it is the same in the API and on the page.
 *
 * @param open changesets not yet terminal: what is left to do
 * @param mergeRate MERGED divided by changesets that need a change (all but NO_CHANGE, NOT_APPLICABLE,
 *     SKIPPED), 0 to 1
 * @param mergesPerDay the recent merge rate, over the last seven days
 * @param estimatedCompletion when the open changesets will be merged at that rate; {@code null} when the
 *     campaign is not active, has nothing open, or merged nothing lately
 */
record CampaignProgress(
    String name,
    String migration,
    CampaignStatus status,
    String statusReason,
    Instant startedAt,
    Map<ChangesetState, Long> counts,
    long total,
    long merged,
    long open,
    double mergeRate,
    double mergesPerDay,
    Instant estimatedCompletion) {

  static final int RECENT_DAYS = 7;

  static CampaignProgress of(CampaignSummary c, Instant now) {
    long total = c.total();
    long merged = c.count(ChangesetState.MERGED);
    long open = c.counts().entrySet().stream()
        .filter(e -> !e.getKey().terminal())
        .mapToLong(Map.Entry::getValue)
        .sum();
    long needChange = c.counts().entrySet().stream()
        .filter(e -> !e.getKey().nothingToDo())
        .mapToLong(Map.Entry::getValue)
        .sum();
    double mergeRate = needChange == 0 ? 0 : (double) merged / needChange;
    double perDay = (double) c.mergedLast7Days() / RECENT_DAYS;
    Instant eta = null;
    if (c.status() == CampaignStatus.ACTIVE && open > 0 && perDay > 0) {
      eta = now.plus(Duration.ofSeconds(Math.round(open / perDay * 86_400)));
    }
    return new CampaignProgress(c.name(), c.migration(), c.status(), c.statusReason(), c.startedAt(),
        c.counts(), total, merged, open, round(mergeRate, 4), round(perDay, 2), eta);
  }

  private static double round(double v, int places) {
    double scale = Math.pow(10, places);
    return Math.round(v * scale) / scale;
  }
}
