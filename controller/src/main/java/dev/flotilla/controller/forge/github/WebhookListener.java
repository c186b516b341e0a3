package dev.flotilla.controller.forge.github;

/** Told about each verified webhook event, so the changeset it concerns is reconciled at once. */
@FunctionalInterface
public interface WebhookListener {

  /** Called on the HTTP server's thread: hand the work over rather than doing it here. */
  void onEvent(WebhookEvent event);
}
