package dev.flotilla.controller.store;

import dev.flotilla.controller.model.CiStatus;
import java.time.Instant;
import java.util.Optional;

/** The local forge's CI checks, one row per (repository, commit, check). */
public final class LocalChecks {

  private final Jdbc jdbc;

  public LocalChecks(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<CiStatus.Check> find(String repository, String sha, String name) {
    return jdbc.queryOne(
        "SELECT state, summary FROM local_check WHERE repository = ? AND sha = ? AND name = ?",
        rs -> new CiStatus.Check(name, CiStatus.State.valueOf(rs.getString("state")), null, rs.getString("summary")),
        repository,
        sha,
        name);
  }

  public void record(String repository, String sha, String name, CiStatus.State state, String summary, Instant now) {
    jdbc.update(
        "INSERT INTO local_check (repository, sha, name, state, summary, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (repository, sha, name)"
            + " DO UPDATE SET state = EXCLUDED.state, summary = EXCLUDED.summary, updated_at = EXCLUDED.updated_at",
        repository,
        sha,
        name,
        state,
        summary,
        now);
  }
}
