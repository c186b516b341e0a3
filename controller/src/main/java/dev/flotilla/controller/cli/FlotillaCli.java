package dev.flotilla.controller.cli;

import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.migration.InvalidParametersException;
import dev.flotilla.migration.UnknownMigrationException;
import dev.flotilla.runner.PreviewCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeExceptionMapper;

/** {@code flotilla}: the command line of the controller. */
@Command(
    name = "flotilla",
    mixinStandardHelpOptions = true,
    versionProvider = FlotillaCli.Version.class,
    description = {
      "Fleet-management migrations: write a change once, apply it to every opted-in repository,",
      "open pull requests, merge them when CI is green, and watch the fleet on one dashboard."
    },
    subcommands = {
      DemoCommand.class,
      ControllerCommand.class,
      StatusCommand.class,
      CampaignCommand.class,
      PreviewCommand.class,
      NewMigrationProjectCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FlotillaCli implements Runnable {

  /** 0 done; 1 something failed; 2 bad input (a file, a parameter, a migration id, a usage error). */
  static final IExitCodeExceptionMapper EXIT_CODES = e -> {
    if (e instanceof InvalidParametersException || e instanceof UnknownMigrationException || e instanceof ConfigException) {
      return 2;
    }
    return 1;
  };

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new FlotillaCli());
    cli.addSubcommand("k8s", K8sCommand.create());
    cli.setExitCodeExceptionMapper(EXIT_CODES);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("flotilla: " + e.getMessage());
      if (Boolean.getBoolean("flotilla.debug")) {
        e.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().flush();
      return EXIT_CODES.getExitCode(e);
    });
    return cli;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = FlotillaCli.class.getPackage().getImplementationVersion();
      return new String[] {"flotilla " + (version == null ? "(development build)" : version)};
    }
  }
}
