package dev.flotilla.controller.cli;

import dev.flotilla.controller.exec.k8s.KubernetesExecutorConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.CampaignSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RenderJobCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CommandLine cli =
      new CommandLine(
              new RenderJobCommand(
                  file -> new CampaignSpec("jackson-2-18", "maven-dependency-version", Map.of("version", "2.18.2"),
                      null, true, false, null, null, null),
                  KubernetesExecutorConfig.defaults()))
          .setOut(new PrintWriter(out))
          .setErr(new PrintWriter(err));

  @Test
  void printsTheJobTheSecretRedactedAndTheRequest() {
    int exit = cli.execute("--campaign", "campaign.yaml", "--repo", "payments/ledger");

    assertThat(exit).isZero();
    List<HasMetadata> objects = Serialization.unmarshal(out.toString());
    assertThat(objects).hasSize(2);
    assertThat(objects.get(0)).isInstanceOf(Job.class);
    assertThat(((Secret) objects.get(1)).getStringData()).containsEntry("token", "<redacted>");
    assertThat(((Secret) objects.get(1)).getStringData().get("request.json"))
        .contains("https://github.com/payments/ledger.git")
        .contains("/var/run/flotilla/git/token");
    assertThat(objects.get(0).getMetadata().getName()).startsWith("flotilla-jackson-2-18-payments-ledger-");
  }

  @Test
  void refusesARepositoryThatIsNotOwnerSlashName() {
    int exit = cli.execute("--campaign", "campaign.yaml", "--repo", "ledger");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--repo must be OWNER/NAME");
  }

  @Test
  void passesTheCampaignFileToTheParser() {
    Path[] seen = new Path[1];
    new CommandLine(new RenderJobCommand(file -> {
          seen[0] = file;
          return new CampaignSpec("c", "m", Map.of(), null, false, false, null, null, null);
        }, KubernetesExecutorConfig.defaults()))
        .setOut(new PrintWriter(new StringWriter()))
        .execute("--campaign", "campaigns/c.yaml", "--repo", "a/b");

    assertThat(seen[0]).isEqualTo(Path.of("campaigns/c.yaml"));
  }
}
