package dev.flotilla.controller.cli;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.config.Settings;
import dev.flotilla.controller.engine.Cancellation;
import dev.flotilla.controller.engine.EngineSettings;
import dev.flotilla.controller.engine.EngineContext;
import dev.flotilla.controller.engine.Reverts;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.RepositoryStore;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.runner.jars.MigrationJars;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla campaign ...}: create, pause, resume, cancel campaigns and revert their merges. */
@Command(
    name = "campaign",
    mixinStandardHelpOptions = true,
    description = "Create, update, pause, resume or cancel campaigns, or revert what they merged.",
    subcommands = {
      CampaignCommand.Apply.class,
      PlanCommand.class,
      PlanCommand.ListPlans.class,
      CampaignCommand.Pause.class,
      CampaignCommand.Resume.class,
      CampaignCommand.Cancel.class,
      CampaignCommand.Revert.class
    })
final class CampaignCommand {

  /** {@code flotilla campaign apply -f FILE}. */
  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Create or update the campaigns in a file. Nothing is stored unless every campaign in it is valid.")
  static final class Apply implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "A Campaign YAML file (several documents allowed).")
    Path file;

    @Option(names = "--migrations-dir", paramLabel = "DIR",
        description = "Folder of your teams' migration jars, as the controller loads them (default: $FLOTILLA_MIGRATIONS_DIR).")
    Path migrationsDir;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      String text;
      try {
        text = Files.readString(file);
      } catch (NoSuchFileException e) {
        throw new CliException(file + ": no such file");
      }
      List<CampaignSpec> campaigns;
      try (MigrationJars jars = CliMigrations.load(migrationsDir)) {
        campaigns = CampaignParser.parseAll(text, file.toString(), jars.migrations());
      }
      try (Database db = Stores.open(store.settings(), false, 2)) {
        Jdbc jdbc = new Jdbc(db.dataSource());
        CampaignStore store = new CampaignStore(jdbc);
        for (CampaignSpec campaign : campaigns) {
          jdbc.inTransaction(() -> {
            boolean created = store.apply(campaign, text, Instant.now());
            store.audit(System.getProperty("user.name", "cli"), created ? "create campaign" : "update campaign", campaign.name(), file.toString(), Instant.now());
            spec.commandLine().getOut().printf("campaign %s %s%n", campaign.name(), created ? "created" : "updated");
            return null;
          });
        }
        PlanCommand.tellAboutPlans(new dev.flotilla.controller.store.PlanStore(jdbc), campaigns, text, spec.commandLine().getOut());
      }
      spec.commandLine().getOut().println("A running controller picks the changes up on its next tick; see them with: flotilla status");
      return 0;
    }
  }

  /** Moves one campaign between statuses. */
  abstract static class StatusChange implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The campaign's name.")
    String name;

    @Spec CommandSpec spec;

    abstract CampaignStatus target();

    abstract CampaignStatus[] from();

    @Override
    public Integer call() {
      try (Database db = Stores.open(store.settings(), false, 2)) {
        CampaignStore campaigns = new CampaignStore(new Jdbc(db.dataSource()));
        var campaign = campaigns.byName(name).orElseThrow(() -> new CliException(
            "no campaign named '" + name + "'; list them with: flotilla status"));
        String actor = System.getProperty("user.name", "cli");
        if (!campaigns.setStatus(name, target(), target().name().toLowerCase(java.util.Locale.ROOT) + " by " + actor, Instant.now(), from())) {
          throw new CliException("campaign " + name + " is " + campaign.status() + " and cannot become " + target());
        }
        campaigns.audit(actor, target().name().toLowerCase(java.util.Locale.ROOT), name, null, Instant.now());
        spec.commandLine().getOut().printf("campaign %s is now %s%n", name, target());
        return 0;
      }
    }
  }

  /** {@code flotilla campaign pause NAME}. */
  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop starting runs and merging for a campaign until it is resumed.")
  static final class Pause extends StatusChange {
    CampaignStatus target() {
      return CampaignStatus.PAUSED;
    }

    CampaignStatus[] from() {
      return new CampaignStatus[] {CampaignStatus.ACTIVE};
    }
  }

  /** {@code flotilla campaign resume NAME}. */
  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused or halted campaign.")
  static final class Resume extends StatusChange {
    CampaignStatus target() {
      return CampaignStatus.ACTIVE;
    }

    CampaignStatus[] from() {
      return new CampaignStatus[] {CampaignStatus.PAUSED, CampaignStatus.HALTED};
    }
  }

  /** {@code flotilla campaign cancel NAME [--close-pull-requests]}. */
  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Stop a campaign for good: no new runs. With --close-pull-requests, also close its open pull requests with a comment.")
  static final class Cancel implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The campaign's name.")
    String name;

    @Option(names = "--close-pull-requests", description = "Close the campaign's open pull requests on the forge, with a comment.")
    boolean closePullRequests;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Settings settings = store.settings();
      try (Database db = Stores.open(settings, false, 2)) {
        Jdbc jdbc = new Jdbc(db.dataSource());
        var campaign = new CampaignStore(jdbc).byName(name).orElseThrow(() -> new CliException(
            "no campaign named '" + name + "'; list them with: flotilla status"));
        String actor = System.getProperty("user.name", "cli");
        try (LocalCi ci = new LocalCi(jdbc.dataSource(), new LocalCi.Settings(settings.ciCommand(), settings.ciTimeout(), 1))) {
          EngineContext fleet = EngineContext.create(jdbc, forge(settings, jdbc, ci), CliMigrations.load(null).migrations(), Clock.systemUTC(), EngineSettings.defaults());
          Cancellation.Result result = new Cancellation(fleet).cancel(name, closePullRequests, actor);
          if (!result.cancelled() && campaign.status() == CampaignStatus.CANCELLED && !closePullRequests) {
            throw new CliException("campaign " + name + " is already CANCELLED");
          }
          spec.commandLine().getOut().printf("campaign %s is now CANCELLED: %d pending changesets skipped, %d pull requests closed%n",
              name, result.skipped(), result.closed());
          if (result.notClosed() > 0) {
            spec.commandLine().getOut().printf(
                "%d pull requests could not be closed; their reasons are in: flotilla status %s%n", result.notClosed(), name);
          }
        }
        return 0;
      }
    }

    private static Forge forge(Settings settings, Jdbc jdbc, LocalCi ci) {
      return switch (settings.forge()) {
        case LOCAL -> new LocalForge(settings.localForgeDir(), jdbc.dataSource(), ci, settings.dashboardUrl().toString());
        case GITHUB -> throw new CliException("FLOTILLA_FORGE=github is not available in this build");
      };
    }
  }

  /** {@code flotilla campaign revert NAME [--wave N | --repo OWNER/NAME]}. */
  @Command(name = "revert", mixinStandardHelpOptions = true,
      description = "Open a pull request that reverts the merge commit in every repository where the campaign merged"
          + " (or only those of one wave, or one repository). The revert pull requests follow the campaign's limits and"
          + " automerge rules, also while it is halted or paused. Running it twice reverts once.")
  static final class Revert implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The campaign's name.")
    String name;

    @picocli.CommandLine.ArgGroup(exclusive = true)
    Which which;

    static final class Which {
      @Option(names = "--wave", paramLabel = "N", description = "Only the merges of wave N (1 is the first wave).")
      Integer wave;

      @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "Only the merge in this repository.")
      String repository;
    }

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Reverts.Selection selection = which == null ? Reverts.Selection.ALL : new Reverts.Selection(which.wave, which.repository);
      if (selection.wave() != null && selection.wave() < 1) {
        throw new CliException("--wave counts from 1 (the first wave), got " + selection.wave());
      }
      if (selection.repository() != null && !selection.repository().matches("[^/\\s]+/[^/\\s]+")) {
        throw new CliException("--repo must be OWNER/NAME, e.g. payments/ledger; got '" + selection.repository() + "'");
      }
      Settings settings = store.settings();
      try (Database db = Stores.open(settings, false, 2)) {
        Jdbc jdbc = new Jdbc(db.dataSource());
        String forge = settings.forge().name().toLowerCase(java.util.Locale.ROOT);
        Reverts reverts = new Reverts(new ChangesetStore(jdbc), new CampaignStore(jdbc), new RepositoryStore(jdbc, forge));
        Reverts.Result result = jdbc.inTransaction(() -> reverts.revert(name, selection, System.getProperty("user.name", "cli"), Instant.now()))
            .orElseThrow(() -> new CliException("no campaign named '" + name + "'; list them with: flotilla status"));
        spec.commandLine().getOut().println(result.describe(name, selection));
        if (result.started() > 0) {
          spec.commandLine().getOut().println("A running controller opens the revert pull requests; follow them with: flotilla status");
        }
        return 0;
      }
    }
  }
}
