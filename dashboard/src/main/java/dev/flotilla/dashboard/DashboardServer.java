package dev.flotilla.dashboard;

import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.dashboard.Router.Access;
import dev.flotilla.dashboard.port.ActionRefusedException;
import dev.flotilla.dashboard.port.CampaignSummary;
import dev.flotilla.dashboard.port.ChangesetQuery;
import dev.flotilla.dashboard.port.FleetActions;
import dev.flotilla.dashboard.port.FleetEvent;
import dev.flotilla.dashboard.port.FleetEventSink;
import dev.flotilla.dashboard.port.FleetView;
import dev.flotilla.dashboard.port.NotFoundException;
import dev.flotilla.dashboard.port.PlanPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: web page, JSON API, live events and metrics over HTTP. The controller
 * creates one with its implementations of the port, starts it, and {@linkplain #publish publishes} an
 * event after each committed change.
 */
public final class DashboardServer implements FleetEventSink, AutoCloseable {

  private final java.util.Map<String, com.sun.net.httpserver.HttpHandler> mounted = new java.util.LinkedHashMap<>();

  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

  @FunctionalInterface
  interface Handler {
    void handle(Call call) throws IOException;
  }

  private final DashboardConfig config;
  private final FleetView view;
  private final FleetActions actions;
  private final FleetMetrics metrics;
  private final Clock clock;
  private final BearerAuth auth;
  private final EventHub events;
  private final StaticResources assets = new StaticResources();
  private final Router<Handler> router = new Router<>();
  private Server server;
  private volatile PlanPort planPort;

  public DashboardServer(DashboardConfig config, FleetView view, FleetActions actions, FleetMetrics metrics) {
    this(config, view, actions, metrics, Clock.systemUTC());
  }

  public DashboardServer(DashboardConfig config, FleetView view, FleetActions actions, FleetMetrics metrics,
      Clock clock) {
    this.config = config;
    this.view = view;
    this.actions = actions;
    this.metrics = metrics;
    this.clock = clock;
    this.auth = new BearerAuth(config.token());
    this.events = new EventHub(config.maxEventClients(), config.keepAlive());
    routes();
  }

  private void routes() {
    router
        .add("GET", "/", Access.OPEN, c -> assets.serve(c, "index.html"))
        .add("GET", "/static/{file}", Access.OPEN, c -> assets.serve(c, c.param("file")))
        .add("GET", "/healthz", Access.OPEN, c -> c.json(200, Map.of("status", "ok")))
        .add("GET", "/api/session", Access.OPEN, this::session)
        .add("GET", "/metrics", Access.READ,
            c -> c.send(200, "text/plain; version=0.0.4; charset=utf-8", Call.utf8(metrics.scrape())))
        .add("GET", "/api/campaigns", Access.READ, this::campaigns)
        .add("GET", "/api/campaigns/{name}", Access.READ, this::campaign)
        .add("GET", "/api/campaigns/{name}/changesets", Access.READ, this::changesets)
        .add("GET", "/api/campaigns/{name}/burndown", Access.READ, this::burndown)
        .add("GET", "/api/repos/{owner}/{name}", Access.READ, this::repository)
        .add("GET", "/api/attention", Access.READ, this::attention)
        .add("GET", "/api/teams", Access.READ, c -> c.json(200, Map.of("teams", view.teams())))
        .add("GET", "/api/teams/{team}", Access.READ, this::team)
        .add("GET", "/api/events", Access.READ, c -> events.stream(c.exchange()))
        .add("POST", "/api/campaigns/{name}/pause", Access.MUTATION,
            c -> act(c, actions.pause(campaignName(c), c.actor())))
        .add("POST", "/api/campaigns/{name}/resume", Access.MUTATION,
            c -> act(c, actions.resume(campaignName(c), c.actor())))
        .add("POST", "/api/campaigns/{name}/retry-failed", Access.MUTATION,
            c -> act(c, actions.retryFailed(campaignName(c), c.actor())))
        .add("POST", "/api/campaigns/{name}/revert", Access.MUTATION, this::revert)
        .add("POST", "/api/changesets/{id}/retry", Access.MUTATION,
            c -> act(c, actions.retry(changesetId(c), c.actor())))
        .add("GET", "/api/plans", Access.READ, c -> c.json(200, Map.of("plans", plans().plans(c.query().first("campaign")))))
        .add("GET", "/api/plans/{id}", Access.READ, this::plan)
        .add("POST", "/api/plans", Access.MUTATION, this::requestPlan)
        .add("GET", "/api/runs/{run}/datatables", Access.READ,
            c -> c.json(200, Map.of("run", c.param("run"), "dataTables", plans().dataTables(c.param("run")))))
        .add("GET", "/api/runs/{run}/datatables/{file}", Access.READ, this::dataTable)
        .add("GET", "/api/campaigns/{name}/datatables", Access.READ, c -> c.json(200,
            Map.of("campaign", c.param("name"), "dataTables", plans().campaignDataTables(c.param("name")))))
        .add("POST", "/api/rescan", Access.MUTATION, c -> {
          drainBody(c);
          act(c, actions.rescan(c.actor()));
        });
  }

  /** Serves plans and data tables from {@code port}; call before {@link #start()}. Without it they answer 404. */
  public synchronized DashboardServer plans(PlanPort port) {
    if (server != null) {
      throw new IllegalStateException("add the plans before starting the dashboard");
    }
    this.planPort = port;
    return this;
  }

  private PlanPort plans() {
    PlanPort port = planPort;
    if (port == null) {
      throw ApiException.notFound("This dashboard serves no plans");
    }
    return port;
  }

  private void plan(Call c) throws IOException {
    long id;
    try {
      id = Long.parseLong(c.param("id"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("plan id must be a number, got '" + c.param("id") + "'");
    }
    c.json(200, plans().plan(id).orElseThrow(() -> ApiException.notFound(
        "Plan " + id + " does not exist; GET /api/plans lists the plans")));
  }

  /** The body is the campaign file; {@code ?again=true} makes a finished plan of it anew. */
  private void requestPlan(Call c) throws IOException {
    String file = new String(c.body(), java.nio.charset.StandardCharsets.UTF_8);
    if (file.isBlank()) {
      throw ApiException.badRequest("send the campaign file (YAML) as the request body");
    }
    String again = c.query().first("again");
    if (again != null && !again.equals("true") && !again.equals("false")) {
      throw ApiException.badRequest("again must be true or false, got '" + again + "'");
    }
    List<PlanPort.PlanSummary> requested;
    try {
      requested = plans().request(file, "true".equals(again), c.actor());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    c.json(202, Map.of("plans", requested));
  }

  /** {@code NAME.csv}: one data table as CSV, to download. */
  private void dataTable(Call c) throws IOException {
    String file = c.param("file");
    if (!file.endsWith(".csv") || file.length() == ".csv".length()) {
      throw ApiException.notFound("Data tables are served as NAME.csv; GET /api/runs/" + c.param("run")
          + "/datatables lists them");
    }
    String name = file.substring(0, file.length() - ".csv".length());
    String csv = plans().dataTable(c.param("run"), name).orElseThrow(() -> ApiException.notFound(
        "Run " + c.param("run") + " kept no data table '" + name + "'; GET /api/runs/" + c.param("run")
            + "/datatables lists them"));
    c.exchange().getResponseHeaders().set("Content-Disposition",
        "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".csv\"");
    c.send(200, "text/csv; charset=utf-8", Call.utf8(csv));
  }

  /**
   * Serves {@code handler} at {@code path} on the same port, outside the dashboard's routing and
   * token check (for health probes and signed webhooks, which bring their own). Call before {@link
   * #start()}.
   */
  public synchronized DashboardServer mount(String path, com.sun.net.httpserver.HttpHandler handler) {
    if (server != null) {
      throw new IllegalStateException("mount " + path + " before starting the dashboard");
    }
    mounted.put(path, handler);
    return this;
  }

  /**
   * Starts listening and returns the base URL, e.g. {@code http://127.0.0.1:43125/}. The server is Jetty
   * behind the JDK's handler interface: see {@link Lanes} for how slow clients are kept from the threads
   * that requests, event streams and probes need.
   */
  public synchronized URI start() {
    if (server != null) {
      throw new IllegalStateException("the dashboard is already running at " + url());
    }
    Server starting = Lanes.server(config, this::dispatch);
    try {
      starting.start();
    } catch (Exception e) {
      stopQuietly(starting);
      throw new UncheckedIOException("cannot listen on " + config.bindAddress() + ":" + config.port()
          + "; set " + DashboardConfig.PORT + " to a free port",
          e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }
    server = starting;
    LOG.info("dashboard listening at {} with {}", url(), config);
    return url();
  }

  public synchronized URI url() {
    if (server == null) {
      throw new IllegalStateException("the dashboard is not running; call start() first");
    }
    ServerConnector connector = Lanes.connector(server);
    String host = config.bindAddress();
    try {
      InetAddress address = InetAddress.getByName(host);
      host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
    } catch (UnknownHostException e) {
      // A name the server could listen on resolves; keep it as given otherwise.
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
  }

  /** Closes live streams, lets running requests finish for up to a second, and stops. */
  public void stop() {
    stop(Duration.ofSeconds(1));
  }

  /** Closes live streams, lets running requests finish for up to {@code grace}, and stops. */
  public synchronized void stop(Duration grace) {
    if (server == null) {
      return;
    }
    events.close();
    server.setStopTimeout(grace.toMillis());
    stopQuietly(server);
    server = null;
    LOG.info("dashboard stopped");
  }

  private static void stopQuietly(Server jetty) {
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("dashboard did not stop cleanly: {}", e.toString());
    }
  }

  boolean tcpNoDelay() {
    return Lanes.connector(server).getAcceptedTcpNoDelay();
  }

  @Override
  public void close() {
    stop();
  }

  /** Tells every open page that something changed. Never blocks, never throws. */
  @Override
  public void publish(FleetEvent event) {
    events.publish(event);
  }

  public FleetMetrics metrics() {
    return metrics;
  }

  int eventClients() {
    return events.clientCount();
  }

  /** A mounted handler for its path and anything below it, the dashboard's router for the rest. */
  private void dispatch(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    for (Map.Entry<String, com.sun.net.httpserver.HttpHandler> mount : mounted.entrySet()) {
      if (path.equals(mount.getKey()) || path.startsWith(mount.getKey() + "/")) {
        mount.getValue().handle(exchange);
        return;
      }
    }
    handle(exchange);
  }

  private void handle(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    try {
      boolean corsAllowed = applyCors(exchange);
      if ("OPTIONS".equals(method)) {
        preflight(exchange, corsAllowed);
        return;
      }
      Router.Match<Handler> match = router.match(method, path)
          .orElseThrow(() -> ApiException.notFound("There is no page or API at " + path
              + "; the API starts at /api/campaigns"));
      authorize(exchange, match.route().access(), corsAllowed);
      match.route().handler().handle(new Call(exchange, match.params(), config.maxBodyBytes()));
    } catch (ApiException e) {
      fail(exchange, e.status(), e.getMessage());
    } catch (NotFoundException e) {
      fail(exchange, 404, e.getMessage());
    } catch (ActionRefusedException e) {
      fail(exchange, 409, e.getMessage());
    } catch (IOException | RuntimeException e) {
      // The port's message may carry internals; the client gets a reference to find this line instead.
      String ref = UUID.randomUUID().toString().substring(0, 8);
      LOG.error("dashboard request {} {} failed (ref {})", method, path, ref, e);
      fail(exchange, 500, "The dashboard could not answer (ref " + ref + "); the controller log has the cause");
    } finally {
      exchange.close();
    }
  }

  private void authorize(HttpExchange exchange, Access access, boolean corsAllowed) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    switch (access) {
      case OPEN -> { }
      case READ -> {
        if (config.readsNeedToken()) {
          auth.check(authorization);
        }
      }
      case MUTATION -> {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !corsAllowed && !sameOrigin(exchange, origin)) {
          throw new ApiException(403, "Changes from pages served elsewhere are refused; add that origin to "
              + DashboardConfig.CORS_ORIGINS + " if it should be allowed");
        }
        auth.check(authorization);
      }
    }
  }

  /** Echoes an allow-listed Origin, never "*": the API is called with a bearer token. */
  private boolean applyCors(HttpExchange exchange) {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    exchange.getResponseHeaders().add("Vary", "Origin");
    if (origin == null || !config.corsOrigins().contains(origin)) {
      return false;
    }
    exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
    return true;
  }

  private void preflight(HttpExchange exchange, boolean corsAllowed) throws IOException {
    if (!corsAllowed) {
      throw new ApiException(403, "Cross-origin calls are allowed only from origins listed in "
          + DashboardConfig.CORS_ORIGINS);
    }
    exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, POST");
    exchange.getResponseHeaders().set("Access-Control-Allow-Headers",
        "Authorization, Content-Type, " + Call.ACTOR_HEADER);
    exchange.getResponseHeaders().set("Access-Control-Max-Age", "600");
    exchange.sendResponseHeaders(204, -1);
  }

  private static boolean sameOrigin(HttpExchange exchange, String origin) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  private void fail(HttpExchange exchange, int status, String message) {
    if (exchange.getResponseCode() != -1) {
      LOG.warn("dashboard request {} {} failed after its response started: {}",
          exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), message);
      return;
    }
    if (status == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"flotilla\"");
    }
    LOG.debug("dashboard request {} {} -> {}: {}", exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(), status, message);
    try {
      Call.send(exchange, status, "application/json; charset=utf-8",
          Json.MAPPER.writeValueAsBytes(Map.of("error", message)));
    } catch (IOException e) {
      LOG.debug("could not send error {} to {}: {}", status, exchange.getRemoteAddress(), e.toString());
    }
  }

  private void session(Call c) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("readsNeedToken", config.readsNeedToken());
    body.put("actionsEnabled", auth.configured());
    body.put("stalePullRequestDays", config.stalePullRequestAfter().toDays());
    c.json(200, body);
  }

  private void campaigns(Call c) throws IOException {
    Instant now = clock.instant();
    List<CampaignProgress> all = view.campaigns().stream().map(s -> CampaignProgress.of(s, now)).toList();
    c.json(200, Map.of("campaigns", all));
  }

  private void campaign(Call c) throws IOException {
    CampaignSummary summary = existingCampaign(c);
    ChangesetQuery query = c.query().changesetQuery(summary.name());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("campaign", CampaignProgress.of(summary, clock.instant()));
    body.put("changesets", view.changesets(query));
    c.json(200, body);
  }

  private void changesets(Call c) throws IOException {
    CampaignSummary summary = existingCampaign(c);
    c.json(200, view.changesets(c.query().changesetQuery(summary.name())));
  }

  private void burndown(Call c) throws IOException {
    CampaignSummary summary = existingCampaign(c);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("campaign", summary.name());
    body.put("points", view.burndown(summary.name()));
    c.json(200, body);
  }

  private void repository(Call c) throws IOException {
    String fullName = c.param("owner") + "/" + c.param("name");
    c.json(200, view.repository(fullName).orElseThrow(() -> ApiException.notFound(
        "Repository '" + fullName + "' is unknown to Flotilla; if it was just created, rescan the fleet")));
  }

  private void team(Call c) throws IOException {
    String name = c.param("team");
    c.json(200, view.team(name).orElseThrow(() -> ApiException.notFound(
        "No repository names team '" + name + "' as its owner; see GET /api/teams for the teams Flotilla knows")));
  }

  private void attention(Call c) throws IOException {
    int days = c.query().integer("staleDays", (int) config.stalePullRequestAfter().toDays(), 1, 365);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("staleAfterDays", days);
    body.put("items", view.attention(Duration.ofDays(days)));
    c.json(200, body);
  }

  /** {@code ?wave=N} (1 is the first wave) or {@code ?repo=owner/name}; neither reverts every merge. */
  private void revert(Call c) throws IOException {
    String campaign = campaignName(c);
    String wave = c.query().first("wave");
    String repo = c.query().first("repo");
    if (wave != null && repo != null) {
      throw ApiException.badRequest("give wave or repo, not both");
    }
    Integer waveNumber = null;
    if (wave != null) {
      waveNumber = c.query().integer("wave", 1, 1, 10_000);
    }
    if (repo != null && !repo.matches("[^/\\s]+/[^/\\s]+")) {
      throw ApiException.badRequest("repo must be owner/name, got '" + repo + "'");
    }
    act(c, actions.revert(campaign, waveNumber, repo, c.actor()));
  }

  private void act(Call c, String message) throws IOException {
    c.json(200, Map.of("message", message));
  }

  /** Runs before the action: reads and limits the body, and checks the campaign exists. */
  private String campaignName(Call c) {
    drainBody(c);
    return existingCampaign(c).name();
  }

  private long changesetId(Call c) {
    drainBody(c);
    try {
      return Long.parseLong(c.param("id"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("changeset id must be a number, got '" + c.param("id") + "'");
    }
  }

  private static void drainBody(Call c) {
    try {
      c.body();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the request body", e);
    }
  }

  private CampaignSummary existingCampaign(Call c) {
    String name = c.param("name");
    Optional<CampaignSummary> summary = view.campaign(name);
    return summary.orElseThrow(() -> ApiException.notFound("Campaign '" + name
        + "' does not exist; GET /api/campaigns lists the campaigns"));
  }
}
