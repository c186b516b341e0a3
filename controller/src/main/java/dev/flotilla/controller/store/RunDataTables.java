package dev.flotilla.controller.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The tables of findings runs attached (OpenRewrite's data tables), as CSV, by run id and name. */
public final class RunDataTables {

  /** One stored table, without its rows. */
  public record Info(String runId, String name, String campaign, String repository, int bytes, Instant createdAt) {}

  private final Jdbc jdbc;

  public RunDataTables(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public static RunDataTables beside(CampaignStore campaigns) {
    return new RunDataTables(campaigns.jdbc());
  }

  /** Keeps a run's table; a second delivery of the same run replaces it. */
  public void keep(String runId, String name, String campaign, String repository, String csv, Instant now) {
    jdbc.update(
        "INSERT INTO run_data_table (run_id, name, campaign, repository, csv, created_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (run_id, name) DO UPDATE SET csv = EXCLUDED.csv, created_at = EXCLUDED.created_at",
        runId, name, campaign, repository, csv, now);
  }

  /** The tables of one run, by name. */
  public List<Info> ofRun(String runId) {
    return jdbc.query(
        "SELECT run_id, name, campaign, repository, octet_length(csv) AS bytes, created_at FROM run_data_table"
            + " WHERE run_id = ? ORDER BY name",
        rs -> new Info(rs.getString("run_id"), rs.getString("name"), rs.getString("campaign"), rs.getString("repository"),
            rs.getInt("bytes"), Jdbc.instant(rs, "created_at")),
        runId);
  }

  /** The tables of every run of one campaign, newest first. */
  public List<Info> ofCampaign(String campaign) {
    return jdbc.query(
        "SELECT run_id, name, campaign, repository, octet_length(csv) AS bytes, created_at FROM run_data_table"
            + " WHERE campaign = ? ORDER BY created_at DESC, repository, name",
        rs -> new Info(rs.getString("run_id"), rs.getString("name"), rs.getString("campaign"), rs.getString("repository"),
            rs.getInt("bytes"), Jdbc.instant(rs, "created_at")),
        campaign);
  }

  public Optional<String> csv(String runId, String name) {
    return jdbc.queryOne("SELECT csv FROM run_data_table WHERE run_id = ? AND name = ?", rs -> rs.getString(1), runId, name);
  }
}
