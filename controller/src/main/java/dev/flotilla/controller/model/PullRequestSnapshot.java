package dev.flotilla.controller.model;

import java.time.Instant;

/**
 * One pull request as one read saw it: what the pull request rules need to decide, so a watched
 * changeset costs no other forge call in the common case. A part the read did not cover is null and
 * is asked of the forge when the rules get that far.
 *
 * @param ci the checks on the head, combined with the base's required ones; null when not read
 *     (the pull request is closed or merged, or the forge reads checks separately)
 * @param rules what the base branch demands; null when not read
 * @param queue the pull request's place in its base's merge queue when it is in it; null when it is
 *     not, or when not read (a removal from the queue is then asked of the forge)
 * @param review what the reviews say, {@link Review#UNKNOWN} when not read
 * @param updatedAt when the pull request last changed on the forge (a push, a review, a comment);
 *     null when not read
 */
public record PullRequestSnapshot(
    PullRequest pullRequest, CiStatus ci, BranchRules rules, MergeQueueStatus queue, Review review, Instant updatedAt) {

  /** GitHub's review decision on a pull request. */
  public enum Review {
    /** Not read. */
    UNKNOWN,
    /** The base requires no review. */
    NOT_REQUIRED,
    REVIEW_REQUIRED,
    CHANGES_REQUESTED,
    APPROVED;

    /** A person has to act before the pull request may merge. */
    public boolean awaitsPerson() {
      return this == REVIEW_REQUIRED || this == CHANGES_REQUESTED;
    }
  }

  /** The pull request alone, as a forge without a batched read answers: the rest is asked when needed. */
  public static PullRequestSnapshot of(PullRequest pullRequest) {
    return new PullRequestSnapshot(pullRequest, null, null, null, Review.UNKNOWN, null);
  }
}
