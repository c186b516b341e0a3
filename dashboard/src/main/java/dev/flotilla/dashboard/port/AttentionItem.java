package dev.flotilla.dashboard.port;

import java.time.Instant;
import java.util.Objects;

/**
 * Something stuck that a person should look at, with what to do about it.
 *
 * @param kind what is stuck
 * @param repository full repository name
 * @param campaign the campaign; {@code null} for repository-level problems such as an invalid opt-in file
 * @param changesetId the changeset to retry; {@code null} when retrying does not apply
 * @param reason what went wrong, in words a repository owner understands
 * @param nextAction what to do next, e.g. {@code retry} or {@code fix .flotilla.yaml line 3}
 * @param since when it got stuck
 * @param url where to act: the PR or the file on the forge; {@code null} when none
 */
public record AttentionItem(
    Kind kind,
    String repository,
    String campaign,
    Long changesetId,
    String reason,
    String nextAction,
    Instant since,
    String url) {

  public enum Kind {
    /** A pull request open longer than the configured number of days. */
    STALE_PULL_REQUEST,
    CI_FAILED,
    CONFLICT,
    RUN_FAILED,
    INVALID_CONFIG,
    /** The migration left the repository alone on purpose; the reason says what a person should do. */
    NEEDS_HUMAN,
    /** Merged, and then the default branch's checks failed on the merge commit. */
    POST_MERGE_FAILED
  }

  public AttentionItem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(nextAction, "nextAction");
  }
}
