package dev.flotilla.controller.store;

import dev.flotilla.dashboard.port.AttentionItem;
import dev.flotilla.dashboard.port.BurndownPoint;
import dev.flotilla.dashboard.port.CampaignStatus;
import dev.flotilla.dashboard.port.CampaignSummary;
import dev.flotilla.dashboard.port.ChangesetQuery;
import dev.flotilla.dashboard.port.ChangesetRow;
import dev.flotilla.dashboard.port.ChangesetState;
import dev.flotilla.dashboard.port.FleetView;
import dev.flotilla.dashboard.port.NotFoundException;
import dev.flotilla.dashboard.port.Page;
import dev.flotilla.dashboard.port.RepositoryDetail;
import dev.flotilla.dashboard.port.TeamDetail;
import dev.flotilla.dashboard.port.TeamSummary;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dashboard's reads, straight from the store: every figure is one SQL query with its filtering,
 * sorting, grouping and paging done by PostgreSQL, so a page costs the same at ten repositories and at
 * ten thousand.
 */
public final class StoreFleetView implements FleetView {

  /** Enough for a chart as wide as a screen; history is bucketed to stay under it. */
  public static final int MAX_BURNDOWN_POINTS = 200;
  /** The shortest burndown bucket: finer than a minute shows nothing a person can use. */
  public static final Duration MIN_BUCKET = Duration.ofMinutes(1);
  /** The attention list is read by people: past this many the oldest are shown, and that is enough to act on. */
  static final int MAX_ATTENTION_ITEMS = 1000;
  static final Duration RECENT_MERGES = Duration.ofDays(7);

  private static final String ROW_COLUMNS =
      "c.id, c.campaign, r.owner, r.name, c.pr_url, c.ci_state, c.last_error, c.state_reason, c.state_since, "
          + States.SHOWN + " AS shown_state";

  private final Jdbc jdbc;
  private final Clock clock;
  private final TeamViews teams;

  public StoreFleetView(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.teams = new TeamViews(jdbc, clock);
  }

  @Override
  public List<TeamSummary> teams() {
    return teams.teams();
  }

  @Override
  public Optional<TeamDetail> team(String team) {
    return teams.team(team);
  }

  @Override
  public List<CampaignSummary> campaigns() {
    return summaries(null);
  }

  @Override
  public Optional<CampaignSummary> campaign(String name) {
    return summaries(name).stream().findFirst();
  }

  @Override
  public Page<ChangesetRow> changesets(ChangesetQuery query) {
    requireCampaign(query.campaign());
    List<Object> params = new ArrayList<>();
    String where = changesetFilter(query, params);
    params.add(query.limit());
    params.add(query.offset());
    // The sort runs on narrow rows; only the page's rows are read in full. For the first pages the
    // planner walks the repository name index and stops after offset + limit rows.
    List<ChangesetRow> rows = jdbc.query(
        "SELECT c.id, c.campaign, p.owner, p.name, c.pr_url, c.ci_state, c.last_error, c.state_reason, c.state_since,"
            + " p.shown_state FROM (SELECT * FROM (SELECT c.id, r.owner, r.name, c.state_since, " + States.SHOWN
            + " AS shown_state FROM changeset c JOIN repository r ON r.id = c.repository_id WHERE " + where + ") x"
            + " ORDER BY " + orderBy(query) + " LIMIT ? OFFSET ?) p"
            + " JOIN changeset c ON c.id = p.id ORDER BY " + orderBy(query),
        StoreFleetView::row,
        params.toArray());
    return new Page<>(rows, query.offset(), query.limit(), countChangesets(query));
  }

