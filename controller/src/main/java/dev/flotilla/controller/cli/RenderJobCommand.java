package dev.flotilla.controller.cli;

import dev.flotilla.controller.engine.Dispatcher;
import dev.flotilla.controller.exec.k8s.JobRenderer;
import dev.flotilla.controller.exec.k8s.RunnerMigrations;
import dev.flotilla.controller.exec.k8s.KubernetesExecutorConfig;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.runner.RunRequest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla k8s render-job}: prints the Job and Secret the Kubernetes executor
 * would create for one repository, with the token redacted, so a person can read or
 * {@code kubectl apply --dry-run=server} them without starting a controller.
 */
@Command(
    name = "render-job",
    mixinStandardHelpOptions = true,
    description = "Prints the Kubernetes Job and its Secret (the request, and the token redacted) for one repository as YAML.")
public final class RenderJobCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--campaign", required = true, paramLabel = "FILE", description = "The campaign YAML file.")
  private Path campaignFile;

  @Option(names = "--repo", required = true, paramLabel = "OWNER/NAME", description = "The repository, e.g. payments/ledger.")
  private String repository;

  @Option(
      names = "--clone-url",
      paramLabel = "URL",
      description = "Where the runner clones from (default: https://github.com/OWNER/NAME.git).")
  private String cloneUrl;

  @Option(names = "--default-branch", defaultValue = "main", paramLabel = "BRANCH", description = "Default: ${DEFAULT-VALUE}.")
  private String defaultBranch;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "The run id that names the Job (default: CAMPAIGN/OWNER/NAME/preview).")
  private String runId;

  private final Function<Path, CampaignSpec> campaigns;
  private final KubernetesExecutorConfig config;

  /**
   * @param campaigns parses a campaign file, throwing a {@code ConfigException} that names the line
   * @param config the executor settings the Job is rendered with
   */
  public RenderJobCommand(Function<Path, CampaignSpec> campaigns, KubernetesExecutorConfig config) {
    this.campaigns = campaigns;
    this.config = config;
  }

  @Override
  public Integer call() {
    if (!repository.matches("[^/\\s]+/[^/\\s]+")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--repo must be OWNER/NAME, e.g. payments/ledger; got '" + repository + "'");
    }
    CampaignSpec campaign = campaigns.apply(campaignFile);
    String[] ownerAndName = repository.split("/", 2);
    RepositoryRef ref = new RepositoryRef(ownerAndName[0], ownerAndName[1], defaultBranch,
        cloneUrl != null ? cloneUrl : "https://github.com/" + repository + ".git", null);
    // A preview: the default author, and no credential (the token is redacted below in any case).
    RunRequest request = Dispatcher.request(campaign, ref, RunRequest.Author.DEFAULT, RunRequest.Credential.NONE, null);
    String id = runId != null ? runId : campaign.name() + "/" + repository + "/preview";
    // The placeholder stands where the token would be: no real credential is ever asked for here.
    JobRenderer.RunObjects objects =
        new JobRenderer(config, RunnerMigrations.fromSettings(System.getenv())).render(id, request, Optional.of(JobRenderer.REDACTED));
    PrintWriter out = spec.commandLine().getOut();
    for (HasMetadata object : objects.all()) {
      out.print(Serialization.asYaml(object instanceof Secret secret ? JobRenderer.redacted(secret) : object));
    }
    out.flush();
    return 0;
  }
}
