package dev.flotilla.controller.forge;

import dev.flotilla.FlotillaException;
import java.time.Duration;

/**
 * The forge was not asked, or refused without doing anything, because a limit on what may be asked
 * of it is used up for now (GitHub's content-creation limit). Nothing was done: the same call may
 * be made again after {@link #retryIn()}. Not a failure of the changeset; it waits.
 */
public final class ForgeBusy extends FlotillaException {

  private final Duration retryIn;

  /**
   * @param reason what is used up and for whom, for a person reading the changeset's state
   * @param retryIn how long until the call may be made again; a duration, since the forge's clock and
   *     the engine's need not be one
   */
  public ForgeBusy(String reason, Duration retryIn) {
    super(reason);
    this.retryIn = retryIn.isNegative() ? Duration.ZERO : retryIn;
  }

  public Duration retryIn() {
    return retryIn;
  }
}
