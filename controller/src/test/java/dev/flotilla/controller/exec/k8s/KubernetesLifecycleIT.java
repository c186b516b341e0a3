package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.demo.DemoFleet;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.EngineObserver;
import dev.flotilla.controller.engine.EngineSettings;
import dev.flotilla.controller.engine.EngineContext;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.CredentialResolver;
import dev.flotilla.runner.Runner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Kubernetes path in one run: the controller dispatches a changeset, the executor creates
 * its Job, a test kubelet runs the real runner for it and reports through the pod's termination
 * message, and the engine opens the pull request, sees CI pass and merges it.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesLifecycleIT {

  KubernetesClient client;
  KubernetesMockServer server;

  @TempDir Path tmp;

  @Test
  void campaignRunsAsAJobAndItsPullRequestMerges() throws Exception {
    Path forgeRoot = tmp.resolve("forge");
    DemoFleet.create(forgeRoot, 1);
    Path campaignFile = DemoFleet.writeCampaigns(tmp.resolve("campaigns")).stream()
        .filter(f -> f.getFileName().toString().equals("jackson-2-18.yaml")).findFirst().orElseThrow();
    Migrations migrations = Migrations.load();
    Runner runner = new Runner(migrations, CredentialResolver.withEnvironment(Map.of()));
    try (Database db = TestPostgres.open(tmp.resolve("data"), 8);
        LocalCi ci = new LocalCi(db.dataSource(), new LocalCi.Settings("./ci.sh", Duration.ofSeconds(60), 2));
        TestKubelet kubelet = new TestKubelet(client, "flotilla", runner::run, Files.createDirectories(tmp.resolve("pods"))).start()) {
      KubernetesExecutor executor = new KubernetesExecutor(
          client, KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_K8S_NAMESPACE", "flotilla")), CredentialSource.NONE);
      Jdbc jdbc = new Jdbc(db.dataSource());
      EngineContext fleet = EngineContext.create(jdbc, new LocalForge(forgeRoot, db.dataSource(), ci, "http://localhost:8080"),
          migrations, Clock.systemUTC(), EngineSettings.defaults().withRecheckInterval(Duration.ZERO));
      try (Controller controller = new Controller(fleet, executor, EngineObserver.NONE)) {
        controller.start();
        controller.discover();
        String yaml = Files.readString(campaignFile);
        controller.applyCampaign(CampaignParser.parse(yaml, campaignFile.toString(), migrations), yaml, "test");

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
          controller.tick();
          return fleet.changesets().forCampaign("jackson-2-18").stream().allMatch(c -> c.state() == ChangesetState.MERGED);
        });

        var jobs = client.batch().v1().jobs().inNamespace("flotilla")
            .withLabel(JobRenderer.MANAGED_BY_LABEL, JobRenderer.MANAGED_BY).list().getItems();
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).getMetadata().getLabels()).containsEntry(JobRenderer.CAMPAIGN_LABEL, "jackson-2-18");
        assertThat(jdbc.count("SELECT count(*) FROM local_pull_request WHERE state = 'MERGED'")).isOne();
      }
    }
  }
}
