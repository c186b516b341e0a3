package dev.flotilla.controller.forge.github;

/**
 * A verified webhook delivery about a pull request or the checks on a commit: enough to find the
 * changeset and reconcile it now.
 *
 * @param repository {@code owner/name}
 * @param branch the head branch, or null when GitHub did not say (a status on a commit of no branch)
 * @param headSha the head commit, or null when the event has none
 * @param action GitHub's {@code action} field ({@code opened}, {@code closed}, {@code completed}), or
 *     the state for {@code status} events
 */
public record WebhookEvent(Kind kind, String action, String repository, String branch, String headSha) {

  /** The event types Flotilla subscribes to. */
  public enum Kind {
    PULL_REQUEST,
    CHECK_RUN,
    CHECK_SUITE,
    STATUS
  }
}
