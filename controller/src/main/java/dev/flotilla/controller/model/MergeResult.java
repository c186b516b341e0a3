package dev.flotilla.controller.model;

/** What a merge attempt did. A refusal is a state to record, not a crash. */
public sealed interface MergeResult {

  /** Merged; {@code sha} is the merge commit on the base branch. */
  record Merged(String sha) implements MergeResult {}

  /** The forge refused: conflicts, failing required checks, a protected branch. */
  record NotMergeable(String reason) implements MergeResult {}

  /** The base requires up-to-date branches and the head is behind it: update the branch, then merge. */
  record OutOfDate(String reason) implements MergeResult {}

  /** The base takes merges only through its merge queue: enqueue instead. */
  record QueueRequired(String reason) implements MergeResult {}

  /** Protection or a ruleset wants something first (an approving review, a required check): wait for it. */
  record Blocked(String reason) implements MergeResult {}

  /** The head moved since we checked it, so we did not merge blind. */
  record HeadMoved(String actualHeadSha) implements MergeResult {}
}
