package dev.flotilla.controller.store;

import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Changesets and their history. Every state change is a compare-and-set on the current state plus
 * one history row, in one transaction: calling it again with the same input changes nothing, so a
 * controller killed at any instant can simply do its work again.
 */
public final class ChangesetStore {

  static final String COLUMNS =
      "c.id, c.campaign, c.repository_id, c.state, c.state_reason, c.state_since, c.wave, c.attempts, c.run_id,"
          + " c.last_pushed_sha, c.pr_number, c.pr_url, c.ci_state, c.last_error";

  private static final Set<String> UPDATABLE =
      Set.of(
          "state_reason", "wave", "attempts", "run_id", "run_started_at", "last_pushed_sha", "pr_number", "pr_url",
          "ci_state", "ci_summary", "last_result", "last_error", "files_changed", "insertions", "deletions",
          "next_check_at");

  private final Jdbc jdbc;

  public ChangesetStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public Jdbc jdbc() {
    return jdbc;
  }

  /** Column changes that go with a transition. */
  public static final class Changes {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public static Changes none() {
      return new Changes();
    }

    public static Changes of(String column, Object value) {
      return new Changes().set(column, value);
    }

    public Changes set(String column, Object value) {
      if (!UPDATABLE.contains(column)) {
        throw new IllegalArgumentException("not an updatable changeset column: " + column);
      }
      values.put(column, value);
      return this;
    }
  }

  /** Creates the changeset unless one exists for (campaign, repository); returns the new id. */
  public Optional<Long> createIfAbsent(
      String campaign, long repositoryId, ChangesetState state, String reason, int wave, String actor, Instant now) {
    return jdbc.inTransaction(
        () -> {
          Optional<Long> id =
              jdbc.returning(
                  """
                  INSERT INTO changeset (campaign, repository_id, state, state_reason, state_since, wave, created_at, updated_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT (campaign, repository_id) DO NOTHING
                  RETURNING id
                  """,
                  rs -> rs.getLong(1),
                  campaign,
                  repositoryId,
                  state,
                  reason,
                  now,
                  wave,
                  now,
                  now);
          id.ifPresent(i -> event(i, campaign, null, state, actor, reason, now));
          return id;
        });
  }

  /**
   * Moves a changeset to {@code to} if its state is one of {@code from}, applying {@code changes}
   * and recording the event. Returns false (and changes nothing) when the state was not in {@code
   * from}, for instance because another replica got there first.
   */
  public boolean transition(
      long id, Set<ChangesetState> from, ChangesetState to, Changes changes, String actor, String detail, Instant now) {
    return jdbc.inTransaction(
        () -> {
          // Reading the old state through a locked sub-select is what makes the history exact.
          StringBuilder sql = new StringBuilder("UPDATE changeset c SET state = ?, updated_at = ?");
          List<Object> params = new ArrayList<>(List.of(to, now));
          sql.append(", state_since = CASE WHEN c.state = ? THEN c.state_since ELSE ? END");
          params.add(to);
          params.add(now);
          if (!changes.values.containsKey("state_reason")) {
            changes.values.put("state_reason", detail);
          }
          changes.values.forEach(
              (column, value) -> {
                sql.append(", ").append(column).append(" = ?");
                params.add(value);
              });
          sql.append(" FROM (SELECT id, state FROM changeset WHERE id = ? FOR UPDATE) old")
              .append(" WHERE c.id = old.id AND old.state = ANY(?) RETURNING c.campaign, old.state");
          params.add(id);
          params.add(from.stream().map(Enum::name).toArray(String[]::new));
          Optional<String[]> moved =
              jdbc.returning(sql.toString(), rs -> new String[] {rs.getString(1), rs.getString(2)}, params.toArray());
          moved.ifPresent(
              m -> {
                ChangesetState previous = ChangesetState.valueOf(m[1]);
                event(id, m[0], previous, to, actor, detail, now);
              });
          return moved.isPresent();
        });
  }

  /** Updates columns without a state change (e.g. the CI summary, the next check time). */
  public void update(long id, Changes changes, Instant now) {
    if (changes.values.isEmpty()) {
      return;
    }
    StringBuilder sql = new StringBuilder("UPDATE changeset SET updated_at = ?");
    List<Object> params = new ArrayList<>(List.of(now));
    changes.values.forEach(
        (column, value) -> {
          sql.append(", ").append(column).append(" = ?");
          params.add(value);
        });
    sql.append(" WHERE id = ?");
    params.add(id);
    jdbc.update(sql.toString(), params.toArray());
  }

