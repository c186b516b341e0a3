package dev.flotilla.controller.exec.k8s;

import dev.flotilla.runner.RunRequest;
import java.util.Optional;

/**
 * The git token for one run (for GitHub, a fresh installation token scoped to the repository), or
 * empty when the remote needs none. The value goes into the run's Secret and nowhere else.
 */
@FunctionalInterface
public interface CredentialSource {

  /** For remotes that need no credential, such as {@code file://} repositories. */
  CredentialSource NONE = request -> Optional.empty();

  Optional<String> tokenFor(RunRequest request);
}
