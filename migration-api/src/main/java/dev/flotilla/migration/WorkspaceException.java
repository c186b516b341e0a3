package dev.flotilla.migration;

import dev.flotilla.FlotillaException;

/**
 * A path a migration may not use: absolute, climbing out with {@code ..}, inside {@code .git}, or
 * reaching outside the repository through a symbolic link.
 */
public class WorkspaceException extends FlotillaException {

  public WorkspaceException(String message) {
    super(message);
  }
}
