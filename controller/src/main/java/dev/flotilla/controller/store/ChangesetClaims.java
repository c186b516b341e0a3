package dev.flotilla.controller.store;

import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who is reconciling a changeset: a claim with a lease, taken before a reconcile and released after
 * it. Claims are rows in the store, so controllers sharing one database never reconcile the same
 * changeset at once, and neither do two threads of one controller. A claim whose lease has run out
 * (its holder died or hung) may be taken again.
 */
public final class ChangesetClaims {

  private final Jdbc jdbc;
  private final String owner;
  private final Duration lease;

  /**
   * @param owner names this controller in the claims it takes
   * @param lease how long a claim holds without being released; longer than any one reconcile
   */
  public ChangesetClaims(Jdbc jdbc, String owner, Duration lease) {
    this.jdbc = jdbc;
    this.owner = owner;
    this.lease = lease;
  }

  public String owner() {
    return owner;
  }

  /**
   * Claims up to {@code limit} changesets that are due, oldest first: those in {@code watched} whose
   * next check is due, and merged ones whose default branch is still watched. Rows another
   * controller holds, or is claiming at this instant, are skipped.
   */
  public List<Changeset> claimDue(Set<ChangesetState> watched, Instant now, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return jdbc.query(
        "WITH picked AS (SELECT c.id FROM changeset c JOIN campaign k ON k.name = c.campaign"
            + " WHERE (c.state = ANY(?) OR (c.state = ANY(?) AND c.health_until IS NOT NULL))"
            + " AND k.status <> 'CANCELLED' AND (c.next_check_at IS NULL OR c.next_check_at <= ?)"
            + " AND (c.claimed_until IS NULL OR c.claimed_until <= ?)"
            + " ORDER BY c.next_check_at NULLS FIRST, c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED)"
            + " UPDATE changeset c SET claimed_by = ?, claimed_until = ? FROM picked WHERE c.id = picked.id"
            + " RETURNING " + ChangesetStore.COLUMNS,
        ChangesetStore::map,
        names(watched),
        names(Lifecycle.HEALTH_WATCHED),
        now,
        now,
        limit,
        owner,
        now.plus(lease));
  }

  /**
   * Claims one changeset whatever its next check, as it is now; empty when someone holds it. Then
   * {@link #recheck} makes sure the holder looks again.
   */
  public Optional<Changeset> claim(long id, Instant now) {
    return jdbc.returning(
        "UPDATE changeset c SET claimed_by = ?, claimed_until = ? WHERE c.id = ? AND (c.claimed_until IS NULL OR c.claimed_until <= ?)"
            + " RETURNING " + ChangesetStore.COLUMNS,
        ChangesetStore::map,
        owner,
        now.plus(lease),
        id,
        now);
  }

  /** Asks whoever holds the changeset's claim to reconcile it again once done: something changed meanwhile. */
  public void recheck(long id) {
    jdbc.update("UPDATE changeset SET recheck = true WHERE id = ?", id);
  }

  /**
   * Gives the claim back. Returns true when a recheck was asked for while it was held: the changeset
   * is then due at once, and the caller may reconcile it again right away.
   */
  public boolean release(long id) {
    return jdbc.returning(
            "UPDATE changeset c SET claimed_by = NULL, claimed_until = NULL, recheck = false,"
                + " next_check_at = CASE WHEN old.recheck THEN NULL ELSE c.next_check_at END"
                + " FROM (SELECT id, recheck FROM changeset WHERE id = ? FOR UPDATE) old"
                + " WHERE c.id = old.id AND c.claimed_by = ? RETURNING old.recheck",
            rs -> rs.getBoolean(1),
            id,
            owner)
        .orElse(false);
  }

  /**
   * Frees every claim an earlier run of this same controller left behind (its owner names start
   * with {@code prefix}), so a restart after a crash does not wait for their leases. Returns how many.
   */
  public int releaseLeftBy(String prefix) {
    return jdbc.update("UPDATE changeset SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by LIKE ? AND claimed_by <> ?",
        prefix.replace("%", "\\%").replace("_", "\\_") + "%", owner);
  }

  private static String[] names(Set<ChangesetState> states) {
    return states.stream().map(Enum::name).toArray(String[]::new);
  }
}
