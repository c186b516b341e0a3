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
 * @param paused whether the campaign's author asks for it to start no new runs
 * @param cancelPolicy what cancelling the campaign does to its open pull requests
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
    Duration rebaseAfter,
    boolean paused,
    CancelPolicy cancelPolicy) {

  public CampaignSpec {
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    rollout = rollout == null ? Rollout.DEFAULT : rollout;
    limits = limits == null ? Limits.DEFAULT : limits;
    cancelPolicy = cancelPolicy == null ? CancelPolicy.KEEP_PULL_REQUESTS : cancelPolicy;
  }

  /** A running campaign that keeps its open pull requests when cancelled. */
  public CampaignSpec(
      String name,
      String migration,
      Map<String, Object> parameters,
      String schedule,
      boolean automerge,
      boolean allowNoChecks,
      Rollout rollout,
      Limits limits,
      Duration rebaseAfter) {
    this(name, migration, parameters, schedule, automerge, allowNoChecks, rollout, limits, rebaseAfter,
        false, CancelPolicy.KEEP_PULL_REQUESTS);
  }

  /** What cancelling a campaign does to its open pull requests; written as in the file. */
  public enum CancelPolicy {
    KEEP_PULL_REQUESTS("keepPullRequests"),
    CLOSE_PULL_REQUESTS("closePullRequests");

    private final String written;

    CancelPolicy(String written) {
      this.written = written;
    }

    /** As written in a campaign file. */
    public String written() {
      return written;
    }
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
