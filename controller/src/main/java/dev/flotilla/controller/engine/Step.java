package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.ChangesetState;
import java.time.Instant;

/**
 * What the pull request reconciler decided to do with one changeset, as a value: {@link
 * PullRequestRules#decide} returns it, {@link ChangesetReconciler} does it (JOSDK's {@code
 * UpdateControl}, with {@link Wait} as its {@code rescheduleAfter}).
 */
public sealed interface Step {

  /** Open the pull request for a pushed branch. */
  record OpenPullRequest() implements Step {}

  /**
   * Move to {@code to} because of {@code reason}; with {@code ci} when the checks were read, which
   * are recorded and looked at again at {@code lookAgainAt}.
   */
  record MoveTo(ChangesetState to, String reason, CiStatus ci, Instant lookAgainAt) implements Step {
    static MoveTo of(ChangesetState to, String reason) {
      return new MoveTo(to, reason, null, null);
    }
  }

  /** The pull request conflicts with {@code base}: record it, then re-run on the new base. */
  record Conflict(String base) implements Step {}

  /** Every check is green and nothing holds the merge: merge with {@code method} if the head is still {@code expectedHeadSha}. */
  record Merge(MergeMethod method, String expectedHeadSha, CiStatus ci, Instant lookAgainAt) implements Step {}

  /**
   * Every check is green but the base requires up-to-date branches and the head is behind it: ask
   * the forge to merge the base into the branch if the head is still {@code expectedHeadSha}, then
   * wait for CI on the new head.
   */
  record UpdateBranch(String expectedHeadSha, String reason, CiStatus ci, Instant lookAgainAt) implements Step {}

  /** Every check is green and the base merges through its merge queue: add the pull request to it. */
  record Enqueue(String expectedHeadSha, CiStatus ci, Instant lookAgainAt) implements Step {}

  /**
   * The head moved, but only by the forge merging the base into Flotilla's last push (an update of
   * the branch): take {@code headSha} as Flotilla's own head.
   */
  record AdoptHead(String headSha, String reason) implements Step {}

  /** Send it back to run again, keeping its pull request. */
  record Rerun(String reason) implements Step {}

  /** Nothing to do now; say why ({@code reason} null keeps the current one) and look again at {@code lookAgainAt}. */
  record Wait(String reason, Instant lookAgainAt) implements Step {}

  /**
   * The watch of the default branch after a merge is over without a failure: stop watching and say
   * how it ended ({@code ci} as last read).
   */
  record StopWatching(String reason, CiStatus ci) implements Step {}
}
