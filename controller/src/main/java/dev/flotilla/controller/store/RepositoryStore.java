package dev.flotilla.controller.store;

import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.Ownership;
import dev.flotilla.controller.model.Repository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** Repositories as discovery last saw them. */
public final class RepositoryStore {

  private static final String COLUMNS =
      "id, owner, name, default_branch, clone_url, web_url, opt_in_status, opt_in, opt_in_text, opt_in_error";

  private final Jdbc jdbc;
  private final String forge;

  public RepositoryStore(Jdbc jdbc, String forge) {
    this.jdbc = jdbc;
    this.forge = forge;
  }

  /** Inserts or refreshes a repository and its opt-in verdict; returns its id. */
  public long upsert(RepositoryRef ref, OptInStatus status, OptIn optIn, String optInText, String optInError, Instant now) {
    return jdbc.returning(
            """
            INSERT INTO repository (forge, owner, name, default_branch, clone_url, web_url, opt_in_status,
                                    opt_in, opt_in_text, opt_in_error, present, discovered_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?)
            ON CONFLICT (forge, owner, name) DO UPDATE SET
                default_branch = EXCLUDED.default_branch, clone_url = EXCLUDED.clone_url,
                web_url = EXCLUDED.web_url, opt_in_status = EXCLUDED.opt_in_status,
                opt_in = EXCLUDED.opt_in, opt_in_text = EXCLUDED.opt_in_text,
                opt_in_error = EXCLUDED.opt_in_error, present = TRUE, updated_at = EXCLUDED.updated_at
            RETURNING id
            """,
            rs -> rs.getLong(1),
            forge,
            ref.owner(),
            ref.name(),
            ref.defaultBranch(),
            ref.cloneUrl(),
            ref.webUrl(),
            status,
            StoreJson.write(optIn),
            optInText,
            optInError,
            now,
            now)
        .orElseThrow();
  }

  /** Records who owns the repository; empty when no source named a team. */
  public void recordOwner(long id, Optional<Ownership> ownership) {
    jdbc.update(
        "UPDATE repository SET team = ?, team_source = ?, team_as_of = ?, team_stale = ? WHERE id = ?",
        ownership.map(Ownership::team).orElse(null),
        ownership.map(o -> o.source().name()).orElse(null),
        ownership.map(Ownership::asOf).orElse(null),
        ownership.map(Ownership::stale).orElse(false),
        id);
  }

  /** The owner each of this forge's repositories had after the last scan, by full name. */
  public Map<String, Ownership> owners() {
    Map<String, Ownership> owners = new HashMap<>();
    jdbc.query(
        "SELECT owner, name, team, team_source, team_as_of, team_stale FROM repository WHERE forge = ? AND team IS NOT NULL",
        rs -> owners.put(rs.getString("owner") + "/" + rs.getString("name"),
            new Ownership(rs.getString("team"), Ownership.Source.valueOf(rs.getString("team_source")),
                Jdbc.instant(rs, "team_as_of"), rs.getBoolean("team_stale"))),
        forge);
    return owners;
  }

  /** Marks repositories the forge no longer lists, so no new work starts on them. */
  public int markAbsentExcept(Collection<Long> presentIds, Instant now) {
    return jdbc.update(
        "UPDATE repository SET present = FALSE, updated_at = ? WHERE forge = ? AND present AND NOT (id = ANY(?))",
        now,
        forge,
        presentIds.toArray(Long[]::new));
  }

  /** Marks one repository absent (the forge said it is gone); false when it was not present. */
  public boolean markAbsent(String owner, String name, Instant now) {
    return jdbc.update(
            "UPDATE repository SET present = FALSE, updated_at = ? WHERE forge = ? AND owner = ? AND name = ? AND present",
            now, forge, owner, name)
        == 1;
  }

  public List<Repository> present() {
    return jdbc.query("SELECT " + COLUMNS + " FROM repository WHERE forge = ? AND present ORDER BY owner, name", RepositoryStore::map, forge);
  }

  public Optional<Repository> byId(long id) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM repository WHERE id = ?", RepositoryStore::map, id);
  }

  public Optional<Repository> byName(String owner, String name) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM repository WHERE forge = ? AND owner = ? AND name = ?", RepositoryStore::map, forge, owner, name);
  }

  /** Present repositories in {@code status} on every forge the store knows. */
  public static long countByStatusOnEveryForge(Jdbc jdbc, OptInStatus status) {
    return jdbc.count("SELECT count(*) FROM repository WHERE present AND opt_in_status = ?", status);
  }

  public long countByStatus(OptInStatus status) {
    return jdbc.count("SELECT count(*) FROM repository WHERE forge = ? AND present AND opt_in_status = ?", forge, status);
  }

  static Repository map(ResultSet rs) throws SQLException {
    RepositoryRef ref =
        new RepositoryRef(
            rs.getString("owner"),
            rs.getString("name"),
            rs.getString("default_branch"),
            rs.getString("clone_url"),
            rs.getString("web_url"));
    return new Repository(
        rs.getLong("id"),
        ref,
        OptInStatus.valueOf(rs.getString("opt_in_status")),
        StoreJson.read(rs.getString("opt_in"), OptIn.class),
        rs.getString("opt_in_text"),
        rs.getString("opt_in_error"));
  }
}
