package dev.flotilla.controller.runtime;

import com.sun.net.httpserver.HttpHandler;
import dev.flotilla.FlotillaException;
import dev.flotilla.controller.campaign.k8s.CampaignResourceOperator;
import dev.flotilla.controller.config.CampaignLoader;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.config.Settings;
import dev.flotilla.controller.discovery.BackstageCatalog;
import dev.flotilla.controller.notify.NotificationSettings;
import dev.flotilla.controller.notify.Notifier;
import dev.flotilla.controller.store.Outbox;
import dev.flotilla.controller.store.StoreFleetView;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.ForgeEventQueue;
import dev.flotilla.controller.engine.WatchSettings;
import dev.flotilla.controller.engine.ForgeEvents;
import dev.flotilla.controller.engine.EngineSettings;
import dev.flotilla.controller.engine.EngineContext;
import dev.flotilla.controller.engine.ResultSpool;
import dev.flotilla.controller.exec.Executor;
import dev.flotilla.controller.exec.LocalExecutor;
import dev.flotilla.controller.exec.k8s.CredentialSource;
import dev.flotilla.controller.exec.k8s.KubernetesExecutor;
import dev.flotilla.controller.exec.k8s.KubernetesExecutorConfig;
import dev.flotilla.controller.exec.k8s.KubernetesHealth;
import dev.flotilla.controller.exec.k8s.RunnerMigrations;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.forge.github.ApiCallCounter;
import dev.flotilla.controller.forge.github.GitHubConfig;
import dev.flotilla.controller.forge.github.GitHubForge;
import dev.flotilla.controller.forge.github.GitHubWebhookHandler;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.schedule.Schedules;
import dev.flotilla.controller.store.StoreWatch;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.WebhookDeliveries;
import dev.flotilla.controller.view.DashboardWiring;
import dev.flotilla.controller.view.EngineMetrics;
import dev.flotilla.controller.view.WebhookMetrics;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.CredentialResolver;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.Runner;
import dev.flotilla.runner.jars.MigrationJars;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: the store, the forge, the executor, the engine, its schedules and the
 * dashboard (with health probes and webhooks on the same port), assembled from {@code FLOTILLA_*}
 * settings and stopped in the reverse order.
 */