  @Override
  public List<BurndownPoint> burndown(String campaign) {
    requireCampaign(campaign);
    Instant now = clock.instant();
    List<Instant> first = jdbc.query(
        "SELECT at FROM changeset_event WHERE campaign = ? ORDER BY at LIMIT 1", rs -> Jdbc.instant(rs, "at"), campaign);
    if (first.isEmpty()) {
      return List.of();
    }
    Instant start = first.get(0);
    Duration bucket = bucketFor(Duration.between(start, now));
    List<long[]> deltas = jdbc.query(
        """
        SELECT floor(extract(epoch FROM (at - ?)) / ?)::bigint AS bucket,
               sum((CASE WHEN to_state = ANY(?) THEN 1 ELSE 0 END) - (CASE WHEN from_state = ANY(?) THEN 1 ELSE 0 END)),
               sum((CASE WHEN to_state = 'MERGED' THEN 1 ELSE 0 END) - (CASE WHEN from_state = 'MERGED' THEN 1 ELSE 0 END))
        FROM changeset_event WHERE campaign = ?
        GROUP BY 1 ORDER BY 1
        """,
        rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)},
        start, (double) bucket.toSeconds(), States.OPEN, States.OPEN, campaign);
    return accumulate(start, bucket, now, deltas);
  }

  @Override
  public Optional<RepositoryDetail> repository(String repository) {
    int slash = repository.indexOf('/');
    if (slash <= 0 || slash == repository.length() - 1) {
      return Optional.empty();
    }
    String owner = repository.substring(0, slash);
    String name = repository.substring(slash + 1);
    return jdbc.queryOne(
            """
            SELECT id, owner, name, web_url, opt_in_text, opt_in_error, updated_at, team, team_source, team_as_of, team_stale
            FROM repository WHERE owner = ? AND name = ? ORDER BY present DESC, updated_at DESC LIMIT 1
            """,
            rs -> new Object[] {rs.getLong("id"), rs.getString("owner"), rs.getString("name"), rs.getString("web_url"),
                rs.getString("opt_in_text"), rs.getString("opt_in_error"), Jdbc.instant(rs, "updated_at"),
                rs.getString("team"), rs.getString("team_source"), Jdbc.instant(rs, "team_as_of"), rs.getBoolean("team_stale")},
            owner, name)
        .map(r -> new RepositoryDetail(r[1] + "/" + r[2], r[7] != null ? (String) r[7] : (String) r[1], (String) r[3],
            (String) r[4], (String) r[5], (Instant) r[6], changesetsOf((Long) r[0]),
            r[8] == null ? null : dev.flotilla.controller.model.Ownership.Source.valueOf((String) r[8]).label(),
            (Instant) r[9], (Boolean) r[10]));
  }

  @Override
  public List<AttentionItem> attention(Duration staleAfter) {
    Instant now = clock.instant();
    List<AttentionItem> items = new ArrayList<>(stuckChangesets(now.minus(staleAfter), now));
    items.addAll(invalidRepositories());
    items.sort(java.util.Comparator.comparing(AttentionItem::since, java.util.Comparator.nullsLast(
        java.util.Comparator.naturalOrder())).thenComparing(AttentionItem::repository));
    return items.size() > MAX_ATTENTION_ITEMS ? List.copyOf(items.subList(0, MAX_ATTENTION_ITEMS)) : items;
  }

  // ---- campaigns -------------------------------------------------------------------------------

  /**
   * Every campaign (or the one named) with its counts by state, in one statement: the counts come from
   * the (campaign, state) index alone, the few skipped rows on broken repositories are counted apart,
   * and the first planned changeset and the week's merges each read a small index range.
   */
  private List<CampaignSummary> summaries(String only) {
    String changesetFilter = only == null ? "" : " WHERE campaign = ?";
    String skippedFilter = only == null ? "" : " AND c.campaign = ?";
    String mergeFilter = only == null ? "" : " AND campaign = ?";
    String campaignFilter = only == null ? "" : " WHERE k.name = ?";
    List<Object> params = new ArrayList<>();
    if (only != null) {
      params.add(only);
      params.add(only);
    }
    params.add(clock.instant().minus(RECENT_MERGES));
    if (only != null) {
      params.add(only);
      params.add(only);
    }
    String sql = "WITH counts AS (SELECT campaign, state, count(*) AS n FROM changeset" + changesetFilter
        + " GROUP BY 1, 2),"
        + " invalid AS (SELECT c.campaign, count(*) AS n FROM changeset c JOIN repository r ON r.id = c.repository_id"
        + " WHERE " + States.SKIPPED_FOR_INVALID_OPT_IN + skippedFilter + " GROUP BY 1),"
        + " merges AS (SELECT campaign, count(DISTINCT changeset_id) AS n FROM changeset_event"
        + " WHERE to_state = 'MERGED' AND at >= ?" + mergeFilter + " GROUP BY campaign)"
        + " SELECT k.name, k.migration, k.status, k.status_reason, counts.state, counts.n,"
        + " coalesce(invalid.n, 0) AS invalid, coalesce(merges.n, 0) AS merged_recently,"
        + " (SELECT min(created_at) FROM changeset f WHERE f.campaign = k.name) AS first_planned"
        + " FROM campaign k LEFT JOIN counts ON counts.campaign = k.name"
        + " LEFT JOIN invalid ON invalid.campaign = k.name LEFT JOIN merges ON merges.campaign = k.name"
        + campaignFilter + " ORDER BY k.created_at DESC, k.name";
    Map<String, SummaryBuilder> byName = new LinkedHashMap<>();
    jdbc.query(sql, rs -> {
      SummaryBuilder b = byName.computeIfAbsent(rs.getString("name"), n -> new SummaryBuilder(n));
      b.add(rs);
      return b;
    }, params.toArray());
    return byName.values().stream().map(SummaryBuilder::build).toList();
  }

  /** Folds a campaign's rows, one per state, into its summary. */
  private static final class SummaryBuilder {
    private final String name;
    private final Map<ChangesetState, Long> counts = new EnumMap<>(ChangesetState.class);
    private String migration;
    private CampaignStatus status;
    private String reason;
    private Instant startedAt;
    private long mergedRecently;

    SummaryBuilder(String name) {
      this.name = name;
    }

    void add(ResultSet rs) throws SQLException {
      migration = rs.getString("migration");
      status = CampaignStatus.valueOf(rs.getString("status"));
      reason = rs.getString("status_reason");
      mergedRecently = rs.getLong("merged_recently");
      startedAt = Jdbc.instant(rs, "first_planned");
      String state = rs.getString("state");
      if (state == null) {
        return;
      }
      long n = rs.getLong("n");
      if (state.equals("SKIPPED")) {
        long invalid = rs.getLong("invalid");
        counts.merge(ChangesetState.INVALID_CONFIG, invalid, Long::sum);
        n -= invalid;
      }
      counts.merge(States.shown(state), n, Long::sum);
    }

    CampaignSummary build() {
      return new CampaignSummary(name, migration, status, reason, startedAt, counts, mergedRecently);
    }
  }

  private void requireCampaign(String campaign) {
    if (jdbc.count("SELECT count(*) FROM campaign WHERE name = ?", campaign) == 0) {
      throw new NotFoundException("Campaign '" + campaign + "' does not exist; GET /api/campaigns lists the campaigns");
    }
  }

  // ---- changeset table -------------------------------------------------------------------------

  private static String changesetFilter(ChangesetQuery query, List<Object> params) {
    StringBuilder where = new StringBuilder("c.campaign = ?");
    params.add(query.campaign());
    if (!query.states().isEmpty()) {
      where.append(" AND ").append(stateFilter(query.states(), params));
    }
    if (query.owner() != null) {
      where.append(" AND r.owner = ?");
      params.add(query.owner());
    }
    if (query.text() != null) {
      // strpos rather than LIKE: a % or _ someone types is searched for, not a wildcard.
      where.append(" AND (strpos(lower(r.owner || '/' || r.name), ?) > 0"
          + " OR strpos(lower(coalesce(c.last_error, '')), ?) > 0)");
      String needle = query.text().toLowerCase(Locale.ROOT);
      params.add(needle);
      params.add(needle);
    }
    return where.toString();
  }

  /**
   * The states as stored, so the (campaign, state) index serves them; SKIPPED and INVALID_CONFIG are
   * told apart by the repository's opt-in status, looked up only for skipped rows.
   */
  private static String stateFilter(Set<ChangesetState> states, List<Object> params) {
    List<String> terms = new ArrayList<>();
    String[] plain = states.stream()
        .filter(s -> s != ChangesetState.SKIPPED && s != ChangesetState.INVALID_CONFIG)
        .map(States::stored).toArray(String[]::new);
    if (plain.length > 0) {
      terms.add("c.state = ANY(?)");
      params.add(plain);
    }
    String invalid = "EXISTS (SELECT 1 FROM repository ri WHERE ri.id = c.repository_id"
        + " AND ri.opt_in_status = 'INVALID_CONFIG')";
    if (states.contains(ChangesetState.SKIPPED) && states.contains(ChangesetState.INVALID_CONFIG)) {
      terms.add("c.state = 'SKIPPED'");
    } else if (states.contains(ChangesetState.SKIPPED)) {
      terms.add("(c.state = 'SKIPPED' AND NOT " + invalid + ")");
    } else if (states.contains(ChangesetState.INVALID_CONFIG)) {
      terms.add("(c.state = 'SKIPPED' AND " + invalid + ")");
    }
    return terms.size() == 1 ? terms.get(0) : "(" + String.join(" OR ", terms) + ")";
  }

  private static String orderBy(ChangesetQuery query) {
    String direction = query.descending() ? " DESC" : " ASC";
    String first = switch (query.sort()) {
      case REPOSITORY -> "owner" + direction + ", name" + direction;
      case STATE -> States.ORDER + direction;
      case OWNER -> "owner" + direction;
      case STATE_SINCE -> "state_since" + direction;
    };
    return first + ", owner, name, id";
  }

  private long countChangesets(ChangesetQuery query) {
    List<Object> params = new ArrayList<>();
    String where = changesetFilter(query, params);
    // Only the owner and text filters read the repository; without them the count is index-only.
    boolean needsRepository = query.owner() != null || query.text() != null;
    return jdbc.count("SELECT count(*) FROM changeset c"
            + (needsRepository ? " JOIN repository r ON r.id = c.repository_id" : "") + " WHERE " + where,
        params.toArray());
  }

  private List<ChangesetRow> changesetsOf(long repositoryId) {
    return jdbc.query(
        "SELECT " + ROW_COLUMNS + " FROM changeset c JOIN repository r ON r.id = c.repository_id"
            + " WHERE c.repository_id = ? ORDER BY c.campaign",
        StoreFleetView::row,
        repositoryId);
  }

  static ChangesetRow row(ResultSet rs) throws SQLException {
    ChangesetState state = States.shown(rs.getString("shown_state"));
    String prUrl = rs.getString("pr_url");
    String ci = rs.getString("ci_state");
    return new ChangesetRow(
        rs.getLong("id"),
        rs.getString("campaign"),
        rs.getString("owner") + "/" + rs.getString("name"),
        rs.getString("owner"),
        state,
        prUrl,
        prUrl == null || ci == null ? null : ci.toLowerCase(Locale.ROOT),
        lastError(state, rs.getString("last_error"), rs.getString("state_reason")),
        Jdbc.instant(rs, "state_since"));
  }

  /** The run's error; for states whose cause is only in the transition's reason, that reason. */
  private static String lastError(ChangesetState state, String lastError, String stateReason) {
    if (lastError != null) {
      return lastError;
    }
    return switch (state) {
      case FAILED, CI_FAILED, CONFLICT, HALTED, INVALID_CONFIG, MODIFIED, CLOSED, NEEDS_HUMAN, POST_MERGE_FAILED -> stateReason;
      default -> null;
    };
  }

  // ---- burndown --------------------------------------------------------------------------------

  public static Duration bucketFor(Duration span) {
    long seconds = Math.max(1, span.toSeconds());
    long perPoint = (seconds + MAX_BURNDOWN_POINTS - 1) / MAX_BURNDOWN_POINTS;
    return Duration.ofSeconds(Math.max(MIN_BUCKET.toSeconds(), perPoint));
  }

  /** Turns per-bucket changes into running totals, each stamped at its bucket's end (never after now). */
  static List<BurndownPoint> accumulate(Instant start, Duration bucket, Instant now, List<long[]> deltas) {
    List<BurndownPoint> points = new ArrayList<>();
    points.add(new BurndownPoint(start, 0, 0));
    long open = 0;
    long merged = 0;
    for (long[] d : deltas) {
      open += d[1];
      merged += d[2];
      Instant end = start.plus(bucket.multipliedBy(d[0] + 1));
      points.add(new BurndownPoint(end.isAfter(now) ? now : end, open, merged));
    }
    if (points.get(points.size() - 1).at().isBefore(now)) {
      points.add(new BurndownPoint(now, open, merged));
    }
    return points;
  }

  // ---- needs attention -------------------------------------------------------------------------

  private List<AttentionItem> stuckChangesets(Instant openedBefore, Instant now) {
    return jdbc.query(
        """
        SELECT c.id, c.campaign, c.state, c.state_since, c.attempts, c.pr_url, c.last_error, c.state_reason,
               r.owner, r.name, opened.at AS opened_at
        FROM changeset c
        JOIN repository r ON r.id = c.repository_id
        JOIN campaign k ON k.name = c.campaign AND k.status <> 'CANCELLED'
        LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM changeset_event e
                           WHERE e.changeset_id = c.id AND e.to_state = 'PR_OPEN') opened ON TRUE
        WHERE c.state IN ('FAILED', 'CI_FAILED', 'CONFLICT', 'NEEDS_HUMAN', 'POST_MERGE_FAILED')
           OR (c.state IN ('PR_OPEN', 'CI_PENDING', 'MERGEABLE', 'MODIFIED')
               AND coalesce(opened.at, c.state_since) <= ?)
        ORDER BY c.state_since LIMIT ?
        """,
        rs -> attentionItem(rs, now),
        openedBefore, MAX_ATTENTION_ITEMS);
  }

  private static AttentionItem attentionItem(ResultSet rs, Instant now) throws SQLException {
    String repository = rs.getString("owner") + "/" + rs.getString("name");
    String state = rs.getString("state");
    String error = rs.getString("last_error") != null ? rs.getString("last_error") : rs.getString("state_reason");
    Instant since = Jdbc.instant(rs, "state_since");
    long id = rs.getLong("id");
    String campaign = rs.getString("campaign");
    String pr = rs.getString("pr_url");
    return switch (state) {
      case "FAILED" -> new AttentionItem(AttentionItem.Kind.RUN_FAILED, repository, campaign, id,
          orElse(error, "the run failed"),
          rs.getInt("attempts") > 1
              ? "fix the cause first (" + rs.getInt("attempts") + " runs failed), then retry"
              : "retry; if it fails again, fix the cause shown",
          since, pr);
      case "CI_FAILED" -> new AttentionItem(AttentionItem.Kind.CI_FAILED, repository, campaign, id,
          orElse(error, "CI failed on the pull request"),
          "open the pull request's failing checks, fix the repository or the migration, then retry", since, pr);
      case "NEEDS_HUMAN" -> new AttentionItem(AttentionItem.Kind.NEEDS_HUMAN, repository, campaign, id,
          orElse(error, "the migration left the repository alone"),
          "do what the reason asks in the repository (or accept it), then retry", since, pr);
      case "POST_MERGE_FAILED" -> new AttentionItem(AttentionItem.Kind.POST_MERGE_FAILED, repository, campaign, id,
          orElse(error, "the default branch's checks failed after the merge"),
          "revert it (flotilla campaign revert " + campaign + " --repo " + repository + "), or fix the default branch",
          since, pr);
      case "CONFLICT" -> new AttentionItem(AttentionItem.Kind.CONFLICT, repository, campaign, id,
          "the pull request conflicts with the default branch",
          "retry to re-run the migration on the new base", since, pr);
      default -> {
        Instant opened = orElse(Jdbc.instant(rs, "opened_at"), since);
        long days = Duration.between(opened, now).toDays();
        yield new AttentionItem(AttentionItem.Kind.STALE_PULL_REQUEST, repository, campaign, null,
            "pull request open for " + days + (days == 1 ? " day" : " days") + waitingOn(state),
            staleNextAction(state), opened, pr);
      }
    };
  }

  private static String waitingOn(String state) {
    return switch (state) {
      case "CI_PENDING" -> ", CI still running";
      case "MERGEABLE" -> ", green but not merged";
      case "MODIFIED" -> ", someone else pushed to its branch";
      default -> ", waiting for review";
    };
  }

  private static String staleNextAction(String state) {
    return switch (state) {
      case "CI_PENDING" -> "check why CI has not finished on the pull request";
      case "MERGEABLE" -> "merge it, or check automerge and the merge window in .flotilla.yaml";
      case "MODIFIED" -> "review the extra commits and merge the pull request by hand";
      default -> "ask the repository owners to review the pull request";
    };
  }

  private List<AttentionItem> invalidRepositories() {
    return jdbc.query(
        """
        SELECT owner, name, web_url, default_branch, opt_in_error, updated_at FROM repository
        WHERE opt_in_status = 'INVALID_CONFIG' AND present
        ORDER BY updated_at LIMIT ?
        """,
        rs -> new AttentionItem(AttentionItem.Kind.INVALID_CONFIG, rs.getString("owner") + "/" + rs.getString("name"),
            null, null,
            "invalid .flotilla.yaml: " + orElse(rs.getString("opt_in_error"), "the file could not be read"),
            "fix .flotilla.yaml in the repository; the next scan (or a rescan) picks it up",
            Jdbc.instant(rs, "updated_at"),
            optInFileUrl(rs.getString("web_url"), rs.getString("default_branch"))),
        MAX_ATTENTION_ITEMS);
  }

  /** The file on a web forge; local repositories have no page to link to. */
  private static String optInFileUrl(String webUrl, String branch) {
    if (webUrl == null || !webUrl.startsWith("http")) {
      return null;
    }
    return webUrl.replaceAll("/+$", "") + "/blob/" + branch + "/.flotilla.yaml";
  }

  private static <T> T orElse(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
