package dev.flotilla.dashboard.port;

/**
 * What the dashboard may change. Each call records the {@link Actor} in history and returns a short
 * sentence saying what happened, shown to the person who asked. Every call must be idempotent:
 * pausing a paused campaign or retrying a changeset twice is not an error.
 *
 * <p>Implementations throw {@link NotFoundException} for an unknown campaign or changeset and
 * {@link ActionRefusedException} when the action does not fit the current state (e.g. resuming a
 * cancelled campaign), with a message saying what to do instead.
 */
public interface FleetActions {

  String pause(String campaign, Actor actor);

  String resume(String campaign, Actor actor);

  /** Moves one FAILED (or CI_FAILED, CONFLICT) changeset back to PENDING. */
  String retry(long changesetId, Actor actor);

  /** Moves every FAILED changeset of the campaign back to PENDING. */
  String retryFailed(String campaign, Actor actor);

  /**
   * Opens a revert pull request for each merged changeset of the campaign, or only those of {@code
   * wave} (1-based, as shown) or of {@code repository} ({@code owner/name}) when given. Asking twice
   * reverts once.
   */
  String revert(String campaign, Integer wave, String repository, Actor actor);

  /** Starts a discovery run now instead of waiting for its schedule. */
  String rescan(Actor actor);
}
