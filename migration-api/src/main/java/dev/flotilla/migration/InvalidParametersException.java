package dev.flotilla.migration;

import dev.flotilla.FlotillaException;

/** Parameters that do not fit a migration; the message lists every problem, one per line. */
public class InvalidParametersException extends FlotillaException {

  private final transient Validation validation;

  public InvalidParametersException(String migrationId, Validation validation) {
    super("invalid parameters for migration '" + migrationId + "':\n" + validation.describe());
    this.validation = validation;
  }

  public InvalidParametersException(String message) {
    super(message);
    this.validation = Validation.ok();
  }

  public Validation validation() {
    return validation;
  }
}
