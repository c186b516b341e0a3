package dev.flotilla.controller.store;

import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.controller.model.Lifecycle.By;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
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
          + " c.last_pushed_sha, c.pr_number, c.pr_url, c.ci_state, c.last_error, c.merge_sha, c.health_until, c.revert_of";

  private final Jdbc jdbc;

  public ChangesetStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Claims on changesets taken as {@code owner}, each held at most {@code lease}; see {@link ChangesetClaims}. */
  public ChangesetClaims claims(String owner, java.time.Duration lease) {
    return new ChangesetClaims(jdbc, owner, lease);
  }

  /** What else changes on a changeset with a transition or an update, in the engine's words. */
  public static final class Changes {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public static Changes none() {
      return new Changes();
    }

    /** Why it is where it is, when that is not the transition's own detail. */
    public Changes reason(String reason) {
      return set("state_reason", reason);
    }

    public Changes wave(int wave) {
      return set("wave", wave);
    }

    public Changes attempts(int attempts) {
      return set("attempts", attempts);
    }

    public Changes run(String runId, Instant startedAt) {
      return set("run_id", runId).set("run_started_at", Jdbc.ts(startedAt));
    }

    /** What the last run pushed. */
    public Changes pushed(String headSha, int filesChanged, int insertions, int deletions) {
      return set("last_pushed_sha", headSha).set("files_changed", filesChanged).set("insertions", insertions)
          .set("deletions", deletions);
    }

    /** The branch's head is now {@code headSha}, Flotilla's own without a push (an update from the base). */
    public Changes adoptedHead(String headSha) {
      return set("last_pushed_sha", headSha);
    }

    public Changes pullRequest(Integer number, String url) {
      return set("pr_number", number).set("pr_url", url);
    }

    /** Forgets the pull request and the branch head, so the next change gets a fresh pull request. */
    public Changes forgetPullRequest() {
      return pullRequest(null, null).set("last_pushed_sha", null);
    }

    /** The combined CI state on the head ({@code null} for not known yet) and each check's. */
    public Changes ci(String state, String summary) {
      return set("ci_state", state).set("ci_summary", summary);
    }

    public Changes ciUnknown() {
      return set("ci_state", null);
    }

    /** The run's result, kept as JSON for the dashboard. */
    public Changes lastResult(Object result) {
      return set("last_result", StoreJson.write(result));
    }

    /** The last error a person should read; null clears it. */
    public Changes error(String error) {
      return set("last_error", error);
    }

    /**
     * Merged as {@code sha}; the default branch's checks on it are watched until {@code healthUntil}
     * (null: not watched). The revert it was, if it was one, is done.
     */
    public Changes merged(String sha, Instant healthUntil) {
      return set("merge_sha", sha).healthUntil(healthUntil).set("revert_of", null);
    }

    /** Until when the default branch is watched after the merge; null stops watching. */
    public Changes healthUntil(Instant until) {
      return set("health_until", until == null ? null : Jdbc.ts(until));
    }

    /**
     * The next run reverts merge commit {@code sha} on a branch of its own, and the pull request is
     * a new one.
     */
    public Changes revertOf(String sha) {
      return forgetPullRequest().set("revert_of", sha).healthUntil(null).ciUnknown().error(null);
    }

    /** When the reconciler looks at it again; null means at its next round. */
    public Changes nextCheckAt(Instant at) {
      return set("next_check_at", at == null ? null : Jdbc.ts(at));
    }

    private Changes set(String column, Object value) {
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
   * Moves a changeset to {@code to} if {@link Lifecycle} lets {@code by} move it there from its
   * current state, applying {@code changes} and recording the event. Returns false (and changes
   * nothing) when it may not, for instance because another replica got there first.
   */
  public boolean transition(long id, ChangesetState to, By by, Changes changes, String actor, String detail, Instant now) {
    return move(id, Lifecycle.from(to, by), to, changes, actor, detail, now);
  }

  /**
   * Moves a changeset from {@code expected}, the state it was seen in, to {@code to}: a
   * compare-and-set on that state. A move the {@link Lifecycle} does not allow is a bug and throws.
   */
  public boolean transition(
      long id, ChangesetState expected, ChangesetState to, By by, Changes changes, String actor, String detail, Instant now) {
    if (!Lifecycle.allows(expected, to, by)) {
      throw new IllegalStateException("the lifecycle does not let " + by + " move a changeset from " + expected + " to " + to);
    }
    return move(id, EnumSet.of(expected), to, changes, actor, detail, now);
  }

  /**
   * Moves a changeset to {@code to} only from one of {@code from}, each of which the {@link Lifecycle}
   * must let {@code by} leave for {@code to}: for a person's action that is narrower than every way
   * into a state (a retry is not a revert).
   */
  public boolean transitionFrom(
      long id, Set<ChangesetState> from, ChangesetState to, By by, Changes changes, String actor, String detail, Instant now) {
    for (ChangesetState state : from) {
      if (!Lifecycle.allows(state, to, by)) {
        throw new IllegalStateException("the lifecycle does not let " + by + " move a changeset from " + state + " to " + to);
      }
    }
    return move(id, from, to, changes, actor, detail, now);
  }

  private boolean move(
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
                      + " WHERE c.campaign = ? AND c.state = 'PENDING' AND c.wave <= ?"
                      // A revert a person asked for runs even while the campaign is halted or paused.
                      + " AND (k.status = 'ACTIVE' OR (c.revert_of IS NOT NULL AND k.status IN ('HALTED', 'PAUSED')))"
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
                ChangesetState.RUNNING,
                By.ENGINE,
                Changes.none().attempts(attempt).run(runId, now),
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

  /** Merged changesets whose default branch is still watched and whose next look is due. */
  public List<Changeset> healthDue(Instant now, int limit) {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM changeset c JOIN campaign k ON k.name = c.campaign"
            + " WHERE c.state = ANY(?) AND c.health_until IS NOT NULL AND k.status <> 'CANCELLED'"
            + " AND (c.next_check_at IS NULL OR c.next_check_at <= ?)"
            + " ORDER BY c.next_check_at NULLS FIRST, c.id LIMIT ?",
        ChangesetStore::map,
        Lifecycle.HEALTH_WATCHED.stream().map(Enum::name).toArray(String[]::new),
        now,
        limit);
  }

  /** How many of {@code campaign}'s merged changesets still have their default branch watched. */
  public long countWatchedAfterMerge(String campaign) {
    return jdbc.count(
        "SELECT count(*) FROM changeset WHERE campaign = ? AND state = ANY(?) AND health_until IS NOT NULL",
        campaign,
        Lifecycle.HEALTH_WATCHED.stream().map(Enum::name).toArray(String[]::new));
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

  /** How many changesets of a repository, over every campaign, are in {@code states}. */
  public long countInRepository(long repositoryId, Set<ChangesetState> states) {
    return jdbc.count(
        "SELECT count(*) FROM changeset WHERE repository_id = ? AND state = ANY(?)",
        repositoryId,
        states.stream().map(Enum::name).toArray(String[]::new));
  }

  /** Records that a merge of {@code headSha} is being attempted, so a crash mid-merge is visible. */
  public void mergeAttempted(long id, String headSha, Instant now) {
    jdbc.update(
        "INSERT INTO merge_attempt (changeset_id, head_sha, at) VALUES (?, ?, ?)"
            + " ON CONFLICT (changeset_id) DO UPDATE SET head_sha = EXCLUDED.head_sha, at = EXCLUDED.at",
        id, headSha, now);
  }

  public void mergeOutcome(long id, String outcome) {
    jdbc.update("UPDATE merge_attempt SET outcome = ? WHERE changeset_id = ?", outcome, id);
  }

  /** The default branch's head a changeset's branch was pushed onto, and when. */
  public record PushedBase(String baseSha, Instant pushedAt) {}

  public void pushedOnto(long id, String baseSha, Instant now) {
    jdbc.update(
        "INSERT INTO changeset_base (changeset_id, base_sha, pushed_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (changeset_id) DO UPDATE SET base_sha = EXCLUDED.base_sha, pushed_at = EXCLUDED.pushed_at",
        id, baseSha, now);
  }

  public Optional<PushedBase> pushedBase(long id) {
    return jdbc.queryOne(
        "SELECT base_sha, pushed_at FROM changeset_base WHERE changeset_id = ?",
        rs -> new PushedBase(rs.getString(1), Jdbc.instant(rs, "pushed_at")),
        id);
  }

  /** One history row: a changeset of {@code campaign} moved. */
  public record Event(long id, String campaign) {}

  /** The newest history row's id, 0 when there is none. */
  /** How long the oldest changeset of a campaign has been in one state (its last update). */
  public record Oldest(String campaign, ChangesetState state, Instant since) {}

  /** The oldest changeset of each campaign in each of {@code states}. */
  public List<Oldest> oldestIn(Set<ChangesetState> states) {
    return jdbc.query(
        "SELECT campaign, state, min(updated_at) AS oldest FROM changeset WHERE state = ANY(?) GROUP BY campaign, state",
        rs -> new Oldest(rs.getString(1), ChangesetState.valueOf(rs.getString(2)), Jdbc.instant(rs, "oldest")),
        (Object) states.stream().map(Enum::name).toArray(String[]::new));
  }

  public long lastEventId() {
    return jdbc.count("SELECT coalesce(max(id), 0) FROM changeset_event");
  }

  /** Moves into {@code state} from another state recorded after history row {@code afterId}, oldest first. */
  public List<Event> eventsInto(ChangesetState state, long afterId) {
    return jdbc.query(
        "SELECT id, campaign FROM changeset_event WHERE id > ? AND to_state = ? AND from_state IS DISTINCT FROM ? ORDER BY id",
        rs -> new Event(rs.getLong(1), rs.getString(2)),
        afterId, state, state);
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
        rs.getString("last_error"),
        rs.getString("merge_sha"),
        Jdbc.instant(rs, "health_until"),
        rs.getString("revert_of"));
  }

  static String[] names(ChangesetState... states) {
    return Arrays.stream(states).map(Enum::name).toArray(String[]::new);
  }
}
