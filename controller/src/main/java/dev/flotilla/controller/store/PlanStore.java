package dev.flotilla.controller.store;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Plan;
import dev.flotilla.controller.model.Plan.Entry;
import dev.flotilla.controller.model.Plan.Verdict;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Plans and their verdicts per repository. Every step is a conditional update, so several
 * controller replicas start a plan once and claim each dry run once.
 */
public final class PlanStore {

  private static final String PLAN_COLUMNS = "id, campaign, source_hash, spec, status, requested_by, created_at, finished_at";
  private static final String ENTRY_COLUMNS =
      "plan_id, repository_id, repository, verdict, reason, base_sha, files_changed, insertions, deletions, diff, run_id, updated_at";

  private final Jdbc jdbc;

  public PlanStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** The plan store over the same database as {@code campaigns}. */
  public static PlanStore beside(CampaignStore campaigns) {
    return new PlanStore(campaigns.jdbc());
  }

  /**
   * The plan of {@code spec} as written in {@code source}: the one already there for this content,
   * or a new one waiting for a controller. With {@code again}, a finished plan is made again from
   * scratch (the fleet may have moved since).
   */
  public Plan request(CampaignSpec spec, String source, String actor, boolean again, Instant now) {
    String hash = Plan.hash(source);
    return jdbc.inTransaction(() -> {
      jdbc.update(
          "INSERT INTO plan (campaign, source_hash, source, spec, status, requested_by, created_at)"
              + " VALUES (?, ?, ?, ?, 'REQUESTED', ?, ?) ON CONFLICT (campaign, source_hash) DO NOTHING",
          spec.name(), hash, source, StoreJson.write(spec), actor, now);
      Plan plan = jdbc.queryOne("SELECT " + PLAN_COLUMNS + " FROM plan WHERE campaign = ? AND source_hash = ? FOR UPDATE",
          PlanStore::map, spec.name(), hash).orElseThrow();
      if (again && plan.status() == Plan.Status.FINISHED) {
        jdbc.update("DELETE FROM plan_repository WHERE plan_id = ?", plan.id());
        jdbc.update("UPDATE plan SET status = 'REQUESTED', requested_by = ?, created_at = ?, finished_at = NULL WHERE id = ?",
            actor, now, plan.id());
        return byId(plan.id()).orElseThrow();
      }
      return plan;
    });
  }

  public Optional<Plan> byId(long id) {
    return jdbc.queryOne("SELECT " + PLAN_COLUMNS + " FROM plan WHERE id = ?", PlanStore::map, id);
  }

  /** Every plan, newest first. */
  public List<Plan> all() {
    return jdbc.query("SELECT " + PLAN_COLUMNS + " FROM plan ORDER BY created_at DESC, id DESC", PlanStore::map);
  }

  public List<Plan> inStatus(Plan.Status status) {
    return jdbc.query("SELECT " + PLAN_COLUMNS + " FROM plan WHERE status = ? ORDER BY id", PlanStore::map, status);
  }

  /** The finished plan of this campaign file content, if there is one. */
  public Optional<Plan> finished(String campaign, String sourceHash) {
    return jdbc.queryOne(
        "SELECT " + PLAN_COLUMNS + " FROM plan WHERE campaign = ? AND source_hash = ? AND status = 'FINISHED'",
        PlanStore::map, campaign, sourceHash);
  }

  /**
   * Starts a requested plan with its repositories: {@code PENDING} ones get a dry run, the others are
   * decided already. Returns false when another controller started it first.
   */
  public boolean start(long planId, List<Entry> entries, Instant now) {
    return jdbc.inTransaction(() -> {
      if (jdbc.update("UPDATE plan SET status = 'RUNNING' WHERE id = ? AND status = 'REQUESTED'", planId) != 1) {
        return false;
      }
      for (Entry e : entries) {
        jdbc.update(
            "INSERT INTO plan_repository (" + ENTRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            planId, e.repositoryId(), e.repository(), e.verdict(), e.reason(), e.baseSha(), e.filesChanged(),
            e.insertions(), e.deletions(), e.diff(), e.runId(), now);
      }
      return true;
    });
  }

