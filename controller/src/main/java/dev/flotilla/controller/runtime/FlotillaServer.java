package dev.flotilla.controller.runtime;

import dev.flotilla.FlotillaException;
import dev.flotilla.controller.config.CampaignLoader;
import dev.flotilla.controller.config.CampaignSpec;
import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.config.Settings;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.EngineObserver;
import dev.flotilla.controller.engine.EngineSettings;
import dev.flotilla.controller.engine.Fleet;
import dev.flotilla.controller.exec.Executor;
import dev.flotilla.controller.exec.LocalExecutor;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.schedule.Schedules;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.CredentialResolver;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: the store, the forge, the executor, the engine, its schedules and the
 * dashboard, assembled from {@link Settings} and stopped in the reverse order.
 */
public final class FlotillaServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FlotillaServer.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Settings settings;
  private Database database;
  private Controller controller;
  private Schedules schedules;
  private java.net.URI dashboardUrl;

  private FlotillaServer(Settings settings) {
    this.settings = settings;
  }

  /** Starts everything the settings describe; on failure, stops what had started. */
  public static FlotillaServer start(Settings settings) {
    FlotillaServer server = new FlotillaServer(settings);
    try {
      server.startParts();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void startParts() {
    database = keep(Stores.open(settings));
    LOG.info("store: {}", database.description());
    Jdbc jdbc = new Jdbc(database.dataSource());
    Migrations migrations = Migrations.load();
    Forge forge = forge(jdbc);
    Executor executor = keep(executor(migrations));
    EngineSettings engine = new EngineSettings(
        settings.dashboardUrl().toString(),
        settings.globalConcurrentRuns(),
        settings.maxOpenPrsPerRepo(),
        settings.pollInterval(),
        RunRequest.Author.DEFAULT);
    controller = new Controller(Fleet.create(jdbc, forge, migrations, Clock.systemUTC(), engine), executor, EngineObserver.NONE);
    loadCampaignFolder(migrations);
    controller.start();
    schedules = keep(new Schedules(database.dataSource(), controller, "flotilla"));
    schedules.start(settings.pollInterval(), settings.discoveryInterval());
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
      case GITHUB -> throw new FlotillaException("FLOTILLA_FORGE=github is not available in this build");
    };
  }

  private Executor executor(Migrations migrations) {
    return switch (settings.executor()) {
      case LOCAL -> {
        Runner runner = new Runner(migrations, CredentialResolver.fromEnvironment());
        yield new LocalExecutor(runner::run, settings.dataDir().resolve("work"), settings.localConcurrency());
      }
      case KUBERNETES -> throw new FlotillaException("FLOTILLA_EXECUTOR=kubernetes is not available in this build");
    };
  }

  /** Applies every campaign file in the campaigns folder; a bad file is reported and skipped. */
  private void loadCampaignFolder(Migrations migrations) {
    Path dir = settings.campaignsDir();
    if (!Files.isDirectory(dir)) {
      return;
    }
    CampaignLoader.Result loaded = CampaignLoader.loadFolder(dir, migrations);
    for (ConfigException error : loaded.errors()) {
      LOG.error("campaign file refused, the campaign does not start: {}", error.getMessage());
    }
    for (CampaignSpec campaign : loaded.campaigns()) {
      controller.applyCampaign(campaign, "folder " + dir, "campaigns-folder");
    }
    LOG.info("loaded {} campaigns from {}", loaded.campaigns().size(), dir);
  }

  public Controller controller() {
    return controller;
  }

  public Database database() {
    return database;
  }

  /** Where the dashboard listens, when it runs. */
  public java.util.Optional<java.net.URI> dashboardUrl() {
    return java.util.Optional.ofNullable(dashboardUrl);
  }

  public Settings settings() {
    return settings;
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

  /** Opens the store the settings name; closing stops an embedded PostgreSQL this process owns. */
  static final class Stores {
    private Stores() {}

    static Database open(Settings settings) {
      return Database.open(
          settings.dbUrl().orElse(null),
          settings.dbUser().orElse(null),
          settings.dbPassword().map(Secret::reveal).orElse(null),
          settings.dataDir(),
          16,
          true);
    }
  }
}
