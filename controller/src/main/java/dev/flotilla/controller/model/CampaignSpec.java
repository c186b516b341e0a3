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
 * @param verifiers commands run in the runner's work tree after the migration applies and before
 *     anything is pushed; a failing one fails the run
 * @param postMerge how long the default branch is watched after a merge, and when its failures halt
 *     the campaign
 * @param runnerImage the runner image of this campaign's Kubernetes Jobs (one with the toolchain its
 *     verifiers need), or null for the controller's {@code FLOTILLA_RUNNER_IMAGE}
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
    CancelPolicy cancelPolicy,
    List<Verifier> verifiers,
    PostMerge postMerge,
    String runnerImage) {

  public CampaignSpec {
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    verifiers = verifiers == null ? List.of() : List.copyOf(verifiers);
    postMerge = postMerge == null ? PostMerge.NONE : postMerge;
    rollout = rollout == null ? Rollout.DEFAULT : rollout;
    limits = limits == null ? Limits.DEFAULT : limits;
    cancelPolicy = cancelPolicy == null ? CancelPolicy.KEEP_PULL_REQUESTS : cancelPolicy;
  }

  /** A campaign without verifiers, post-merge watch or runner image of its own. */
  public CampaignSpec(
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
    this(name, migration, parameters, schedule, automerge, allowNoChecks, rollout, limits, rebaseAfter, paused,
        cancelPolicy, List.of(), PostMerge.NONE, null);
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

  /**
   * A command the runner runs in the work tree after the migration applied and before the push, when
   * a file matching {@code when} exists (a glob from the repository root, e.g. {@code pom.xml} or
   * {@code **}{@code /build.gradle}; null always runs it).
   */
  public record Verifier(String name, String command, String when, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public Verifier {
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }
  }

  /**
   * After a merge, the default branch's checks on the merge commit are watched for {@code watch}
   * (zero: not at all), and so are the forge's deployment statuses of that commit in each of
   * {@code deployments} (environment names; empty: none watched); a failure counts against the wave,
   * and the campaign halts as soon as more than {@code haltOnFailureRate} of its merged changesets
   * broke their default branch or a deployment.
   */
  public record PostMerge(Duration watch, double haltOnFailureRate, List<String> deployments) {
    public static final PostMerge NONE = new PostMerge(Duration.ZERO, 1.0);

    public PostMerge {
      watch = watch == null ? Duration.ZERO : watch;
      deployments = deployments == null ? List.of() : List.copyOf(deployments);
    }

    /** A watch of the default branch's checks alone. */
    public PostMerge(Duration watch, double haltOnFailureRate) {
      this(watch, haltOnFailureRate, List.of());
    }

    public boolean watched() {
      return !watch.isZero();
    }
  }
}
