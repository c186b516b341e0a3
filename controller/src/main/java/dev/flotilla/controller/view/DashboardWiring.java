package dev.flotilla.controller.view;

import dev.flotilla.controller.store.StoreFleetView;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.config.Settings;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.dashboard.DashboardConfig;
import dev.flotilla.dashboard.DashboardServer;
import dev.flotilla.dashboard.FleetMetrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Puts the dashboard on the controller: the store-backed view, the controller's actions, live events
 * and metrics. The engine's observer has to exist before the {@link Controller}, so it is made first:
 *
 * <pre>{@code
 * EngineMetrics metrics = DashboardWiring.metrics(jdbc);
 * Controller controller = new Controller(fleet, executor, metrics);
 * RunningDashboard dashboard = DashboardWiring.start(controller, metrics, DashboardWiring.config(settings, System.getenv()));
 * }</pre>
 */
public final class DashboardWiring {

  /** How long a scrape's changeset counts are reused. */
  static final Duration GAUGE_CACHE = Duration.ofSeconds(5);

  private DashboardWiring() {}

  /** The dashboard while it runs; closing it stops the server, the event bridge and background rescans. */
  public record RunningDashboard(DashboardServer server, URI url, List<AutoCloseable> parts) implements AutoCloseable {
    public RunningDashboard {
      parts = List.copyOf(parts);
    }

    @Override
    public void close() {
      server.stop();
      for (AutoCloseable part : parts) {
        try {
          part.close();
        } catch (Exception e) {
          throw new IllegalStateException("could not stop " + part.getClass().getSimpleName(), e);
        }
      }
    }
  }

  /** The engine observer feeding the dashboard's metrics; pass it to the {@link Controller}. */
  public static EngineMetrics metrics(Jdbc jdbc) {
    Clock clock = Clock.systemUTC();
    FleetMetrics metrics = new FleetMetrics(new ScrapeCache(new StoreFleetView(jdbc, clock), clock, GAUGE_CACHE));
    return new EngineMetrics(metrics, jdbc);
  }

  /**
   * Starts the dashboard for {@code controller} and returns it with its URL.
   *
   * @param metrics what {@link #metrics(Jdbc)} returned and the controller was built with
   */
  public static RunningDashboard start(Controller controller, EngineMetrics metrics, DashboardConfig config) {
    return start(controller, metrics, config, Map.of());
  }

  /** As above, with more handlers on the same port (health probes, webhooks), each at its path. */
  public static RunningDashboard start(
      Controller controller, EngineMetrics metrics, DashboardConfig config, Map<String, com.sun.net.httpserver.HttpHandler> mounts) {
    StoreFleetView view = new StoreFleetView(metrics.jdbc(), controller.fleet().clock());
    ControllerFleetActions actions = new ControllerFleetActions(controller);
    DashboardServer server = new DashboardServer(config, view, actions, metrics.metrics());
    mounts.forEach(server::mount);
    server.plans(new ControllerPlans(controller));
    ChangeEvents events = new ChangeEvents(server,
        name -> controller.fleet().campaigns().byName(name).isPresent(), ChangeEvents.DEFAULT_WINDOW);
    controller.onChange(events);
    URI url = server.start();
    return new RunningDashboard(server, url, List.of(events, actions));
  }

  /**
   * The dashboard's settings: bind address, port and token from the controller's {@link Settings}, the
   * rest ({@code FLOTILLA_DASHBOARD_READS_NEED_TOKEN}, limits, CORS) from {@code env}.
   */
  public static DashboardConfig config(Settings settings, Map<String, String> env) {
    DashboardConfig base = DashboardConfig.fromEnv(env);
    return new DashboardConfig(
        settings.dashboardBind(),
        settings.dashboardPort(),
        settings.dashboardToken().map(Secret::reveal),
        base.readsNeedToken(),
        base.maxBodyBytes(),
        base.maxEventClients(),
        base.keepAlive(),
        base.stalePullRequestAfter(),
        base.corsOrigins(),
        base.threads(),
        base.readTimeout(),
        base.maxConnections());
  }
}
