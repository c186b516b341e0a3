package dev.flotilla.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
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
 * @param baseSha the default branch commit a dry run started from (every status of a dry run)
 * @param diff what the commit would change, as a unified diff ({@code WOULD_CHANGE}); cut to
 *     {@link #MAX_DIFF} characters, or to fit a termination message, with a last line saying so
 * @param dataTables the tables of findings the migration attached, such as OpenRewrite's data tables
 */
public record RunResult(
    Status status,
    String headSha,
    int filesChanged,
    int insertions,
    int deletions,
    String summary,
    Phase phase,
    String reason,
    String baseSha,
    String diff,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DataTable> dataTables) {

  /** Enough for a useful message while keeping the whole JSON under a termination message's 4 KiB. */
  public static final int MAX_REASON = 2000;

  /** The longest diff a dry run reports, in characters. */
  public static final int MAX_DIFF = 256 * 1024;

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
    /** A dry run's commit that was not pushed; {@link #diff} says what it changes. */
    WOULD_CHANGE,
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
    dataTables = dataTables == null ? List.of() : List.copyOf(dataTables);
  }

  public RunResult(
      Status status, String headSha, int filesChanged, int insertions, int deletions, String summary, Phase phase,
      String reason) {
    this(status, headSha, filesChanged, insertions, deletions, summary, phase, reason, null, null, List.of());
  }

  /**
   * One table of findings a run kept, as CSV with a header line.
   *
   * @param name the table's name, safe as a file name
   * @param csv the rows; a table cut to fit ends with a row saying so
   */
  public record DataTable(String name, String csv) {
    public DataTable {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(csv, "csv");
    }
  }

  /** A dry run's verdict that the migration would change the repository as {@code diff} shows. */
  public static RunResult wouldChange(String baseSha, int files, int insertions, int deletions, String summary, String diff) {
    return new RunResult(Status.WOULD_CHANGE, null, files, insertions, deletions, summary, null, null, baseSha, cutDiff(diff, MAX_DIFF), List.of());
  }

  /** This result, started from {@code sha} of the default branch. */
  public RunResult withBaseSha(String sha) {
    return new RunResult(status, headSha, filesChanged, insertions, deletions, summary, phase, reason, sha, diff, dataTables);
  }

  /** This result with {@code tables} attached. */
  public RunResult withDataTables(List<DataTable> tables) {
    return new RunResult(status, headSha, filesChanged, insertions, deletions, summary, phase, reason, baseSha, diff, tables);
  }

  /** This result with its diff cut to {@code characters}. */
  public RunResult withDiffCutTo(int characters) {
    return new RunResult(status, headSha, filesChanged, insertions, deletions, summary, phase, reason, baseSha, cutDiff(diff, characters), dataTables);
  }

  /**
   * At most about {@code characters} of {@code diff}, cut at a line end, with a last line that says
   * how much was left out.
   */
  public static String cutDiff(String diff, int characters) {
    if (diff == null || diff.length() <= characters) {
      return diff;
    }
    int end = diff.lastIndexOf('\n', Math.max(0, characters - 1));
    String kept = end < 0 ? "" : diff.substring(0, end + 1);
    return kept + CUT_NOTE + (diff.length() - kept.length()) + " of " + diff.length() + " characters left out\n";
  }

  /** How a cut diff's last line begins. */
  public static final String CUT_NOTE = "# diff cut: ";

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
