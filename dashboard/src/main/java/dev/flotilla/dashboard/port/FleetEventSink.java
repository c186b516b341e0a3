package dev.flotilla.dashboard.port;

/**
 * Where the controller tells the dashboard that something changed, after the change is committed to
 * the store. {@code publish} never blocks and never throws: a slow browser drops events, it does not
 * slow the controller down.
 */
@FunctionalInterface
public interface FleetEventSink {

  void publish(FleetEvent event);
}
