package dev.flotilla.controller.cli;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.exec.k8s.KubernetesExecutorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flotilla k8s ...}: tools for people running Flotilla on a cluster. */
@Command(name = "k8s", mixinStandardHelpOptions = true, description = "Tools for running Flotilla on Kubernetes.")
final class K8sCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command with its subcommands, which need constructor arguments picocli cannot supply. */
  static CommandLine create() {
    CommandLine k8s = new CommandLine(new K8sCommand());
    k8s.addSubcommand("render-job", new RenderJobCommand(K8sCommand::readCampaign, KubernetesExecutorConfig.fromSettings(System.getenv())));
    return k8s;
  }

  private static CampaignSpec readCampaign(Path file) {
    try {
      return CampaignParser.parse(Files.readString(file), file.toString(), CliMigrations.load(null).migrations());
    } catch (NoSuchFileException e) {
      throw new CliException(file + ": no such file");
    } catch (IOException e) {
      throw new CliException(file + ": " + e.getMessage());
    }
  }
}
