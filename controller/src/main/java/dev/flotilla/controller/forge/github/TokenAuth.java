package dev.flotilla.controller.forge.github;

import dev.flotilla.controller.config.Secret;
import java.util.Optional;

/** A personal access token (or any token) used for every call, and handed to runs as it is. */
final class TokenAuth implements GitHubAuth {

  private final Secret token;

  TokenAuth(Secret token) {
    this.token = token;
  }

  @Override
  public String authorization(String owner) {
    return "Bearer " + token.reveal();
  }

  @Override
  public String budgetKey(String authorization) {
    return "the token";
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Optional<String> runToken(String owner, String repo, boolean workflows) {
    return Optional.of(token.reveal());
  }

  @Override
  public String toString() {
    return "token";
  }
}
