package dev.flotilla.controller.store;

import java.time.Instant;
import java.util.Optional;

/** Webhook deliveries received, by delivery id, so a redelivery is recognised after a restart too. */
public final class WebhookDeliveries {

  /** One delivery as recorded. */
  public record Delivery(String id, String event, String action, String repository, Instant receivedAt, String outcome) {}

  private final Jdbc jdbc;

  public WebhookDeliveries(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Records a delivery; false when one with the same id was recorded before (a redelivery). */
  public boolean recordIfNew(String id, String event, String action, String repository, Instant receivedAt, String outcome) {
    return jdbc.update(
            """
            INSERT INTO webhook_delivery (delivery_id, event, action, repository, received_at, outcome)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING
            """,
            id, event, action, repository, receivedAt, outcome)
        == 1;
  }

  /** Says what became of a recorded delivery. */
  public void outcome(String id, String outcome) {
    jdbc.update("UPDATE webhook_delivery SET outcome = ? WHERE delivery_id = ?", outcome, id);
  }

  /** Forgets a delivery, so GitHub's redelivery of it is handled rather than ignored. */
  public void forget(String id) {
    jdbc.update("DELETE FROM webhook_delivery WHERE delivery_id = ?", id);
  }

  public Optional<Delivery> byId(String id) {
    return jdbc.queryOne(
        "SELECT delivery_id, event, action, repository, received_at, outcome FROM webhook_delivery WHERE delivery_id = ?",
        rs -> new Delivery(rs.getString("delivery_id"), rs.getString("event"), rs.getString("action"),
            rs.getString("repository"), Jdbc.instant(rs, "received_at"), rs.getString("outcome")),
        id);
  }

  /** Deletes deliveries received before {@code cutoff}; returns how many. */
  public int pruneBefore(Instant cutoff) {
    return jdbc.update("DELETE FROM webhook_delivery WHERE received_at < ?", cutoff);
  }
}
