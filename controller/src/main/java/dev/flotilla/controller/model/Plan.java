package dev.flotilla.controller.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A campaign's dry run over the fleet: what its migration would do in every eligible repository,
 * without pushing. One per campaign and campaign file content ({@link #hash}).
 *
 * @param sourceHash the SHA-256 of the campaign file the plan was made from, in hex
 */
public record Plan(
    long id,
    String campaign,
    String sourceHash,
    CampaignSpec spec,
    Status status,
    String requestedBy,
    Instant createdAt,
    Instant finishedAt) {

  /** Where a plan is: waiting for a controller, its dry runs going, or every verdict in. */
  public enum Status {
    REQUESTED,
    RUNNING,
    FINISHED
  }

  /** One repository's verdict. */
  public enum Verdict {
    /** Waiting for its dry run. */
    PENDING,
    /** Its dry run is going. */
    RUNNING,
    /** The migration would change the repository; the entry holds the diff. */
    WOULD_CHANGE,
    NO_CHANGE,
    NOT_APPLICABLE,
    NEEDS_HUMAN,
    /** Not eligible for the campaign (not opted in, excluded, a broken opt-in file); no run. */
    REFUSED,
    /** The dry run failed; the reason says where and why. */
    FAILED;

    /** The verdicts that mean the campaign has nothing to do there while the default branch stays. */
    public static final Set<Verdict> NOTHING_TO_DO = EnumSet.of(NO_CHANGE, NOT_APPLICABLE, NEEDS_HUMAN);

    /** The verdicts still waiting for a dry run's result. */
    public static final Set<Verdict> OPEN = EnumSet.of(PENDING, RUNNING);
  }

  /**
   * One repository in a plan.
   *
   * @param baseSha the default branch commit the dry run started from; the verdict holds while the
   *     default branch is still there
   * @param diff what the migration would change ({@code WOULD_CHANGE}), possibly cut with a last line
   *     saying so
   */
  public record Entry(
      long planId,
      long repositoryId,
      String repository,
      Verdict verdict,
      String reason,
      String baseSha,
      Integer filesChanged,
      Integer insertions,
      Integer deletions,
      String diff,
      String runId,
      Instant updatedAt) {}

  /** How many repositories have each verdict, every verdict listed. */
  public record Counts(java.util.Map<Verdict, Integer> byVerdict) {
    public static Counts of(List<Entry> entries) {
      java.util.Map<Verdict, Integer> counts = new java.util.EnumMap<>(Verdict.class);
      for (Verdict verdict : Verdict.values()) {
        counts.put(verdict, 0);
      }
      entries.forEach(e -> counts.merge(e.verdict(), 1, Integer::sum));
      return new Counts(java.util.Collections.unmodifiableMap(counts));
    }

    public int get(Verdict verdict) {
      return byVerdict.get(verdict);
    }
  }

  /** The run id of a plan's dry run on one repository; no changeset run id looks like it. */
  public static String runId(long planId, long repositoryId) {
    return RUN_PREFIX + planId + "-" + repositoryId;
  }

  /** Whether a run id is a plan's dry run. */
  public static boolean isPlanRun(String runId) {
    return runId.startsWith(RUN_PREFIX);
  }

  private static final String RUN_PREFIX = "plan-";

  /** The content hash plans are keyed by: SHA-256 of the campaign file's text, in hex. */
  public static String hash(String source) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
