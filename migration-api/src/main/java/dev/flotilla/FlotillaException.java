package dev.flotilla;

/**
 * The one unchecked root of every error Flotilla raises on purpose. Subclasses say which kind of
 * problem it is, so the CLI can map them to exit codes and a changeset can record a reason a person
 * can act on.
 */
public class FlotillaException extends RuntimeException {

  public FlotillaException(String message) {
    super(message);
  }

  public FlotillaException(String message, Throwable cause) {
    super(message, cause);
  }
}
