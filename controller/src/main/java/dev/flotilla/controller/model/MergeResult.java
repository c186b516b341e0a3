package dev.flotilla.controller.model;

/** What a merge attempt did. A refusal is a state to record, not a crash. */
public sealed interface MergeResult {

  /** Merged; {@code sha} is the merge commit on the base branch. */
  record Merged(String sha) implements MergeResult {}

  /** The forge refused: conflicts, failing required checks, a protected branch. */
  record NotMergeable(String reason) implements MergeResult {}

  /** The head moved since we checked it, so we did not merge blind. */
  record HeadMoved(String actualHeadSha) implements MergeResult {}
}
