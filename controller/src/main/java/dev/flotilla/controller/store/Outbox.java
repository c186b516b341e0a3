package dev.flotilla.controller.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The notification outbox. Rows are created in the transaction of the change that causes them (the
 * triggers of V9, or {@link #addDigest}); {@link #deliverNext} claims one due row with {@code FOR UPDATE
 * SKIP LOCKED} and keeps it locked while the message is delivered, so two controllers never send the
 * same row at once, and a controller killed mid-delivery leaves the row unsent for the next one.
 */
public final class Outbox {

  /** One message to deliver. */
  public record Message(long id, String key, String team, String kind, String payloadJson, int attempts, Instant createdAt) {}

  /** What became of a delivery attempt. */
  public sealed interface Delivery {
    /** Delivered (or printed, or nowhere to send): never attempted again. */
    record Done(String outcome) implements Delivery {}

    /** Refused or failed: attempted again at {@code retryAt}. */
    record Retry(String error, Instant retryAt) implements Delivery {}
  }

  /** A row in the outbox as the dashboard or a test reads it. */
  public record Row(String key, String team, String kind, int attempts, String outcome, String lastError, Instant sentAt) {}

  private final Jdbc jdbc;

  public Outbox(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Adds the day's digest for the team; false when it already exists (at most one a day). */
  public boolean addDigest(String team, String day, String payloadJson, Instant now) {
    return jdbc.update(
        "INSERT INTO notification_outbox (key, team, kind, payload, created_at, next_attempt_at)"
            + " VALUES (?, ?, 'DIGEST', ?::jsonb, ?, ?) ON CONFLICT (key) DO NOTHING",
        digestKey(team, day), team, payloadJson, now, now) == 1;
  }

  public boolean hasDigest(String team, String day) {
    return jdbc.count("SELECT count(*) FROM notification_outbox WHERE key = ?", digestKey(team, day)) > 0;
  }

  static String digestKey(String team, String day) {
    return "digest:" + team + ":" + day;
  }

  /**
   * Claims the oldest due message, delivers it with {@code deliver} while it stays locked, and records
   * the result in the same transaction. Empty when nothing is due.
   */
  public Optional<Delivery> deliverNext(Instant now, Function<Message, Delivery> deliver) {
    return jdbc.inTransaction(() -> {
      Optional<Message> due = jdbc.queryOne(
          "SELECT id, key, team, kind, payload::text AS payload, attempts, created_at FROM notification_outbox"
              + " WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
          rs -> new Message(rs.getLong("id"), rs.getString("key"), rs.getString("team"), rs.getString("kind"),
              rs.getString("payload"), rs.getInt("attempts"), Jdbc.instant(rs, "created_at")),
          now);
      if (due.isEmpty()) {
        return Optional.empty();
      }
      Message message = due.get();
      Delivery result = deliver.apply(message);
      if (result instanceof Delivery.Done done) {
        jdbc.update("UPDATE notification_outbox SET sent_at = ?, outcome = ?, attempts = attempts + 1 WHERE id = ?",
            now, done.outcome(), message.id());
      } else if (result instanceof Delivery.Retry retry) {
        jdbc.update("UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
            retry.error(), retry.retryAt(), message.id());
      }
      return Optional.of(result);
    });
  }

  public List<Row> rows() {
    return jdbc.query(
        "SELECT key, team, kind, attempts, outcome, last_error, sent_at FROM notification_outbox ORDER BY id",
        rs -> new Row(rs.getString("key"), rs.getString("team"), rs.getString("kind"), rs.getInt("attempts"),
            rs.getString("outcome"), rs.getString("last_error"), Jdbc.instant(rs, "sent_at")));
  }

  /** Teams that own a present repository. */
  public List<String> teams() {
    return jdbc.query("SELECT DISTINCT team FROM repository WHERE present AND team IS NOT NULL ORDER BY team", rs -> rs.getString(1));
  }
}
