/**
 * The port between the dashboard and the rest of Flotilla. The controller implements
 * {@link dev.flotilla.dashboard.port.FleetView} (reads) and {@link dev.flotilla.dashboard.port.FleetActions}
 * (mutations) against its store, and calls a {@link dev.flotilla.dashboard.port.FleetEventSink} after
 * each committed change so open pages refresh. Everything crossing the port is an immutable record.
 */
package dev.flotilla.dashboard.port;
