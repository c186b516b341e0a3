package dev.flotilla.controller.forge;

import dev.flotilla.FlotillaException;
import java.time.Instant;

/**
 * The forge was not asked, or refused without doing anything, because a limit on what may be asked
 * of it is used up for now (GitHub's content-creation limit). Nothing was done: the same call may
 * be made again from {@link #retryAt()}. Not a failure of the changeset; it waits.
 */
public final class ForgeBusy extends FlotillaException {

  private final Instant retryAt;

  /** @param reason what is used up and for whom, for a person reading the changeset's state */
  public ForgeBusy(String reason, Instant retryAt) {
    super(reason);
    this.retryAt = retryAt;
  }

  public Instant retryAt() {
    return retryAt;
  }
}