  /**
   * Claims up to {@code limit} pending changesets of an active campaign for running, skipping rows
   * another replica holds, in wave order. Each claimed changeset is RUNNING with a new run id.
   */
  public List<Changeset> claimPending(String campaign, int maxWave, int limit, String actor, Instant now) {
    if (limit <= 0) {
      return List.of();
    }
    return jdbc.inTransaction(
        () -> {
          List<Changeset> claimed =
              jdbc.query(
                  "SELECT " + COLUMNS + " FROM changeset c JOIN campaign k ON k.name = c.campaign"
                      + " WHERE c.campaign = ? AND c.state = 'PENDING' AND k.status = 'ACTIVE' AND c.wave <= ?"
                      + " ORDER BY c.wave, c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED",
                  ChangesetStore::map,
                  campaign,
                  maxWave,
                  limit);
          List<Changeset> running = new ArrayList<>();
          for (Changeset c : claimed) {
            int attempt = c.attempts() + 1;
            String runId = Changeset.runId(c.id(), attempt);
            transition(
                c.id(),
                Set.of(ChangesetState.PENDING),
                ChangesetState.RUNNING,
                Changes.of("attempts", attempt).set("run_id", runId).set("run_started_at", java.sql.Timestamp.from(now)),
                actor,
                "run " + runId + " started",
                now);
            running.add(byId(c.id()).orElseThrow());
          }
          return running;
        });
  }

  public Optional<Changeset> byId(long id) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM changeset c WHERE c.id = ?", ChangesetStore::map, id);
  }

  public Optional<Changeset> byRunId(String runId) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM changeset c WHERE c.run_id = ?", ChangesetStore::map, runId);
  }

  public Optional<Changeset> find(String campaign, long repositoryId) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM changeset c WHERE c.campaign = ? AND c.repository_id = ?", ChangesetStore::map, campaign, repositoryId);
  }

  public List<Changeset> forCampaign(String campaign) {
    return jdbc.query("SELECT " + COLUMNS + " FROM changeset c WHERE c.campaign = ? ORDER BY c.id", ChangesetStore::map, campaign);
  }

  public List<Changeset> forRepository(long repositoryId) {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM changeset c WHERE c.repository_id = ? ORDER BY c.campaign", ChangesetStore::map, repositoryId);
  }

  public List<Changeset> inStates(Set<ChangesetState> states) {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM changeset c WHERE c.state = ANY(?) ORDER BY c.id",
        ChangesetStore::map,
        (Object) states.stream().map(Enum::name).toArray(String[]::new));
  }

  /** Changesets in {@code states} whose next check is due, oldest first. */
  public List<Changeset> due(Set<ChangesetState> states, Instant now, int limit) {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM changeset c JOIN campaign k ON k.name = c.campaign"
            + " WHERE c.state = ANY(?) AND k.status <> 'CANCELLED' AND (c.next_check_at IS NULL OR c.next_check_at <= ?)"
            + " ORDER BY c.next_check_at NULLS FIRST, c.id LIMIT ?",
        ChangesetStore::map,
        states.stream().map(Enum::name).toArray(String[]::new),
        now,
        limit);
  }

  public long countInStates(String campaign, Set<ChangesetState> states) {
    return jdbc.count(
        "SELECT count(*) FROM changeset WHERE campaign = ? AND state = ANY(?)",
        campaign,
        states.stream().map(Enum::name).toArray(String[]::new));
  }

  public Map<ChangesetState, Long> countByState(String campaign) {
    Map<ChangesetState, Long> counts = new EnumMap<>(ChangesetState.class);
    jdbc.query(
            "SELECT state, count(*) FROM changeset WHERE campaign = ? GROUP BY state",
            rs -> Map.entry(ChangesetState.valueOf(rs.getString(1)), rs.getLong(2)),
            campaign)
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  /** Appends to a changeset's history without a state change (an action, a note). */
  public void event(long id, String campaign, ChangesetState from, ChangesetState to, String actor, String detail, Instant now) {
    jdbc.update(
        "INSERT INTO changeset_event (changeset_id, campaign, at, from_state, to_state, actor, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        id,
        campaign,
        now,
        from,
        to,
        actor,
        detail);
  }

  static Changeset map(ResultSet rs) throws SQLException {
    return new Changeset(
        rs.getLong("id"),
        rs.getString("campaign"),
        rs.getLong("repository_id"),
        ChangesetState.valueOf(rs.getString("state")),
        rs.getString("state_reason"),
        Jdbc.instant(rs, "state_since"),
        rs.getInt("wave"),
        rs.getInt("attempts"),
        rs.getString("run_id"),
        rs.getString("last_pushed_sha"),
        Jdbc.nullableInt(rs, "pr_number"),
        rs.getString("pr_url"),
        rs.getString("ci_state"),
        rs.getString("last_error"));
  }

  static String[] names(ChangesetState... states) {
    return Arrays.stream(states).map(Enum::name).toArray(String[]::new);
  }
}
