package dev.flotilla.dashboard.port;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One campaign as the fleet overview shows it.
 *
 * @param name campaign name ({@code metadata.name})
 * @param migration the migration id it rolls out
 * @param status lifecycle status
 * @param statusReason why it is halted, paused or cancelled; {@code null} when there is nothing to say
 * @param startedAt when its first changeset was planned; {@code null} before that
 * @param counts changesets by state; states with no changeset may be absent
 * @param mergedLast7Days changesets that reached MERGED in the last seven days: the recent merge rate
 */
public record CampaignSummary(
    String name,
    String migration,
    CampaignStatus status,
    String statusReason,
    Instant startedAt,
    Map<ChangesetState, Long> counts,
    long mergedLast7Days) {

  public CampaignSummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    EnumMap<ChangesetState, Long> copy = new EnumMap<>(ChangesetState.class);
    if (counts != null) {
      counts.forEach((state, n) -> {
        if (n != null && n > 0) {
          copy.put(state, n);
        }
      });
    }
    counts = Collections.unmodifiableMap(copy);
  }

  public long count(ChangesetState state) {
    return counts.getOrDefault(state, 0L);
  }

  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
