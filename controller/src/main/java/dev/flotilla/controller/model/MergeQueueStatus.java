package dev.flotilla.controller.model;

/** Where a pull request stands with its base branch's merge queue. */
public sealed interface MergeQueueStatus {

  /** Not in the queue, and not removed from it since its head commit was made. */
  record NotQueued() implements MergeQueueStatus {}

  /** In the queue: {@code position} counts from 1, {@code state} as the forge says it (AWAITING_CHECKS, MERGEABLE, ...). */
  record Queued(int position, String state) implements MergeQueueStatus {}

  /** The queue took it out since its head commit was made: its merge group failed a check, or it conflicted. */
  record Removed(String reason) implements MergeQueueStatus {}

  MergeQueueStatus NOT_QUEUED = new NotQueued();
}