public final class FlotillaServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FlotillaServer.class);
  private static final Duration CAMPAIGN_RESOURCE_INTERVAL = Duration.ofSeconds(10);
  private static final int WEBHOOK_THREADS = 2;
  /** How often due digests are planned and the notification outbox is delivered. */
  private static final Duration NOTIFY_INTERVAL = Duration.ofSeconds(1);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Map<String, String> env;
  private final Settings settings;
  private final Decorators decorators;
  private Database database;
  private Controller controller;
  private EngineMetrics metrics;
  private Forge forge;
  private KubernetesClient kubernetes;
  private URI dashboardUrl;

  /**
   * Wrappers around the parts the engine talks to, applied where they are built: the forge the engine
   * uses, and the runner function of the local executor. Fault-injection runs wrap them; a normal
   * controller uses {@link #NONE}.
   */
  public record Decorators(UnaryOperator<Forge> forge, UnaryOperator<LocalExecutor.RunFunction> run) {

    public static final Decorators NONE = new Decorators(UnaryOperator.identity(), UnaryOperator.identity());
  }

  private FlotillaServer(Map<String, String> env, Decorators decorators) {
    this.env = Map.copyOf(env);
    this.settings = Settings.from(env);
    this.decorators = decorators;
  }

  /** Starts everything the settings in {@code env} describe; on failure, stops what had started. */
  public static FlotillaServer start(Map<String, String> env) {
    return start(env, Decorators.NONE);
  }

  /** Starts the controller with its forge and local runner wrapped by {@code decorators}. */
  public static FlotillaServer start(Map<String, String> env, Decorators decorators) {
    FlotillaServer server = new FlotillaServer(env, decorators);
    try {
      server.startParts();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void startParts() {
    database = keep(Database.open(
        settings.dbUrl().orElse(null),
        settings.dbUser().orElse(null),
        settings.dbPassword().map(Secret::reveal).orElse(null),
        settings.dataDir(),
        16,
        true));
    LOG.info("store: {}", database.description());
    Jdbc jdbc = new Jdbc(database.dataSource());
    Migrations migrations = keep(migrationJars()).migrations();
    metrics = DashboardWiring.metrics(jdbc);
    forge = forge(jdbc);
    Executor executor = keep(executor(migrations));
    EngineSettings engine = new EngineSettings(
        settings.dashboardUrl().toString(),
        settings.globalConcurrentRuns(),
        settings.maxOpenPrsPerRepo(),
        settings.pollInterval(),
        RunRequest.Author.DEFAULT,
        new WatchSettings(settings.get(Settings.WATCH_MAX_INTERVAL), settings.get(Settings.WATCH_INTERVAL_WITH_WEBHOOKS),
            settings.get(Settings.WEBHOOK_SILENCE)));
    controller = new Controller(EngineContext.create(jdbc, decorators.forge().apply(forge), migrations, Clock.systemUTC(), engine), executor, metrics,
        settings.reconcileParallelism());
    settings.optional(Settings.BACKSTAGE_URL).ifPresent(url -> controller.ownersFrom(new BackstageCatalog(
        url, settings.optional(Settings.BACKSTAGE_TOKEN).orElse(null), settings.get(Settings.BACKSTAGE_ANNOTATION))));
    loadCampaigns(migrations);
    controller.start(ResultSpool.in(settings.dataDir().resolve("result-spool")));
    var dashboard = keep(DashboardWiring.start(controller, metrics, DashboardWiring.config(settings, env), endpoints(jdbc)));
    dashboardUrl = dashboard.url();
    settings.optional(Settings.NOTIFICATIONS_FILE).ifPresent(file -> keep(new Notifier(
        NotificationSettings.load(file, env), new Outbox(jdbc), new StoreFleetView(jdbc, Clock.systemUTC()), Clock.systemUTC(),
        settings.get(Settings.NOTIFICATIONS_DRY_RUN), settings.dashboardUrl().toString()).start(NOTIFY_INTERVAL)));
    Schedules schedules = keep(new Schedules(database.dataSource(), controller, "flotilla"));
    schedules.start(settings.pollInterval(), settings.discoveryInterval());
    LOG.info("controller running: forge {}, executor {}, dashboard {}", forge.name(), settings.executor(), dashboardUrl);
  }

  /** The built-in migrations and the teams' jars, in the class loaders the runs use too. */
  private MigrationJars migrationJars() {
    MigrationJars jars = MigrationJars.fromEnvironment(migrationSettings(settings));
    if (!jars.jars().isEmpty()) {
      LOG.info("migrations from jars: {}", jars.teamIds());
    }
    return jars;
  }

  /** The settings {@link MigrationJars} reads, with their defaults applied (the cache under the data folder). */
  public static Map<String, String> migrationSettings(Settings settings) {
    Map<String, String> env = new HashMap<>();
    settings.optional(Settings.MIGRATIONS_DIR).ifPresent(dir -> env.put(MigrationJars.DIR_ENV, dir.toString()));
    env.put(MigrationJars.ARTIFACTS_ENV, String.join(",", settings.get(Settings.MIGRATION_ARTIFACTS)));
    settings.optional(Settings.MAVEN_REPOSITORY_URL).ifPresent(url -> env.put(MigrationJars.REPOSITORY_URL_ENV, url));
    settings.optional(Settings.MAVEN_REPOSITORY_USERNAME).ifPresent(user -> env.put(MigrationJars.REPOSITORY_USERNAME_ENV, user));
    settings.optional(Settings.MAVEN_REPOSITORY_PASSWORD).ifPresent(p -> env.put(MigrationJars.REPOSITORY_PASSWORD_ENV, p.reveal()));
    env.put(MigrationJars.CACHE_ENV, settings.get(Settings.MAVEN_CACHE_DIR).toString());
    return env;
  }

  private Forge forge(Jdbc jdbc) {
    return switch (settings.forge()) {
      case LOCAL -> {
        Path root = settings.localForgeDir();
        if (!Files.isDirectory(root)) {
          throw new FlotillaException("the local forge folder " + root + " does not exist; create it with bare repositories"
              + " laid out as OWNER/NAME.git, set FLOTILLA_LOCAL_FORGE_DIR, or try: flotilla demo");
        }
        LocalCi ci = keep(new LocalCi(jdbc.dataSource(), new LocalCi.Settings(settings.ciCommand(), settings.ciTimeout(), 2)));
        yield new LocalForge(root, jdbc.dataSource(), ci, settings.dashboardUrl().toString());
      }
      case GITHUB -> GitHubForge.create(GitHubConfig.from(settings), new ApiCallCounter() {
        @Override
        public void onCall(String endpoint, int status) {
          metrics.metrics().recordForgeApiCall("github", endpoint);
        }

        @Override
        public void onRateLimit(String resource, int remaining, int limit) {
          if ("core".equals(resource)) {
            metrics.metrics().recordRateLimitRemaining("github", remaining);
          }
        }
      }).contentLimits(settings.get(Settings.GITHUB_CONTENT_PER_MINUTE), settings.get(Settings.GITHUB_CONTENT_PER_HOUR));
    };
  }

  private Executor executor(Migrations migrations) {
    return switch (settings.executor()) {
      case LOCAL -> new LocalExecutor(
          decorators.run().apply((request, dir) ->
              new Runner(migrations, CredentialResolver.withEnvironment(runEnvironment(request, migrations))).run(request, dir)),
          settings.dataDir().resolve("work"),
          settings.localConcurrency(),
          settings.runnerDeadline());
      case KUBERNETES -> {
        CredentialSource credentials = request -> runToken(request, migrations);
        yield new KubernetesExecutor(kubernetes(), KubernetesExecutorConfig.fromSettings(env), credentials,
            RunnerMigrations.fromSettings(env));
      }
    };
  }

  /**
   * The environment an in-process run sees: the controller's own, plus the run's git token where the
   * forge mints one (a GitHub App's token scoped to that repository).
   */
  private Map<String, String> runEnvironment(RunRequest request, Migrations migrations) {
    Map<String, String> runEnv = new HashMap<>(System.getenv());
    runToken(request, migrations).ifPresent(token -> runEnv.put(GitHubForge.RUN_TOKEN_ENV, token));
    return runEnv;
  }

  private Optional<String> runToken(RunRequest request, Migrations migrations) {
    if (!(forge instanceof GitHubForge github)) {
      return Optional.empty();
    }
    return github.mintRunToken(request, migrations).or(() -> settings.githubToken().map(Secret::reveal));
  }

  /** Health probes, and the GitHub webhook endpoint when the forge is GitHub. */
  private Map<String, HttpHandler> endpoints(Jdbc jdbc) {
    Map<String, Supplier<HealthHandler.Check>> readiness = new LinkedHashMap<>();
    readiness.put("store", () -> new HealthHandler.Check(jdbc.reachable(), database.description()));
    if (kubernetes != null) {
      KubernetesHealth k8s = new KubernetesHealth(kubernetes, KubernetesExecutorConfig.fromSettings(env).namespace(), Duration.ofSeconds(3));
      readiness.put("kubernetes", () -> {
        var status = k8s.check();
        return new HealthHandler.Check(status.up(), status.detail());
      });
    }
    StoreWatch storeWatch = keep(new StoreWatch(jdbc.dataSource(), Clock.systemUTC(), settings.storeOutageLimit(), Duration.ofSeconds(1)));
    HealthHandler health = new HealthHandler(Map.of("store", () -> {
      StoreWatch.Verdict v = storeWatch.check();
      return new HealthHandler.Check(v.up(), v.detail());
    }), readiness);
    Map<String, HttpHandler> endpoints = new LinkedHashMap<>();
    endpoints.put("/healthz", health);
    endpoints.put("/readyz", health);
    if (forge instanceof GitHubForge) {
      // The request threads only verify, record and queue; the queue's own threads call the forge.
      WebhookMetrics webhookMetrics = new WebhookMetrics(metrics.metrics().registry());
      ForgeEventQueue queue = keep(webhookMetrics.watch(new ForgeEventQueue(
          new ForgeEvents(controller), settings.webhookQueueSize(), WEBHOOK_THREADS, webhookMetrics, Clock.systemUTC())));
      queue.start();
      endpoints.put(GitHubWebhookHandler.PATH, new GitHubWebhookHandler(
          settings.githubWebhookSecret().orElse(null), queue, GitHubWebhookHandler.DEFAULT_MAX_BODY,
          new WebhookDeliveries(jdbc), Clock.systemUTC()));
    }
    return endpoints;
  }

  /**
   * Applies every campaign file in the campaigns folder (a bad file is reported and skipped), and
   * watches Campaign resources when the settings ask for it. A campaign both in the folder and on
   * the cluster is applied from neither, and both places are named.
   */
  private void loadCampaigns(Migrations migrations) {
    Path dir = settings.campaignsDir();
    List<CampaignSpec> fromFolder = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      CampaignLoader.Result loaded = CampaignLoader.loadFolder(dir, migrations);
      for (ConfigException error : loaded.errors()) {
        LOG.error("campaign file refused, the campaign does not start: {}", error.getMessage());
      }
      fromFolder.addAll(loaded.campaigns());
    }
    Set<String> resources = Set.of();
    if (settings.watchesCampaignResources()) {
      Map<String, String> folderNames = new HashMap<>();
      fromFolder.forEach(c -> folderNames.put(c.name(), "the campaigns folder " + dir));
      CampaignResourceOperator operator = keep(new CampaignResourceOperator(
          kubernetes(), settings.k8sNamespace(), controller, folderNames, CAMPAIGN_RESOURCE_INTERVAL));
      resources = operator.start().names();
    }
    for (CampaignSpec campaign : fromFolder) {
      if (resources.contains(campaign.name())) {
        LOG.error("campaign '{}' is defined both in the campaigns folder {} and as {}; keep one of the two",
            campaign.name(), dir, CampaignResourceOperator.sourceOf(settings.k8sNamespace(), campaign.name()));
        continue;
      }
      controller.applyCampaign(campaign, "folder " + dir, "campaigns-folder");
      if (campaign.paused()) {
        controller.pause(campaign.name(), "campaigns-folder");
      }
    }
    LOG.info("loaded {} campaigns from {}", fromFolder.size(), dir);
  }

  private KubernetesClient kubernetes() {
    if (kubernetes == null) {
      kubernetes = keep(new KubernetesClientBuilder().build());
    }
    return kubernetes;
  }

  public Controller controller() {
    return controller;
  }

  public Database database() {
    return database;
  }

  public Settings settings() {
    return settings;
  }

  /** Where the dashboard listens. */
  public Optional<URI> dashboardUrl() {
    return Optional.ofNullable(dashboardUrl);
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("could not stop {} cleanly: {}", resources.get(i).getClass().getSimpleName(), e.getMessage());
      }
    }
    resources.clear();
  }
}
