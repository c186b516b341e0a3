package dev.flotilla.controller.store;

import dev.flotilla.controller.model.Ownership;
import dev.flotilla.dashboard.port.ChangesetState;
import dev.flotilla.dashboard.port.TeamDetail;
import dev.flotilla.dashboard.port.TeamDetail.WaitingOn;
import dev.flotilla.dashboard.port.TeamSummary;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's team pages from the store: who each team's changesets wait on, how quickly the team
 * merges, and its burndown. Which state waits on whom is decided once, here, for the pages, the API and
 * the nudges alike.
 */
final class TeamViews {

  /** A burndown longer than this many days shows its last days; a team page is about now. */
  static final int MAX_DAYS = 180;
  private static final Pattern PR_NUMBER = Pattern.compile("/(?:pull|pulls)/(\\d+)(?:$|[/?#])");

  private final Jdbc jdbc;
  private final Clock clock;

  TeamViews(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Who has the next move on a changeset in {@code state}; automerge is the repository's opt-in. */
  static WaitingOn waitingOn(ChangesetState state, boolean automerge) {
    return switch (state) {
      case PR_OPEN, CI_FAILED, MODIFIED, NEEDS_HUMAN, INVALID_CONFIG, POST_MERGE_FAILED -> WaitingOn.team;
      case MERGEABLE -> automerge ? WaitingOn.flotilla : WaitingOn.team;
      case PENDING, RUNNING, PUSHED, CI_PENDING, CONFLICT, FAILED, HALTED -> WaitingOn.flotilla;
      case MERGED, NO_CHANGE, NOT_APPLICABLE, SKIPPED, CLOSED, REVERTED -> WaitingOn.nobody;
    };
  }

  /** What the team should do, or what happens next when it is not the team's move. */
  static String action(ChangesetState state, boolean automerge) {
    return switch (state) {
      case PR_OPEN -> "Review the pull request; Flotilla merges it once approved and green"
          + (automerge ? "." : ", or merge it yourself (automerge is off in .flotilla.yaml).");
      case CI_FAILED -> "Open the failing checks on the pull request and fix them; Flotilla merges once they pass.";
      case MODIFIED -> "Someone pushed to the pull request's branch: review the extra commits and merge it by hand.";
      case NEEDS_HUMAN -> "Do what the reason asks in the repository, then ask the platform team to retry.";
      case INVALID_CONFIG -> "Fix .flotilla.yaml as the error says; the next scan picks it up.";
      case MERGEABLE -> automerge
          ? "Nothing: it is green and Flotilla merges it in the repository's merge window."
          : "Merge the pull request: it is green, and automerge is off in .flotilla.yaml.";
      case PENDING, RUNNING, PUSHED -> "Nothing yet: Flotilla is preparing the pull request.";
      case CI_PENDING -> "Nothing yet: CI is running on the pull request.";
      case CONFLICT -> "Nothing: Flotilla re-runs the migration on the new default branch.";
      case FAILED -> "Nothing yet: the run failed and the platform team looks into it.";
      case HALTED -> "Nothing: the campaign is halted until the platform team resumes it.";
      case MERGED -> "Done: merged.";
      case NO_CHANGE, NOT_APPLICABLE -> "Done: nothing to change here.";
      case SKIPPED -> "Nothing: the repository is not part of this campaign.";
      case CLOSED -> "Done: the pull request was closed without merging.";
      case POST_MERGE_FAILED -> "The default branch's checks failed on the merge: fix it forward, or ask the"
          + " platform team to revert the change.";
      case REVERTED -> "Done: the change was reverted after the default branch broke.";
    };
  }

  List<TeamSummary> teams() {
    Map<String, long[]> counts = new TreeMap<>();
    jdbc.query(
        "SELECT team, count(*) FROM repository WHERE present AND team IS NOT NULL GROUP BY team",
        rs -> counts.computeIfAbsent(rs.getString(1), t -> new long[5])[0] = rs.getLong(2));
    jdbc.query(
        "SELECT r.team, " + States.SHOWN + " AS shown_state, coalesce((r.opt_in->>'automerge')::boolean, FALSE) AS automerge,"
            + " count(*) AS n"
            + " FROM changeset c JOIN repository r ON r.id = c.repository_id"
            + " JOIN campaign k ON k.name = c.campaign AND k.status <> 'CANCELLED'"
            + " WHERE r.present AND r.team IS NOT NULL GROUP BY 1, 2, 3",
        rs -> {
          long[] n = counts.computeIfAbsent(rs.getString("team"), t -> new long[5]);
          ChangesetState state = States.shown(rs.getString("shown_state"));
          long count = rs.getLong("n");
          if (!state.terminal()) {
            n[1] += count;
          }
          if (waitingOn(state, rs.getBoolean("automerge")) == WaitingOn.team) {
            n[2] += count;
          }
          if (state == ChangesetState.MERGED) {
            n[3] += count;
          }
          if (state == ChangesetState.FAILED || state == ChangesetState.CI_FAILED) {
            n[4] += count;
          }
          return null;
        });
    Map<String, Double> medians = medianHoursToMerge(null);
    List<TeamSummary> teams = new ArrayList<>();
    counts.forEach((team, n) -> teams.add(new TeamSummary(team, n[0], n[1], n[2], n[3], n[4], medians.get(team))));
    teams.sort(Comparator.comparing(TeamSummary::medianHoursToMerge, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparingLong(TeamSummary::open)
        .thenComparing(TeamSummary::team));
    return teams;
  }

  Optional<TeamDetail> team(String name) {
    String team = name.toLowerCase(Locale.ROOT);
    List<TeamDetail.Repository> repositories = jdbc.query(
        "SELECT owner, name, team_source, team_as_of, team_stale FROM repository WHERE present AND team = ? ORDER BY owner, name",
        rs -> new TeamDetail.Repository(rs.getString("owner") + "/" + rs.getString("name"),
            Ownership.Source.valueOf(rs.getString("team_source")).label(), Jdbc.instant(rs, "team_as_of"),
            rs.getBoolean("team_stale")),
        team);
    if (repositories.isEmpty()) {
      return Optional.empty();
    }
    List<TeamDetail.Changeset> changesets = new ArrayList<>(jdbc.query(
        "SELECT c.id, c.campaign, r.owner, r.name, c.pr_url, c.pr_number, c.last_error, c.state_reason, c.state_since,"
            + " r.opt_in_error, coalesce((r.opt_in->>'automerge')::boolean, FALSE) AS automerge, "
            + States.SHOWN + " AS shown_state"
            + " FROM changeset c JOIN repository r ON r.id = c.repository_id"
            + " JOIN campaign k ON k.name = c.campaign AND k.status <> 'CANCELLED'"
            + " WHERE r.present AND r.team = ? ORDER BY c.state_since",
        TeamViews::changeset, team));
    changesets.sort(Comparator.comparing(TeamDetail.Changeset::waitingOn));
    TeamSummary summary = teams().stream().filter(t -> t.team().equals(team)).findFirst().orElseThrow();
    return Optional.of(new TeamDetail(team, summary, repositories, changesets, burndown(team)));
  }

  private static TeamDetail.Changeset changeset(ResultSet rs) throws SQLException {
    ChangesetState state = States.shown(rs.getString("shown_state"));
    boolean automerge = rs.getBoolean("automerge");
    String prUrl = rs.getString("pr_url");
    Integer number = Jdbc.nullableInt(rs, "pr_number");
    if (number == null && prUrl != null) {
      Matcher m = PR_NUMBER.matcher(prUrl);
      number = m.find() ? Integer.valueOf(m.group(1)) : null;
    }
    String reason = switch (state) {
      case INVALID_CONFIG -> rs.getString("opt_in_error");
      case FAILED, CI_FAILED, CONFLICT, HALTED, MODIFIED, CLOSED, NEEDS_HUMAN ->
          rs.getString("last_error") != null ? rs.getString("last_error") : rs.getString("state_reason");
      default -> null;
    };
    return new TeamDetail.Changeset(rs.getLong("id"), rs.getString("campaign"), rs.getString("owner") + "/" + rs.getString("name"),
        state, prUrl, number, waitingOn(state, automerge), action(state, automerge), reason, Jdbc.instant(rs, "state_since"));
  }

  /** Median hours from a pull request's first opening to its merge, per team (or for the one team named). */
  private Map<String, Double> medianHoursToMerge(String only) {
    Map<String, Double> medians = new HashMap<>();
    jdbc.query(
        """
        SELECT r.team, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (m.at - o.at)) / 3600.0) AS hours
        FROM changeset c
        JOIN repository r ON r.id = c.repository_id
        JOIN LATERAL (SELECT min(e.at) AS at FROM changeset_event e WHERE e.changeset_id = c.id AND e.to_state = 'PR_OPEN') o ON TRUE
        JOIN LATERAL (SELECT max(e.at) AS at FROM changeset_event e WHERE e.changeset_id = c.id AND e.to_state = 'MERGED') m ON TRUE
        WHERE c.state = 'MERGED' AND r.present AND r.team IS NOT NULL AND (?::text IS NULL OR r.team = ?)
          AND o.at IS NOT NULL AND m.at IS NOT NULL
        GROUP BY r.team
        """,
        rs -> medians.put(rs.getString("team"), Math.round(rs.getDouble("hours") * 10) / 10.0),
        only, only);
    return medians;
  }

  /** Open and merged at the end of each UTC day, from the team's changeset history. */
  private List<TeamDetail.Day> burndown(String team) {
    TreeMap<LocalDate, long[]> deltas = new TreeMap<>();
    jdbc.query(
        "SELECT (e.at AT TIME ZONE 'UTC')::date AS day,"
            + " sum((CASE WHEN e.to_state = ANY(?) THEN 1 ELSE 0 END) - (CASE WHEN e.from_state = ANY(?) THEN 1 ELSE 0 END)) AS open,"
            + " sum((CASE WHEN e.to_state = 'MERGED' THEN 1 ELSE 0 END) - (CASE WHEN e.from_state = 'MERGED' THEN 1 ELSE 0 END)) AS merged"
            + " FROM changeset_event e JOIN changeset c ON c.id = e.changeset_id JOIN repository r ON r.id = c.repository_id"
            + " WHERE r.team = ? AND r.present GROUP BY 1 ORDER BY 1",
        rs -> deltas.put(rs.getDate("day").toLocalDate(), new long[] {rs.getLong("open"), rs.getLong("merged")}),
        States.OPEN, States.OPEN, team);
    List<TeamDetail.Day> days = new ArrayList<>();
    if (deltas.isEmpty()) {
      return days;
    }
    long open = 0;
    long merged = 0;
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate last = deltas.lastKey().isAfter(today) ? deltas.lastKey() : today;
    for (LocalDate day = deltas.firstKey(); !day.isAfter(last); day = day.plusDays(1)) {
      long[] d = deltas.get(day);
      if (d != null) {
        open += d[0];
        merged += d[1];
      }
      days.add(new TeamDetail.Day(day.toString(), open, merged));
    }
    return days.size() > MAX_DAYS ? List.copyOf(days.subList(days.size() - MAX_DAYS, days.size())) : days;
  }
}
