package dev.flotilla.controller.view;

import dev.flotilla.controller.engine.ForgeEventQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The webhook queue in Prometheus: {@code flotilla_webhook_queue_depth}, and per event type
 * {@code flotilla_webhook_events_handled_total}, {@code flotilla_webhook_events_polling_total} (left
 * to polling because the queue was full) and {@code flotilla_webhook_events_failed_total}.
 */
public final class WebhookMetrics implements ForgeEventQueue.Observer {

  private final MeterRegistry registry;

  public WebhookMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the depth gauge of {@code queue}; returns the queue. */
  public ForgeEventQueue watch(ForgeEventQueue queue) {
    Gauge.builder("flotilla.webhook.queue.depth", queue, ForgeEventQueue::depth)
        .description("Webhook work waiting for the engine's threads")
        .register(registry);
    return queue;
  }

  @Override
  public void handled(String event) {
    count("flotilla.webhook.events.handled", "Webhook work done, by event type", event);
  }

  @Override
  public void deferredToPolling(String event) {
    count("flotilla.webhook.events.polling", "Webhook work left to polling because the queue was full, by event type", event);
  }

  @Override
  public void failed(String event) {
    count("flotilla.webhook.events.failed", "Webhook work that failed and was left to polling, by event type", event);
  }

  private void count(String name, String description, String event) {
    Counter.builder(name).description(description).tag("event", event).register(registry).increment();
  }
}
