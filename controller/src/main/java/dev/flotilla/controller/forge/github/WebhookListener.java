package dev.flotilla.controller.forge.github;

/** Told about each verified webhook event, so the work it asks for is done soon. */
@FunctionalInterface
public interface WebhookListener {

  /** What became of an event handed over. */
  enum Accepted {
    /** Waiting for the engine's threads. */
    QUEUED,
    /** The same work was already waiting; this event adds nothing to it. */
    MERGED,
    /** The queue was full: the changesets it concerns are polled now instead. */
    POLLING,
    /** Nothing Flotilla follows is concerned. */
    IGNORED
  }

  /**
   * Called on the HTTP server's thread, which also answers the health probes: hand the work over and
   * return, never wait on the forge here.
   */
  void onEvent(WebhookEvent event);

  /** As {@link #onEvent}, saying what became of the event; a listener that keeps none says queued. */
  default Accepted accept(WebhookEvent event) {
    onEvent(event);
    return Accepted.QUEUED;
  }
}
