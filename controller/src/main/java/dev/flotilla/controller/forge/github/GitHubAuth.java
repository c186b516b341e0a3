package dev.flotilla.controller.forge.github;

import java.util.Optional;

/** How requests to GitHub are authorised: one token for everything, or a GitHub App's installations. */
sealed interface GitHubAuth permits TokenAuth, AppAuth {

  /** The {@code Authorization} header for API calls about {@code owner}'s repositories. */
  String authorization(String owner);

  /** Whether every owner shares one credential, so one GraphQL query may span owners. */
  boolean shared();

  /**
   * A token the runner may use to clone and push {@code owner/repo}, as narrow as this auth allows;
   * with the right to change workflow files only when {@code workflows} is true.
   */
  Optional<String> runToken(String owner, String repo, boolean workflows);
}
