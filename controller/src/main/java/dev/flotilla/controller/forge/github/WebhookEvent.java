package dev.flotilla.controller.forge.github;

import java.util.List;

/**
 * A verified webhook delivery, reduced to what Flotilla acts on: the pull request or commit it is
 * about, the repository whose opt-in file changed, or the repositories an App installation gained or
 * lost.
 *
 * @param delivery GitHub's {@code X-GitHub-Delivery} id, or null when the request had none
 * @param action GitHub's {@code action} field ({@code opened}, {@code completed}, {@code added}), or
 *     the state for {@code status} events; null for {@code push}
 * @param repository {@code owner/name}, or null for installation events and organisation rulesets
 * @param branch the head branch (for a push: the default branch), or null when GitHub did not say
 * @param headSha the head commit, or null when the event has none
 * @param account the installation's or organisation's login, or null when the event names none
 * @param repositories {@code owner/name} of the repositories an installation event adds or removes;
 *     empty when it names none (an installation on all repositories)
 */
public record WebhookEvent(
    Kind kind,
    String delivery,
    String action,
    String repository,
    String branch,
    String headSha,
    String account,
    List<String> repositories) {

  public WebhookEvent {
    repositories = repositories == null ? List.of() : List.copyOf(repositories);
  }

  /** An event about a pull request or the checks on a commit. */
  public WebhookEvent(Kind kind, String action, String repository, String branch, String headSha) {
    this(kind, null, action, repository, branch, headSha, null, List.of());
  }

  public WebhookEvent withDelivery(String id) {
    return new WebhookEvent(kind, id, action, repository, branch, headSha, account, repositories);
  }

  /** The event types Flotilla subscribes to, by GitHub's {@code X-GitHub-Event} name. */
  public enum Kind {
    PULL_REQUEST("pull_request"),
    CHECK_RUN("check_run"),
    CHECK_SUITE("check_suite"),
    STATUS("status"),
    PULL_REQUEST_REVIEW("pull_request_review"),
    /** A push to the default branch that touched {@code .flotilla.yaml}; other pushes are not used. */
    PUSH("push"),
    INSTALLATION("installation"),
    INSTALLATION_REPOSITORIES("installation_repositories"),
    BRANCH_PROTECTION_RULE("branch_protection_rule"),
    REPOSITORY_RULESET("repository_ruleset");

    private final String header;

    Kind(String header) {
      this.header = header;
    }

    /** The {@code X-GitHub-Event} header's value. */
    public String header() {
      return header;
    }
  }
}
