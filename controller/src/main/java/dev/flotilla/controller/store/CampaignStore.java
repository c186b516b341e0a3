package dev.flotilla.controller.store;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Campaigns and their run status. */
public final class CampaignStore {

  private static final String COLUMNS = "name, spec, status, status_reason, current_wave, created_at";

  private final Jdbc jdbc;

  public CampaignStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  Jdbc jdbc() {
    return jdbc;
  }

  /**
   * Creates a campaign, or replaces the spec of an existing one (keeping its status and history).
   * Returns true when the campaign is new.
   */
  public boolean apply(CampaignSpec spec, String source, Instant now) {
    return jdbc.returning(
            """
            INSERT INTO campaign (name, migration, spec, source, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?)
            ON CONFLICT (name) DO UPDATE SET migration = EXCLUDED.migration, spec = EXCLUDED.spec,
                source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
            RETURNING (xmax = 0)
            """,
            rs -> rs.getBoolean(1),
            spec.name(),
            spec.migration(),
            StoreJson.write(spec),
            source,
            now,
            now)
        .orElseThrow();
  }

  public List<Campaign> all() {
    return jdbc.query("SELECT " + COLUMNS + " FROM campaign ORDER BY created_at, name", CampaignStore::map);
  }

  public List<Campaign> active() {
    return jdbc.query("SELECT " + COLUMNS + " FROM campaign WHERE status = 'ACTIVE' ORDER BY created_at, name", CampaignStore::map);
  }

  public Optional<Campaign> byName(String name) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM campaign WHERE name = ?", CampaignStore::map, name);
  }

  /** Where a campaign was last applied from, as given to {@link #apply}. */
  public Optional<String> source(String name) {
    return jdbc.queryOne("SELECT source FROM campaign WHERE name = ?", rs -> rs.getString(1), name);
  }

  /** Moves a campaign to {@code to} if it is in one of {@code from}; returns whether it moved. */
  public boolean setStatus(String name, CampaignStatus to, String reason, Instant now, CampaignStatus... from) {
    String[] allowed = java.util.Arrays.stream(from).map(Enum::name).toArray(String[]::new);
    return jdbc.update(
            "UPDATE campaign SET status = ?, status_reason = ?, updated_at = ? WHERE name = ? AND status = ANY(?)",
            to,
            reason,
            now,
            name,
            allowed)
        == 1;
  }

  public void setCurrentWave(String name, int wave, Instant now) {
    jdbc.update("UPDATE campaign SET current_wave = ?, updated_at = ? WHERE name = ?", wave, now, name);
  }

  /** Records an action a person took that is not about one changeset. */
  public void audit(String actor, String action, String target, String detail, Instant now) {
    jdbc.update(
        "INSERT INTO audit_event (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)", now, actor, action, target, detail);
  }

  static Campaign map(ResultSet rs) throws SQLException {
    return new Campaign(
        StoreJson.read(rs.getString("spec"), CampaignSpec.class),
        CampaignStatus.valueOf(rs.getString("status")),
        rs.getString("status_reason"),
        rs.getInt("current_wave"),
        Jdbc.instant(rs, "created_at"));
  }

  /** Records that {@code wave} halted the campaign, with its numbers. */
  public void waveHalted(String campaign, int wave, long failed, long counted, Instant now) {
    jdbc.update(
        "INSERT INTO rollout_wave (campaign, wave, failed, counted, halted_at) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (campaign, wave) DO UPDATE SET failed = EXCLUDED.failed, counted = EXCLUDED.counted,"
            + " halted_at = EXCLUDED.halted_at",
        campaign, wave, failed, counted, now);
  }

  /** Records that a person's resume let {@code wave} through as it was. */
  public void waveAccepted(String campaign, int wave, Instant now) {
    jdbc.update("UPDATE rollout_wave SET accepted_at = ? WHERE campaign = ? AND wave = ?", now, campaign, wave);
  }

  public boolean waveHaltedBefore(String campaign, int wave) {
    return jdbc.count(
            "SELECT count(*) FROM rollout_wave WHERE campaign = ? AND wave = ? AND halted_at IS NOT NULL", campaign, wave)
        > 0;
  }
}