  /** A plan's repositories, by name. */
  public List<Entry> entries(long planId) {
    return jdbc.query("SELECT " + ENTRY_COLUMNS + " FROM plan_repository WHERE plan_id = ? ORDER BY repository",
        PlanStore::entry, planId);
  }

  public Optional<Entry> entry(long planId, String repository) {
    return jdbc.queryOne("SELECT " + ENTRY_COLUMNS + " FROM plan_repository WHERE plan_id = ? AND repository = ?",
        PlanStore::entry, planId, repository);
  }

  /** Claims up to {@code limit} dry runs waiting to start, oldest plan first, and marks them running. */
  public List<Entry> claim(int limit, Instant now) {
    if (limit <= 0) {
      return List.of();
    }
    return jdbc.query(
        "UPDATE plan_repository SET verdict = 'RUNNING', updated_at = ? WHERE run_id IN ("
            + " SELECT run_id FROM plan_repository WHERE verdict = 'PENDING' ORDER BY plan_id, repository"
            + " LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + ENTRY_COLUMNS,
        PlanStore::entry, now, limit);
  }

  /** Puts a claimed dry run back, when the executor did not take it. */
  public void unclaim(String runId, Instant now) {
    jdbc.update("UPDATE plan_repository SET verdict = 'PENDING', updated_at = ? WHERE run_id = ? AND verdict = 'RUNNING'",
        now, runId);
  }

  /** Every dry run started and not yet reported. */
  public List<Entry> running() {
    return jdbc.query("SELECT " + ENTRY_COLUMNS + " FROM plan_repository WHERE verdict = 'RUNNING' ORDER BY plan_id, repository",
        PlanStore::entry);
  }

  /**
   * Records a dry run's verdict; only a running one counts, so a second delivery changes nothing.
   * Returns the entry as recorded, or empty when it was not waiting for this result.
   */
  public Optional<Entry> record(
      String runId, Verdict verdict, String reason, String baseSha, Integer files, Integer insertions, Integer deletions,
      String diff, Instant now) {
    return jdbc.queryOne(
        "UPDATE plan_repository SET verdict = ?, reason = ?, base_sha = ?, files_changed = ?, insertions = ?,"
            + " deletions = ?, diff = ?, updated_at = ? WHERE run_id = ? AND verdict = 'RUNNING' RETURNING " + ENTRY_COLUMNS,
        PlanStore::entry, verdict, reason, baseSha, files, insertions, deletions, diff, now, runId);
  }

  /** Marks a running plan finished once no repository waits for its dry run; returns whether it did. */
  public boolean finishIfDone(long planId, Instant now) {
    return jdbc.update(
            "UPDATE plan SET status = 'FINISHED', finished_at = ? WHERE id = ? AND status = 'RUNNING'"
                + " AND NOT EXISTS (SELECT 1 FROM plan_repository WHERE plan_id = ? AND verdict IN ('PENDING', 'RUNNING'))",
            now, planId, planId)
        == 1;
  }

  private static Plan map(ResultSet rs) throws SQLException {
    return new Plan(
        rs.getLong("id"),
        rs.getString("campaign"),
        rs.getString("source_hash"),
        StoreJson.read(rs.getString("spec"), CampaignSpec.class),
        Plan.Status.valueOf(rs.getString("status")),
        rs.getString("requested_by"),
        Jdbc.instant(rs, "created_at"),
        Jdbc.instant(rs, "finished_at"));
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    return new Entry(
        rs.getLong("plan_id"),
        rs.getLong("repository_id"),
        rs.getString("repository"),
        Verdict.valueOf(rs.getString("verdict")),
        rs.getString("reason"),
        rs.getString("base_sha"),
        Jdbc.nullableInt(rs, "files_changed"),
        Jdbc.nullableInt(rs, "insertions"),
        Jdbc.nullableInt(rs, "deletions"),
        rs.getString("diff"),
        rs.getString("run_id"),
        Jdbc.instant(rs, "updated_at"));
  }
}
