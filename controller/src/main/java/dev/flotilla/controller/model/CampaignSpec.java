package dev.flotilla.controller.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A campaign file ({@code kind: Campaign}) once parsed and checked: the migration exists, its
 * parameters fit, the schedule is a valid Quartz cron expression.
 *
 * @param schedule a Quartz cron expression, or null to run once now
 * @param allowNoChecks whether a pull request with no CI checks at all may be merged
 * @param rebaseAfter re-run on a moved base only when the branch is older than this (null: only on
 *     conflicts)
 */
public record CampaignSpec(
    String name,
    String migration,
    Map<String, Object> parameters,
    String schedule,
    boolean automerge,
    boolean allowNoChecks,
    Rollout rollout,
    Limits limits,
    Duration rebaseAfter) {

  public CampaignSpec {
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    rollout = rollout == null ? Rollout.DEFAULT : rollout;
    limits = limits == null ? Limits.DEFAULT : limits;
  }

  /**
   * Rollout waves: each entry an absolute count ({@code "5"}) or a share of the eligible fleet
   * ({@code "25%"}), cumulative; the campaign halts when a finished wave's failure rate is above
   * {@code haltOnFailureRate}.
   */
  public record Rollout(List<String> waves, double haltOnFailureRate, Duration waveGracePeriod) {
    public static final Rollout DEFAULT = new Rollout(List.of("100%"), 1.0, Duration.ofDays(3));

    public Rollout {
      waves = waves == null || waves.isEmpty() ? List.of("100%") : List.copyOf(waves);
      waveGracePeriod = waveGracePeriod == null ? Duration.ofDays(3) : waveGracePeriod;
    }
  }

  /** Load limits for one campaign. */
  public record Limits(int concurrentRuns, int pullRequestsPerHour, int openPullRequests) {
    public static final Limits DEFAULT = new Limits(10, 60, 100);
  }
}
