package dev.flotilla.runner;

import java.util.Objects;

/**
 * What one run did, as JSON on stdout, in a result file, or in a Kubernetes pod's termination
 * message (at most 4 KiB, so free text is cut to fit; see {@link #MAX_REASON}).
 *
 * @param status what happened
 * @param headSha the pushed branch head ({@code PUSHED}), or the foreign head ({@code MODIFIED})
 * @param filesChanged files the commit touches ({@code PUSHED})
 * @param insertions added lines ({@code PUSHED})
 * @param deletions removed lines ({@code PUSHED})
 * @param summary the migration's one-line summary, the not-applicable reason, or why the migration
 *     left the repository alone ({@code NEEDS_HUMAN})
 * @param phase where a run failed ({@code FAILED})
 * @param reason why it failed or was left alone, in words a person can act on
 */
public record RunResult(
    Status status,
    String headSha,
    int filesChanged,
    int insertions,
    int deletions,
    String summary,
    Phase phase,
    String reason) {

  /** Enough for a useful message while keeping the whole JSON under a termination message's 4 KiB. */
  public static final int MAX_REASON = 2000;

  /** The run's outcome. */
  public enum Status {
    /** The migration changed nothing: the repository already converged. */
    NO_CHANGE,
    /** The migration does not apply to this repository. */
    NOT_APPLICABLE,
    /**
     * The migration changed nothing on purpose although the repository is not as the campaign asks
     * ({@link dev.flotilla.migration.Outcome#needsHuman()}); {@link #summary} says what and why.
     */
    NEEDS_HUMAN,
    /** A commit was pushed to the campaign branch. */
    PUSHED,
    /** A person pushed to the campaign branch; Flotilla left it alone. */
    MODIFIED,
    /** The run failed; {@link #phase} and {@link #reason} say where and why. */
    FAILED
  }

  /** The step a run failed in. */
  public enum Phase {
    VALIDATE,
    CLONE,
    CHECKOUT,
    APPLY,
    COMMIT,
    /** A verifier failed on the committed change; nothing was pushed. */
    VERIFY,
    PUSH,
    EXECUTOR
  }

  public RunResult {
    Objects.requireNonNull(status, "status");
    summary = cut(summary);
    reason = cut(reason);
  }

  public static RunResult noChange(String summary) {
    return new RunResult(Status.NO_CHANGE, null, 0, 0, 0, summary, null, null);
  }

  public static RunResult notApplicable(String reason) {
    return new RunResult(Status.NOT_APPLICABLE, null, 0, 0, 0, reason, null, null);
  }

  /** Left alone on purpose; {@code reason} is the migration's note, never blank. */
  public static RunResult needsHuman(String reason) {
    return new RunResult(Status.NEEDS_HUMAN, null, 0, 0, 0, reason, null, null);
  }

  public static RunResult pushed(String headSha, int files, int insertions, int deletions, String summary) {
    return new RunResult(Status.PUSHED, headSha, files, insertions, deletions, summary, null, null);
  }

  public static RunResult modified(String foreignHead, String reason) {
    return new RunResult(Status.MODIFIED, foreignHead, 0, 0, 0, null, null, reason);
  }

  public static RunResult failed(Phase phase, String reason) {
    return new RunResult(Status.FAILED, null, 0, 0, 0, null, phase, reason);
  }

  private static String cut(String text) {
    if (text == null || text.length() <= MAX_REASON) {
      return text;
    }
    return text.substring(0, MAX_REASON - 1) + "…";
  }
}
