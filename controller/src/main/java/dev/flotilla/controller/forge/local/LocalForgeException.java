package dev.flotilla.controller.forge.local;

import dev.flotilla.FlotillaException;

/** The local forge could not do what was asked: a missing repository or branch, a broken bare repository. */
public final class LocalForgeException extends FlotillaException {

  public LocalForgeException(String message) {
    super(message);
  }

  public LocalForgeException(String message, Throwable cause) {
    super(message, cause);
  }
}
