package dev.flotilla.controller.view;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.view.DashboardWiring.RunningDashboard;
import dev.flotilla.dashboard.DashboardConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Fills an embedded PostgreSQL with 10,000 repositories under 5 campaigns, starts the real dashboard on
 * it and times the overview and the campaign table over HTTP. {@code bench/dashboard} runs it; the last
 * line printed is the figures.
 */
public final class DashboardBench {

  static final int REPOSITORIES = 10_000;
  static final String[] CAMPAIGNS = {"jackson-2-18", "java-21", "checkout-v4", "log4j-2-24", "base-image"};
  static final int WARMUP = 30;
  static final double OVERVIEW_TARGET_MS = 100;
  static final double TABLE_TARGET_MS = 200;

  private DashboardBench() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dataDir = Files.createTempDirectory("flotilla-bench-");
    Figures figures;
    try (Database db = Database.open(null, null, null, dataDir, 8)) {
      Jdbc jdbc = new Jdbc(db.dataSource());
      long fillMs = fill(jdbc);
      System.out.printf(Locale.ROOT, "filled %,d repositories x %d campaigns (%,d changesets, %,d history rows) in %.1f s%n",
          REPOSITORIES, CAMPAIGNS.length, jdbc.count("SELECT count(*) FROM changeset"),
          jdbc.count("SELECT count(*) FROM changeset_event"), fillMs / 1000.0);
      EngineMetrics metrics = DashboardWiring.metrics(jdbc);
      Controller controller = new SeededFleet(jdbc).controller(List.of(), metrics);
      try (RunningDashboard dashboard = DashboardWiring.start(controller, metrics,
          DashboardConfig.fromEnv(Map.of(DashboardConfig.PORT, "0")))) {
        figures = measure(dashboard.url(), requests);
      }
    } finally {
      delete(dataDir);
    }
    // Last, after the server and the database have stopped and logged so, as bench/all reads the last line.
    System.out.println(figures.line());
    if (!figures.met()) {
      System.exit(1);
    }
  }

  private record Figures(String line, boolean met) {}

  /** Set-based inserts: the whole fleet in a handful of statements, well under a minute. */
  static long fill(Jdbc jdbc) {
    long start = System.nanoTime();
    Instant now = Instant.now();
    jdbc.update(
        """
        INSERT INTO repository (forge, owner, name, default_branch, clone_url, web_url, opt_in_status, opt_in_text,
                                opt_in_error, present, discovered_at, updated_at)
        SELECT 'test', 'team-' || (i % 40), 'service-' || lpad(i::text, 5, '0'), 'main',
               'https://forge.example/team-' || (i % 40) || '/service-' || lpad(i::text, 5, '0') || '.git',
               'https://forge.example/team-' || (i % 40) || '/service-' || lpad(i::text, 5, '0'),
               CASE WHEN i % 250 = 0 THEN 'INVALID_CONFIG' ELSE 'OPTED_IN' END, 'enabled: true',
               CASE WHEN i % 250 = 0 THEN 'line 2: unknown key ''automerg''' END, TRUE, ?, ?
        FROM generate_series(1, ?) AS i
        """,
        now, now, REPOSITORIES);
    CampaignStore campaigns = new CampaignStore(jdbc);
    for (int i = 0; i < CAMPAIGNS.length; i++) {
      campaigns.apply(new CampaignSpec(CAMPAIGNS[i], "maven-dependency-version", Map.of(), null, true, false, null, null, null),
          "bench", now.minusSeconds(86_400L * (30 - i)));
    }
    // A spread of states like a campaign a few weeks in; each row's history is its plan and its last move.
    jdbc.update(
        """
        INSERT INTO changeset (campaign, repository_id, state, state_reason, state_since, attempts, pr_number, pr_url,
                               ci_state, last_error, created_at, updated_at)
        SELECT k.name, r.id, s.state, 'bench', s.since, 1,
               CASE WHEN s.has_pr THEN r.id::int END,
               CASE WHEN s.has_pr THEN r.web_url || '/pull/' || r.id END,
               CASE WHEN s.state = 'CI_FAILED' THEN 'FAILURE' WHEN s.state = 'MERGED' THEN 'SUCCESS'
                    WHEN s.has_pr THEN 'PENDING' END,
               CASE WHEN s.state = 'FAILED' THEN 'CLONE: connection reset by peer'
                    WHEN s.state = 'CI_FAILED' THEN 'CI failed: build, test' END,
               k.created_at, s.since
        FROM campaign k CROSS JOIN repository r
        CROSS JOIN LATERAL (SELECT abs(hashtext(k.name || r.id)) % 100 AS bucket) h
        CROSS JOIN LATERAL (
          SELECT st AS state, st IN ('PR_OPEN', 'CI_PENDING', 'CI_FAILED', 'MERGEABLE', 'MERGED', 'CONFLICT') AS has_pr,
                 k.created_at + (h.bucket * 997 + r.id) % 2000000 * interval '1 second' AS since
          FROM (SELECT CASE
                  WHEN r.opt_in_status = 'INVALID_CONFIG' THEN 'SKIPPED'
                  WHEN h.bucket < 40 THEN 'MERGED' WHEN h.bucket < 50 THEN 'PR_OPEN' WHEN h.bucket < 55 THEN 'CI_PENDING'
                  WHEN h.bucket < 60 THEN 'CI_FAILED' WHEN h.bucket < 65 THEN 'FAILED' WHEN h.bucket < 80 THEN 'PENDING'
                  WHEN h.bucket < 82 THEN 'RUNNING' WHEN h.bucket < 92 THEN 'NO_CHANGE' WHEN h.bucket < 94 THEN 'CONFLICT'
                  ELSE 'MERGEABLE' END AS st) x) s
        """);
    jdbc.update(
        """
        INSERT INTO changeset_event (changeset_id, campaign, at, from_state, to_state, actor, detail)
        SELECT id, campaign, created_at, NULL, 'PENDING', 'planner', 'planned' FROM changeset WHERE state <> 'SKIPPED'
        UNION ALL
        SELECT id, campaign, created_at, NULL, 'SKIPPED', 'planner', 'invalid .flotilla.yaml' FROM changeset WHERE state = 'SKIPPED'
        UNION ALL
        SELECT id, campaign, state_since - interval '1 hour', 'PENDING', 'PR_OPEN', 'forge', 'pull request opened'
        FROM changeset WHERE pr_url IS NOT NULL
        UNION ALL
        SELECT id, campaign, state_since, CASE WHEN pr_url IS NULL THEN 'PENDING' ELSE 'PR_OPEN' END, state, 'bench', 'moved'
        FROM changeset WHERE state NOT IN ('PENDING', 'SKIPPED', 'PR_OPEN')
        """);
    // The steady state autovacuum keeps: statistics current and the visibility map set for index-only scans.
    jdbc.update("VACUUM ANALYZE");
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static Figures measure(URI base, int requests) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String campaign = CAMPAIGNS[0];
    IntFunction<String> overview = i -> "api/campaigns";
    // People page through the first screens of a table; a deep offset is a filter they have not typed yet.
    IntFunction<String> table = i -> "api/campaigns/" + campaign + "/changesets?limit=50&offset=" + (i % 20) * 50;
    IntFunction<String> deep = i -> "api/campaigns/" + campaign + "/changesets?limit=50&offset=" + (i * 50 % REPOSITORIES);
    IntFunction<String> filtered = i -> "api/campaigns/" + campaign + "/changesets?limit=50&state=FAILED&state=CI_FAILED"
        + "&q=service-0&sort=-stateSince&offset=" + (i % 4) * 50;
    // The same server answering without touching the store: what the machine itself costs per request.
    double[] h = time(http, base, i -> "healthz", requests);
    double[] o = time(http, base, overview, requests);
    double[] t = time(http, base, table, requests);
    double[] f = time(http, base, filtered, requests);
    double[] d = time(http, base, deep, requests / 4);
    System.out.println();
    System.out.printf(Locale.ROOT, "%-44s %9s %9s %9s%n", "request (" + requests + " each)", "p50 ms", "p95 ms", "target");
    System.out.printf(Locale.ROOT, "%-44s %9.1f %9.1f %9s%n", "GET /healthz (no store: the floor)", h[0], h[1], "");
    row("GET /api/campaigns (overview)", o, OVERVIEW_TARGET_MS);
    row("GET .../changesets page of 50", t, TABLE_TARGET_MS);
    row("GET .../changesets page of 50, filtered", f, TABLE_TARGET_MS);
    row("GET .../changesets page of 50, any offset", d, TABLE_TARGET_MS);
    System.out.printf(Locale.ROOT, "(load average %.1f on %d cores while measuring)%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    boolean met = o[1] < OVERVIEW_TARGET_MS && t[1] < TABLE_TARGET_MS && f[1] < TABLE_TARGET_MS;
    System.out.println(met ? "all p95 within target" : "TARGET MISSED");
    return new Figures(String.format(Locale.ROOT,
        "dashboard: overview_p50_ms=%.1f overview_p95_ms=%.1f table_p50_ms=%.1f table_p95_ms=%.1f"
            + " filtered_p50_ms=%.1f filtered_p95_ms=%.1f deep_p50_ms=%.1f deep_p95_ms=%.1f floor_p50_ms=%.1f",
        o[0], o[1], t[0], t[1], f[0], f[1], d[0], d[1], h[0]), met);
  }

  private static void row(String name, double[] p, double target) {
    System.out.printf(Locale.ROOT, "%-44s %9.1f %9.1f %9s%n", name, p[0], p[1], "< " + (int) target);
  }

  /** Median and 95th percentile in milliseconds, after a warm-up the figures leave out. */
  private static double[] time(HttpClient http, URI base, IntFunction<String> path, int requests)
      throws IOException, InterruptedException {
    for (int i = 0; i < WARMUP; i++) {
      get(http, base.resolve(path.apply(i)));
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      long t0 = System.nanoTime();
      get(http, base.resolve(path.apply(i)));
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    ms.sort(Comparator.naturalOrder());
    return new double[] {ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.95) - 1)};
  }

  private static void get(HttpClient http, URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
