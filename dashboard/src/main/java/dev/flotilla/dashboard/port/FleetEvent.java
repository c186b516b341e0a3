package dev.flotilla.dashboard.port;

import java.time.Instant;
import java.util.Objects;

/**
 * A small notice that something in the fleet changed. It carries no data to render: the page re-reads
 * what the event names, so a lost or coalesced event costs nothing but a moment's staleness.
 *
 * @param type what changed
 * @param campaign the campaign concerned; {@code null} for fleet-wide events
 * @param repository the repository concerned; {@code null} when not about one repository
 * @param at when it happened
 */
public record FleetEvent(Type type, String campaign, String repository, Instant at) {

  public enum Type {
    /** A changeset moved to another state. */
    CHANGESET,
    /** A campaign was created, paused, resumed, halted, cancelled or completed. */
    CAMPAIGN,
    /** Discovery finished: repositories or opt-in files may have changed. */
    FLEET
  }

  public FleetEvent {
    Objects.requireNonNull(type, "type");
    at = at == null ? Instant.now() : at;
  }

  public static FleetEvent changeset(String campaign, String repository) {
    return new FleetEvent(Type.CHANGESET, campaign, repository, Instant.now());
  }

  public static FleetEvent campaign(String campaign) {
    return new FleetEvent(Type.CAMPAIGN, campaign, null, Instant.now());
  }

  public static FleetEvent fleet() {
    return new FleetEvent(Type.FLEET, null, null, Instant.now());
  }
}
