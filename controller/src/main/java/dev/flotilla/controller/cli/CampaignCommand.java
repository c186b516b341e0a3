package dev.flotilla.controller.cli;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.config.CampaignSpec;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.migration.Migrations;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla campaign ...}: create, pause, resume and cancel campaigns. */
@Command(
    name = "campaign",
    mixinStandardHelpOptions = true,
    description = "Create, update, pause, resume or cancel campaigns.",
    subcommands = {
      CampaignCommand.Apply.class,
      CampaignCommand.Pause.class,
      CampaignCommand.Resume.class,
      CampaignCommand.Cancel.class
    })
final class CampaignCommand {

  /** {@code flotilla campaign apply -f FILE}. */
  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Create or update the campaigns in a file. Nothing is stored unless every campaign in it is valid.")
  static final class Apply implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "A Campaign YAML file (several documents allowed).")
    Path file;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      String text;
      try {
        text = Files.readString(file);
      } catch (NoSuchFileException e) {
        throw new CliException(file + ": no such file");
      }
      List<CampaignSpec> campaigns = CampaignParser.parseAll(text, file.toString(), Migrations.load());
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

  /** {@code flotilla campaign cancel NAME}. */
  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Stop a campaign for good: no new runs. Open pull requests stay open unless the controller is asked to close them from the dashboard API.")
  static final class Cancel extends StatusChange {
    CampaignStatus target() {
      return CampaignStatus.CANCELLED;
    }

    CampaignStatus[] from() {
      return new CampaignStatus[] {CampaignStatus.ACTIVE, CampaignStatus.PAUSED, CampaignStatus.HALTED, CampaignStatus.COMPLETED};
    }
  }
}
