package dev.flotilla.controller.model;

/**
 * A pull request as the forge reports it.
 *
 * @param mergeable whether the forge thinks it can merge: {@code UNKNOWN} while it is still
 *     computing (ask again later), {@code CONFLICTING} when the base moved under it, {@code BEHIND}
 *     when the head lacks the base's latest commits, {@code BLOCKED} when the base's protection or
 *     rulesets still want something (a review, a required check)
 */
public record PullRequest(
    int number, String url, String branch, String base, String headSha, State state, Mergeable mergeable) {

  /** Open, closed without merging, or merged. */
  public enum State {
    OPEN,
    CLOSED,
    MERGED
  }

  /** The forge's view of whether the head merges cleanly into the base. */
  public enum Mergeable {
    MERGEABLE,
    CONFLICTING,
    UNKNOWN,
    /** Merges cleanly, but the head is behind the base (GitHub's {@code mergeable_state: behind}). */
    BEHIND,
    /** Protection or a ruleset blocks the merge for now (GitHub's {@code mergeable_state: blocked}). */
    BLOCKED
  }
}
