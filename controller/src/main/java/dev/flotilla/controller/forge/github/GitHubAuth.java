package dev.flotilla.controller.forge.github;

import java.util.Optional;

/** How requests to GitHub are authorised: one token for everything, or a GitHub App's installations. */
sealed interface GitHubAuth permits TokenAuth, AppAuth {

  /** The {@code Authorization} header for API calls about {@code owner}'s repositories. */
  String authorization(String owner);

  /**
   * Whose rate budgets a request with this {@code Authorization} header spends: GitHub keeps them per
   * installation for an App, per user for a token. Never the credential itself.
   */
  String budgetKey(String authorization);

  /** Whether every owner shares one credential, so one GraphQL query may span owners. */
  boolean shared();

  /**
   * A token the runner may use to clone and push {@code owner/repo}, as narrow as this auth allows;
   * with the right to change workflow files only when {@code workflows} is true.
   */
  Optional<String> runToken(String owner, String repo, boolean workflows);
}
